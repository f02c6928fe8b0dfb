#pragma once
// What one trainer trains: the network shape and the optimisation settings.

#include <cstdint>
#include <string>

namespace eegsweep {

enum class Head { last, flatten, mean };
Head parse_head(const std::string& name);  // throws std::invalid_argument
const char* head_name(Head head);

struct ModelConfig {
  int input_size = 1;    // features per step (F / timesteps)
  int timesteps = 1;
  int hidden_size = 64;
  int num_layers = 1;
  Head head = Head::last;
  int num_classes = 2;

  // Width of the dense head's input: H for last/mean, T·H for flatten.
  int head_inputs() const { return head == Head::flatten ? timesteps * hidden_size : hidden_size; }
};

struct TrainConfig {
  double learning_rate = 1e-3;  // Adam, Keras form (ε = 1e-7, β1 0.9, β2 0.999)
  int batch_size = 32;
  int epochs = 20;
  int patience = 5;             // early stopping on `monitor`; 0 = never stop early
  double dropout = 0.0;         // on the head's input, training only
  double weight_decay = 0.0;    // L2: g += weight_decay · w for weight matrices, not biases
  std::string monitor = "accuracy";  // a metric name of metrics.h, on the validation rows
  bool maximize = true;
  std::uint64_t seed = 0;       // the (sweep, trial, fold) stream: init, shuffles, dropout
  bool tf32 = false;            // GPU only: allow TF32 math (off = strict FP32)
};

}  // namespace eegsweep
