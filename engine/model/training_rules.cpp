#include "engine/model/training_rules.h"

namespace eegsweep {

namespace {
constexpr std::uint64_t shuffle_stream = 0x5A0F;  // keeps epoch shuffles apart from other draws
}

RowList epoch_order(const RowList& train_rows, std::uint64_t seed, int epoch) {
  RowList order = train_rows;
  CounterRng rng(derive_seed(seed, shuffle_stream, static_cast<std::uint64_t>(epoch)));
  rng.shuffle(order);
  return order;
}

}  // namespace eegsweep
