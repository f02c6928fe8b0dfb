#include "engine/cli/cli_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "engine/data/output_file.h"
#include "engine/sched/scheduler.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::cli {

namespace fs = std::filesystem;

int finish_standard_output(int status) {
  // A write that failed earlier left the error flag set; its errno may be long gone, so the
  // flush's own errno is reported when there is one.
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int flush_error = errno;
  const bool clean = flushed && !std::ferror(stdout);
  const bool closed = std::fclose(stdout) == 0;
  const int close_error = errno;
  if (clean && closed) return status;
  const int error = !flushed ? flush_error : !closed ? close_error : 0;
  std::fprintf(stderr, "sweep: error: standard output: write failed: %s\n",
               error ? std::strerror(error) : "an earlier write did not complete");
  return exit_store;
}

CLI::Validator at_least(long long minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        long long value = 0;
        std::size_t used = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size() || value < minimum) {
          return "must be a whole number of " + std::to_string(minimum) + " or more, got '" + text + "'";
        }
        return {};
      },
      "INT>=" + std::to_string(minimum));
}

CLI::Validator positive_seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size() || !(value > 0) || !std::isfinite(value)) {
          return "must be a number of seconds above 0, got '" + text + "'";
        }
        return {};
      },
      "SECONDS>0");
}

void write_output(const std::string& output_path, const std::string& text, bool force) {
  if (output_path.empty() || output_path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  write_file_atomically(output_path, text, force);
  std::fprintf(stderr, "wrote %s\n", output_path.c_str());
}

void add_database_options(CLI::App& command, DatabaseChoice& choice) {
  command.add_option("--db", choice.db_path, "results database (default: from the sweep file, "
                                             "else the newest results/*.db)");
  command.add_option("--sweep-file,-f", choice.sweep_file, "sweep file whose results to read");
  command.add_option("--sweep", choice.sweep_name, "sweep name, when the database holds several");
}

static std::string newest_database() {
  const fs::path dir = "results";
  std::string newest;
  fs::file_time_type newest_time{};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".db") continue;
    const auto t = entry.last_write_time(ec);
    if (newest.empty() || t > newest_time) {
      newest = entry.path().string();
      newest_time = t;
    }
  }
  return newest;
}

OpenedSweep open_sweep_for_reading(const DatabaseChoice& choice, StoreMode mode) {
  std::string path = choice.db_path;
  std::string name = choice.sweep_name;
  if (path.empty() && !choice.sweep_file.empty()) {
    const SweepSpec spec = load_sweep_file(choice.sweep_file);
    path = results_database_path(spec);
    if (name.empty()) name = spec.name;
  }
  if (path.empty()) path = newest_database();
  if (path.empty()) {
    throw StoreError("no results database: none given (--db or --sweep-file) and no results/*.db "
                     "in " + fs::current_path().string() + " — run a sweep first");
  }
  // A postgresql:// URL is a server (issue 14), read through a snapshot.
  const bool server = path.rfind("postgresql://", 0) == 0 || path.rfind("postgres://", 0) == 0;
  if (!server && !fs::exists(path)) throw StoreError(path + ": no such results database");
  OpenedSweep opened;
  opened.store = std::make_unique<Store>(path, mode);
  auto sweep = opened.store->latest_sweep(name);
  if (!sweep && name.empty()) throw StoreError(path + ": holds no sweep");
  if (!sweep) {
    // A name the user typed that is not there: their command line to fix (exit 64).
    std::string names;
    for (const auto& row : opened.store->query("SELECT DISTINCT name FROM sweeps ORDER BY name").rows) {
      names += (names.empty() ? "" : ", ") + sql_value_text(row.at(0));
    }
    throw std::invalid_argument(path + ": holds no sweep named '" + name + "' (" +
                                (names.empty() ? std::string("it holds none") : "its sweeps: " + names) + ")");
  }
  opened.sweep = *sweep;
  return opened;
}

std::vector<std::string> swept_parameter_names(const std::vector<TrialRecord>& trials) {
  std::map<std::string, std::set<std::string>> values;
  for (const auto& t : trials) {
    for (const auto& [name, value] : t.params) values[name].insert(value);
  }
  std::vector<std::string> names;
  for (const auto& [name, distinct] : values) {
    if (distinct.size() > 1) names.push_back(name);
  }
  return names;
}

std::string param_value(const TrialRecord& trial, const std::string& name) {
  for (const auto& [n, v] : trial.params) {
    if (n == name) return v;
  }
  return "";
}

static bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && (*end == '\0' || *end == ' ');
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(headers.size());
  // Widths count code points so that "±" does not misalign columns.
  auto length = [](const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  };
  for (std::size_t c = 0; c < headers.size(); ++c) width[c] = length(headers[c]);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], length(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string out;
    for (std::size_t c = 0; c < headers.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      const std::string pad(width[c] - length(cell), ' ');
      const bool right = !header && looks_numeric(cell);
      out += (c ? "  " : "") + (right ? pad + cell : cell + pad);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers, true);
  std::string rule;
  for (std::size_t c = 0; c < headers.size(); ++c) rule += (c ? "  " : "") + std::string(width[c], '-');
  out += rule + "\n";
  for (const auto& row : rows) out += line(row, false);
  return out;
}

static std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string render_csv(const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + csv_cell(cells[c]);
    out += "\n";
  };
  line(headers);
  for (const auto& row : rows) line(row);
  return out;
}

std::string format_metric(double value) { return fmt::format("{:.4f}", value); }

void print_spec_messages(const std::vector<SpecMessage>& messages, bool count) {
  std::size_t problems = 0;
  for (const auto& m : messages) {
    std::fprintf(stderr, "sweep: %s: %s\n", severity_name(m.severity), m.str().c_str());
    if (m.severity != SpecMessage::Severity::note) ++problems;
  }
  if (count && problems > 1) std::fprintf(stderr, "sweep: %s\n", count_problems(messages).c_str());
}

}  // namespace eegsweep::cli

namespace eegsweep::cli {

std::string render_confusion(const ConfusionMatrix& confusion,
                             const std::vector<std::string>& class_names) {
  std::vector<std::string> headers = {"true \\ predicted"};
  headers.insert(headers.end(), class_names.begin(), class_names.end());
  std::vector<std::vector<std::string>> rows;
  for (int t = 0; t < confusion.classes; ++t) {
    std::vector<std::string> row = {t < static_cast<int>(class_names.size()) ? class_names[t]
                                                                              : std::to_string(t)};
    for (int p = 0; p < confusion.classes; ++p) row.push_back(std::to_string(confusion.at(t, p)));
    rows.push_back(std::move(row));
  }
  return render_table(headers, rows);
}

}  // namespace eegsweep::cli
