#pragma once
// Everything needed to apply a trained model to new rows: its shape, the standardizer fitted on
// its training rows, its weights (layout of weights.h), and the feature and class names it was
// trained with (so that new data can be checked column by column and mapped class by class).

#include <string>
#include <vector>

#include "engine/data/standardize.h"
#include "engine/model/model_config.h"
#include "engine/model/weights.h"

namespace eegsweep {

struct TrainedModel {
  ModelConfig config;
  int batch_size = 32;  // rows per forward pass when the model was scored (same rounding)
  Standardizer standardizer;
  ModelWeights weights;
  std::vector<std::string> feature_names;
  std::vector<std::string> class_names;
};

}  // namespace eegsweep
