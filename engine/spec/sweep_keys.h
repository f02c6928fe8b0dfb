#pragma once
// Every key of a sweep file outside `parameters:` (those are in parameters.h), as documentation:
// generated from the same declarations that parse and validate the keys (sweep_keys.cpp), so the
// README's key reference and `sweep validate --help` cannot drift from what is accepted.

#include <string>
#include <vector>

namespace eegsweep {

struct SweepKeyDoc {
  std::string path;     // "cv.folds"
  std::string type;     // "int", "float", "bool", "text", "choice", "names", "path", "mapping", …
  std::string default_text;
  std::string allowed;  // a range, the choices, or empty
  std::string formats;  // the data formats it applies to ("csv, muse"), or empty for all
  std::string help;
};

std::vector<SweepKeyDoc> sweep_key_docs();  // in file order
std::string sweep_keys_markdown();          // for the README
std::string sweep_keys_text();              // for --help

}  // namespace eegsweep
