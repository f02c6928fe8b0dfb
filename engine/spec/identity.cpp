// What identifies a sweep's results (identity_hash) and the text form of parameter values.

#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/data/hash.h"
#include "engine/data/random.h"
#include "engine/model/metrics.h"
#include "engine/spec/detail/spec_hash.h"
#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {

namespace spec_detail {

std::string stable_hash(const std::string& text) {
  return hex16(mix64(fnv1a(text)));
}

}  // namespace spec_detail

std::string to_string(const ParamValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  std::string text = spec_detail::format_double(std::get<double>(value));
  // Keep a double recognisable as one ("1.0", not "1"), as YAML and JSON would read it back.
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string SweepSpec::identity_hash() const {
  // Only what changes the meaning of a stored score: which rows, how they are split and
  // preprocessed, and which metric ranks them. Parameters, run_cap, resources, device and the
  // description may change between runs of the same sweep (resume, widen a grid).
  nlohmann::json id;
  id["data"]["format"] = data.format;
  if (data.format == "synthetic") {
    const SyntheticSpec& s = data.synthetic;
    id["data"]["synthetic"] = {{"rows", s.rows},   {"features", s.features}, {"classes", s.classes},
                               {"noise", s.noise}, {"groups", s.groups},     {"seed", s.seed}};
  } else {
    id["data"]["path"] = data.path;
    id["data"]["classes"] = data.classes;
  }
  if (data.format == "csv") {
    id["data"]["label"] = data.label_column;
    id["data"]["group"] = data.group_column;
  }
  if (data.format == "muse") {
    const MuseOptions& m = data.muse;
    id["data"]["muse"] = {{"channels", m.channels},
                          {"filename_pattern", m.filename_pattern},
                          {"classes", m.classes},
                          {"filter", m.filter},
                          {"bandpass", {m.bandpass_low_hz, m.bandpass_high_hz}},
                          {"bandpass_order", m.bandpass_order},
                          {"notch", m.notch_hz},
                          {"window", m.window_seconds},
                          {"hop", m.hop_seconds},
                          {"resample", m.resample_samples},
                          {"max_gap", m.max_gap_seconds}};
  }
  id["test_split"] = test_split;
  id["cv"] = {{"folds", cv.folds}, {"stratified", cv.stratified}, {"group_by", cv.group_by}};
  // Issue 11's keys enter the hash only where they differ from what sweeps did before them, so
  // that older sweeps keep their identity (and their behaviour is the `fold` / k-fold one).
  if (!test.groups.empty()) id["test"] = {{"groups", test.groups}};
  if (!test.path.empty()) id["test"]["path"] = test.path;
  if (cv.method != "kfold") id["cv"]["method"] = cv.method;
  if (cv.epoch_selection != "fold") id["cv"]["epoch_selection"] = cv.epoch_selection;
  id["standardize"] = standardize;
  id["seed"] = seed;
  // "val_accuracy" and "accuracy" name the same score.
  id["metric"] = {{"name", canonical_metric_name(metric.name)}, {"maximize", metric.maximize}};
  return spec_detail::stable_hash(id.dump());
}

}  // namespace eegsweep
