// Pure host code (no CUDA header): also compiled into the stub library so that its tests run
// on every machine.
#include "cuda/planning.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace eegsweep::cuda {
namespace {

std::string block_name(int layer, int lin_layer_id) {
  return "layer " + std::to_string(layer) + " linLayerID " + std::to_string(lin_layer_id);
}

// Maps `count` consecutive flat parameters starting at `flat` onto cuDNN offsets starting at
// `target`, checking bounds and that no cuDNN float is claimed twice.
void map_range(std::vector<std::int64_t>& map, std::vector<bool>& claimed, std::size_t flat,
               std::int64_t target, std::int64_t count, std::int64_t expected, std::int64_t space,
               const std::string& what) {
  if (target < 0) throw std::runtime_error("cuDNN weight layout: " + what + " is missing");
  if (count != expected) {
    throw std::runtime_error("cuDNN weight layout: " + what + " has " + std::to_string(count) +
                             " elements, expected " + std::to_string(expected));
  }
  if (target + count > space) {
    throw std::runtime_error("cuDNN weight layout: " + what + " ends at float " +
                             std::to_string(target + count) + ", beyond the weight space of " +
                             std::to_string(space));
  }
  for (std::int64_t k = 0; k < count; ++k) {
    const auto t = static_cast<std::size_t>(target + k);
    if (claimed[t]) {
      throw std::runtime_error("cuDNN weight layout: " + what + " overlaps another block at float " +
                               std::to_string(t));
    }
    claimed[t] = true;
    map[flat + static_cast<std::size_t>(k)] = target + k;
  }
}

}  // namespace

std::vector<std::int64_t> weight_index_map(const ParameterLayout& layout,
                                           const std::vector<CudnnBlock>& blocks,
                                           std::int64_t weight_space_floats) {
  const std::size_t layers = layout.layers.size();
  if (blocks.size() != layers * gru_linear_layers) {
    throw std::runtime_error("cuDNN weight layout: " + std::to_string(blocks.size()) +
                             " blocks for " + std::to_string(layers) + " layers, expected " +
                             std::to_string(layers * gru_linear_layers));
  }
  const std::int64_t h = layout.hidden_size;
  std::vector<std::int64_t> map(layout.head_w, -1);
  std::vector<bool> claimed(static_cast<std::size_t>(std::max<std::int64_t>(weight_space_floats, 0)),
                            false);
  for (std::size_t l = 0; l < layers; ++l) {
    const GruLayerOffsets& off = layout.layers[l];
    const std::int64_t in = off.input_size;
    for (int g = 0; g < 3; ++g) {
      const auto gate = static_cast<Gate>(g);
      const int in_id = input_lin_layer_id(gate);
      const int rec_id = recurrent_lin_layer_id(gate);
      const CudnnBlock& ib = blocks[l * gru_linear_layers + static_cast<std::size_t>(in_id)];
      const CudnnBlock& rb = blocks[l * gru_linear_layers + static_cast<std::size_t>(rec_id)];
      const auto li = static_cast<int>(l);
      map_range(map, claimed, off.w + static_cast<std::size_t>(g * h * in), ib.matrix,
                ib.matrix_elements, h * in, weight_space_floats, block_name(li, in_id) + " matrix");
      map_range(map, claimed, off.r + static_cast<std::size_t>(g * h * h), rb.matrix,
                rb.matrix_elements, h * h, weight_space_floats, block_name(li, rec_id) + " matrix");
      map_range(map, claimed, off.b_w + static_cast<std::size_t>(g * h), ib.bias, ib.bias_elements,
                h, weight_space_floats, block_name(li, in_id) + " bias");
      map_range(map, claimed, off.b_r + static_cast<std::size_t>(g * h), rb.bias, rb.bias_elements,
                h, weight_space_floats, block_name(li, rec_id) + " bias");
    }
  }
  const auto unmapped = std::find(map.begin(), map.end(), -1);
  if (unmapped != map.end()) {
    throw std::runtime_error("cuDNN weight layout: parameter " +
                             std::to_string(unmapped - map.begin()) +
                             " of the flat layout has no place in the weight space");
  }
  return map;
}

