#include "engine/model/training_rules.h"

namespace eegsweep {

RowList epoch_order(const RowList& train_rows, std::uint64_t seed, int epoch) {
  RowList order = train_rows;
  CounterRng rng(derive_seed(seed, streams::shuffle, static_cast<std::uint64_t>(epoch)));
  rng.shuffle(order);
  return order;
}

}  // namespace eegsweep
