// sweep best: the best trial by mean CV metric, and its held-out test score.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cli/cli_common.h"

namespace eegsweep::cli {

Verb add_best_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    std::string format = "table";
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("best", "The best trial and its held-out test score");
  add_database_options(*verb.command, args->db);
  verb.command->add_option("--format", args->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  verb.run = [args] {
    OpenedSweep opened = open_sweep_for_reading(args->db);
    const auto best = opened.store->best_trial(opened.sweep.id);
    if (!best) throw std::invalid_argument(opened.store->path() + ": sweep '" + opened.sweep.name + "' has no completed trial yet");
    const std::optional<FinalRunRecord> final_run = opened.store->final_run(best->id);
    if (args->format == "json") {
      nlohmann::json j;
      j["sweep"] = opened.sweep.name;
      j["trial"] = best->number;
      j["params"] = nlohmann::json::parse(best->params_json);
      j["metric"] = opened.sweep.metric_name;
      j["cv_mean"] = best->cv_mean.value_or(0);
      j["cv_std"] = best->cv_std.value_or(0);
      if (final_run) {
        j["test"] = {{"accuracy", final_run->test.accuracy}, {"f1_macro", final_run->test.f1_macro},
                     {"loss", final_run->test.loss}, {"epochs", final_run->epochs},
                     {"weights_hash", final_run->weights_hash}};
      }
      std::printf("%s\n", j.dump(2).c_str());
      return static_cast<int>(exit_ok);
    }
    std::printf("best trial of sweep '%s': %d — cv %s %.4f ± %.4f\n", opened.sweep.name.c_str(),
                best->number, opened.sweep.metric_name.c_str(), best->cv_mean.value_or(0),
                best->cv_std.value_or(0));
    for (const auto& [name, value] : best->params) std::printf("  %-14s %s\n", name.c_str(), value.c_str());
    if (final_run) {
      std::printf("held-out test: accuracy %.4f, f1_macro %.4f, loss %.4f (%d epochs, weights %s)\n",
                  final_run->test.accuracy, final_run->test.f1_macro, final_run->test.loss,
                  final_run->epochs, final_run->weights_hash.c_str());
      std::fputs(render_confusion(final_run->confusion, opened.sweep.class_names).c_str(), stdout);
    } else {
      std::printf("no held-out test score yet: `sweep reproduce --best` computes and records it\n");
    }
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
