// The key declarations: every documented default is a value the reader accepts and that changes
// nothing, every section's keys are the declared ones, and the text forms list every key.

#include <gtest/gtest.h>

#include <set>

#include "engine/spec/sweep_keys.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

const char* base_for(const std::string& formats) {
  if (formats == "muse") return "name: k\ndata: {format: muse, path: recordings}\n";
  if (formats.find("csv") == 0) return "name: k\ndata: {format: csv, path: t.csv}\n";
  return "name: k\ndata: {format: synthetic}\n";
}

// A default written out explicitly (with --set, exactly as in a file) must validate and leave the
// sweep as it was without it.
TEST(SweepKeys, EveryDocumentedDefaultIsAcceptedAndChangesNothing) {
  int checked = 0;
  for (const SweepKeyDoc& key : sweep_key_docs()) {
    const std::string& d = key.default_text;
    // Descriptions of defaults rather than values ("required", "results/<name>.db", …).
    if (d.empty() || d == "required" || d.find(' ') != std::string::npos || d.find('<') != std::string::npos)
      continue;
    SCOPED_TRACE(key.path + " = " + d);
    const std::string base = base_for(key.formats);
    const SweepSpec plain = parse_sweep(base, "/tmp/k.yaml");
    SweepSpec explicit_default;
    const std::string yaml = d[0] == '{' ? "'" + d + "'" : d;  // not a YAML mapping
    ASSERT_NO_THROW(explicit_default = parse_sweep(base, "/tmp/k.yaml", {key.path + "=" + yaml}));
    EXPECT_EQ(explicit_default.identity_hash(), plain.identity_hash());
    EXPECT_EQ(explicit_default.method, plain.method);
    EXPECT_EQ(explicit_default.run_cap, plain.run_cap);
    EXPECT_EQ(explicit_default.device, plain.device);
    EXPECT_EQ(explicit_default.max_concurrent, plain.max_concurrent);
    ++checked;
  }
  EXPECT_GE(checked, 20);  // the loop skipped only the descriptive defaults
}

TEST(SweepKeys, UnknownKeysInEverySectionListTheDeclaredOnes) {
  for (const SweepKeyDoc& key : sweep_key_docs()) {
    if (key.type != "mapping" || key.path == "parameters") continue;
    SCOPED_TRACE(key.path);
    std::string formats = key.formats.empty() ? "" : key.formats;
    const std::string base = base_for(formats);
    try {
      parse_sweep(base, "/tmp/k.yaml", {key.path + ".no_such_key=1"});
      FAIL() << "accepted an unknown key under " << key.path;
    } catch (const SpecError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("unknown key"), std::string::npos) << message;
      // Every declared child of the section is listed as allowed.
      for (const SweepKeyDoc& child : sweep_key_docs()) {
        if (child.path.rfind(key.path + ".", 0) != 0) continue;
        const std::string name = child.path.substr(key.path.size() + 1);
        if (name.find('.') != std::string::npos) continue;
        EXPECT_NE(message.find(name), std::string::npos) << name << " missing from: " << message;
      }
    }
  }
}

TEST(SweepKeys, HelpTextNamesEveryKeyOnce) {
  const std::string text = sweep_keys_text();
  std::set<std::string> paths;
  for (const SweepKeyDoc& key : sweep_key_docs()) {
    EXPECT_TRUE(paths.insert(key.path).second) << "declared twice: " << key.path;
    EXPECT_NE(text.find("  " + key.path + " "), std::string::npos) << key.path;
  }
}

}  // namespace
}  // namespace eegsweep