std::vector<std::uint8_t> decay_mask(const ParameterLayout& layout) {
  std::vector<std::uint8_t> mask(layout.total);
  for (std::size_t i = 0; i < layout.total; ++i) mask[i] = layout.is_matrix(i) ? 1 : 0;
  return mask;
}

const char* algorithm_name(RnnAlgorithm algorithm) {
  switch (algorithm) {
    case RnnAlgorithm::standard: return "standard";
    case RnnAlgorithm::persist_static_small_h: return "persist_static_small_h";
  }
  return "?";
}

std::vector<RnnAlgorithm> algorithm_candidates(int hidden_size, int compute_capability_major) {
  std::vector<RnnAlgorithm> candidates;
  if (hidden_size <= 128 && compute_capability_major >= 7) {
    candidates.push_back(RnnAlgorithm::persist_static_small_h);
  }
  candidates.push_back(RnnAlgorithm::standard);
  return candidates;
}

bool needs_head_buffer(Head head, double dropout) { return head != Head::flatten || dropout > 0; }

MemoryEstimate estimate_trainer_memory(const TrainerShape& shape, const CudnnSizes& sizes) {
  constexpr std::size_t f = sizeof(float);
  const ModelConfig& m = shape.model;
  const ParameterLayout layout(m);
  const auto b = static_cast<std::size_t>(shape.batch_size);
  const auto t = static_cast<std::size_t>(m.timesteps);
  const auto in = static_cast<std::size_t>(m.input_size);
  const auto h = static_cast<std::size_t>(m.hidden_size);
  const auto c = static_cast<std::size_t>(m.num_classes);
  const auto d = static_cast<std::size_t>(m.head_inputs());

  MemoryEstimate e;
  e.parameters = 4 * layout.total * f                       // weights, gradient, m, v
                 + layout.head_w * sizeof(std::int64_t)     // index map
                 + layout.total;                            // decay mask
  e.cudnn = 2 * sizes.weight_space + sizes.workspace + sizes.reserve;
  e.activations = 2 * b * t * in * f                        // x, dx
                  + 2 * b * t * h * f                       // y, dy
                  + (needs_head_buffer(m.head, shape.dropout) ? b * d * f : 0)
                  + (m.head == Head::flatten ? 0 : b * d * f)  // head-input gradient
                  + 2 * b * c * f                           // logits, their gradient
                  + b * (f + 2 * sizeof(int) + sizeof(std::int32_t))  // losses, labels, preds, lengths
                  + c * c * sizeof(unsigned long long) + 2 * sizeof(double);
  e.indices = (std::max(shape.train_rows, b) + shape.eval_rows) * sizeof(std::uint32_t) +
              2 * shape.features * f;
  // cuBLAS workspace, plus what cuDNN/cuBLAS handles hold, plus 2 MiB granularity for each of
  // the ~25 allocations.
  e.overhead = cublas_workspace_bytes + (std::size_t{16} << 20) + 25 * (std::size_t{2} << 20);
  return e;
}

Admission admission(std::size_t estimate, const DeviceLoad& load) {
  const std::size_t need = estimate + admission_margin_bytes;
  if (need <= load.free_bytes) return Admission::admit;
  if (need > load.total_bytes) return Admission::never;
  return load.active_trainers > 0 ? Admission::wait : Admission::never;
}

int least_loaded_device(const std::vector<DeviceLoad>& loads) {
  if (loads.empty()) throw std::invalid_argument("least_loaded_device: no devices");
  int best = 0;
  for (int i = 1; i < static_cast<int>(loads.size()); ++i) {
    const DeviceLoad& a = loads[static_cast<std::size_t>(i)];
    const DeviceLoad& b = loads[static_cast<std::size_t>(best)];
    if (a.active_trainers < b.active_trainers ||
        (a.active_trainers == b.active_trainers && a.free_bytes > b.free_bytes)) {
      best = i;
    }
  }
  return best;
}

std::string format_bytes(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace eegsweep::cuda
