#include "engine/model/model_config.h"

#include <stdexcept>

namespace eegsweep {

Head parse_head(const std::string& name) {
  if (name == "last") return Head::last;
  if (name == "flatten") return Head::flatten;
  if (name == "mean") return Head::mean;
  throw std::invalid_argument("unknown head '" + name + "' (allowed: last, flatten, mean)");
}

const char* head_name(Head head) {
  switch (head) {
    case Head::last: return "last";
    case Head::flatten: return "flatten";
    case Head::mean: return "mean";
  }
  return "?";
}

}  // namespace eegsweep
