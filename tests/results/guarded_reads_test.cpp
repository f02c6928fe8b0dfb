// Reading a store without changing it: read-only opening, the integrity check on open, and the
// bounds on user SQL (one expression, one statement, a time limit, bounded blobs).

#include <sys/stat.h>

#include <fstream>
#include <functional>

#include "store_test_util.h"

namespace eegsweep {
namespace {

using test::kEveryoneAlive;
using test::make_fold;
using test::make_sweep_info;
using test::make_trials;
using test::TempDir;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(no StoreError thrown)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A store with one sweep of two trials, one of them with a fold.
std::string filled_store(const TempDir& dir) {
  const std::string path = dir.file("r.db");
  Store store(path);
  const std::int64_t sweep = store.open_sweep(make_sweep_info("s"), false);
  store.add_trials(sweep, make_trials(2));
  const auto trial = store.claim_trial(sweep, "me", kEveryoneAlive);
  store.record_fold(trial->id, make_fold(0, 0.5));
  return path;
}

TEST(ReadOnlyStore, NeverCreatesAFileOrASchema) {
  TempDir dir;
  EXPECT_TRUE(contains(error_of([&] { Store s(dir.file("none.db"), StoreMode::read_only); }),
                       "no such results database"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("none.db")));
  const std::string empty = dir.file("empty.db");
  std::ofstream(empty).flush();
  EXPECT_TRUE(contains(error_of([&] { Store s(empty, StoreMode::read_only); }), "empty database"));
  EXPECT_EQ(std::filesystem::file_size(empty), 0u);
}

TEST(ReadOnlyStore, ReadsWhatTheWriterStoredAndRefusesToWrite) {
  TempDir dir;
  const std::string path = filled_store(dir);
  Store reader(path, StoreMode::read_only);
  const auto sweep = reader.latest_sweep();
  ASSERT_TRUE(sweep);
  EXPECT_EQ(reader.trials(sweep->id).size(), 2u);
  EXPECT_THROW(reader.add_trials(sweep->id, make_trials(3)), StoreError);
}

TEST(StoreIntegrity, ADamagedPageIsRefusedOnOpen) {
  TempDir dir;
  const std::string path = filled_store(dir);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 3);  // page 4, a b-tree page
    const std::string garbage(64, '\xff');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  for (StoreMode mode : {StoreMode::read_write, StoreMode::read_only}) {
    const std::string message = error_of([&] { Store s(path, mode); });
    EXPECT_TRUE(contains(message, path)) << message;
    EXPECT_TRUE(contains(message, "damaged")) << message;
  }
}

TEST(StoreOpen, SpecialFilesAreRefused) {
  TempDir dir;
  const std::string fifo = dir.file("fifo.db");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_TRUE(contains(error_of([&] { Store s(fifo); }), "not a regular file"));
  EXPECT_TRUE(contains(error_of([&] { Store s("/dev/zero", StoreMode::read_only); }), "not a regular file"));
}

TEST(UserSql, AFilterIsExactlyOneExpression) {
  TempDir dir;
  Store store(filled_store(dir), StoreMode::read_only);
  const std::int64_t sweep = store.latest_sweep()->id;
  auto filter_error = [&](const std::string& where) {
    LeaderboardQuery q;
    q.where = where;
    return error_of([&] { store.leaderboard(sweep, q); });
  };
  EXPECT_TRUE(contains(filter_error("1=1) or (1=1"), "closes a parenthesis it did not open (at character 4)"));
  EXPECT_TRUE(contains(filter_error("1=1; select 1"), "has a ';' (at character 4)"));
  EXPECT_TRUE(contains(filter_error("trial = 1 -- rest"), "comment"));
  EXPECT_TRUE(contains(filter_error("((trial = 1)"), "leaves 1 '(' unclosed"));
  EXPECT_TRUE(contains(filter_error("sweep = 'a"), "unclosed '"));
  LeaderboardQuery quoted;
  quoted.where = "sweep != 'it''s ) ; --' and trial >= 1";
  EXPECT_NO_THROW(store.leaderboard(sweep, quoted));
}

TEST(UserSql, AQueryIsOneStatement) {
  TempDir dir;
  Store store(filled_store(dir), StoreMode::read_only);
  EXPECT_TRUE(contains(error_of([&] { store.query("select 1; select 2"); }), "text follows it: 'select 2'"));
  EXPECT_EQ(store.query("select 1;  \n").rows.size(), 1u);
}

// These queries never finish (or finish only after allocating a gigabyte): the bound decides that
// they stop, not the speed of the machine.
TEST(UserSql, TimeAndSizeAreBounded) {
  TempDir dir;
  Store store(filled_store(dir), StoreMode::read_only);
  const std::string endless = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c";
  EXPECT_TRUE(contains(error_of([&] { store.query(endless, {}, 0.2); }), "time limit of 0.2 s"));
  EXPECT_TRUE(contains(error_of([&] { store.query("select length(randomblob(1e9))", {}, 5); }), "too big"));
  // Without a limit (the store's own reads) nothing is bounded; the limits are undone afterwards.
  EXPECT_EQ(std::get<std::int64_t>(store.query("select length(zeroblob(20000000))").rows.at(0).at(0)), 20000000);
}

}  // namespace
}  // namespace eegsweep
