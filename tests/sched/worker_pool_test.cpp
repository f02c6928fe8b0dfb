// The worker pool starts threads only as jobs need them, and a thread that cannot be started is
// an error the caller can handle (never std::terminate). Jobs here train nothing: they block on a
// gate the test opens, so how many run at once is set by the test, not by timing.
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <system_error>

#include "engine/sched/worker_pool.h"

namespace eegsweep {
namespace {

WorkerPool::Job job_waiting_for(std::shared_future<void> gate, int fold) {
  return [gate, fold] {
    gate.wait();
    UnitResult r;
    r.unit.fold = fold;
    return r;
  };
}

WorkerPool::Job job(int fold) {
  return [fold] {
    UnitResult r;
    r.unit.fold = fold;
    return r;
  };
}

TEST(WorkerPool, OneJobAtATimeNeedsOneThread) {
  WorkerPool pool(100000);
  for (int i = 0; i < 5; ++i) {
    pool.submit(job(i));
    EXPECT_EQ(pool.next_result().unit.fold, i);
  }
  EXPECT_EQ(pool.threads(), 1);
}

TEST(WorkerPool, StartsAThreadPerConcurrentJobUpToItsMaximum) {
  std::promise<void> open;
  std::shared_future<void> gate = open.get_future().share();
  WorkerPool pool(100000);
  for (int i = 0; i < 3; ++i) pool.submit(job_waiting_for(gate, i));
  EXPECT_EQ(pool.threads(), 3);
  open.set_value();
  std::set<int> folds;
  for (int i = 0; i < 3; ++i) folds.insert(pool.next_result().unit.fold);
  EXPECT_EQ(folds, (std::set<int>{0, 1, 2}));
  EXPECT_EQ(pool.threads(), 3);
}

TEST(WorkerPool, MoreJobsThanThreadsWaitTheirTurn) {
  std::promise<void> open;
  std::shared_future<void> gate = open.get_future().share();
  WorkerPool pool(2);
  for (int i = 0; i < 5; ++i) pool.submit(job_waiting_for(gate, i));
  EXPECT_EQ(pool.threads(), 2);
  open.set_value();
  std::set<int> folds;
  for (int i = 0; i < 5; ++i) folds.insert(pool.next_result().unit.fold);
  EXPECT_EQ(folds, (std::set<int>{0, 1, 2, 3, 4}));
}

std::thread refuse(std::function<void()>) {
  throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
}

TEST(WorkerPool, NoThreadAtAllIsACleanError) {
  WorkerPool pool(8, refuse);
  try {
    pool.submit(job(0));
    FAIL() << "submit without a worker did not throw";
  } catch (const WorkerStartError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot start worker thread 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pool.threads(), 0);
}  // the destructor has nothing to join and must not terminate

// The second thread cannot be started: both jobs still run, on the one worker there is.
TEST(WorkerPool, KeepsWorkingWithTheThreadsItCouldStart) {
  int started = 0;
  WorkerPool::ThreadStarter once = [&started](std::function<void()> body) {
    if (started++ > 0) return refuse(body);
    return std::thread(std::move(body));
  };
  std::promise<void> open;
  std::shared_future<void> gate = open.get_future().share();
  WorkerPool pool(8, once);
  pool.submit(job_waiting_for(gate, 0));
  EXPECT_FALSE(pool.take_start_failure());
  pool.submit(job_waiting_for(gate, 1));
  const auto why = pool.take_start_failure();
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("cannot start worker thread 2"), std::string::npos) << *why;
  EXPECT_FALSE(pool.take_start_failure()) << "said once";
  EXPECT_EQ(pool.threads(), 1);
  pool.submit(job_waiting_for(gate, 2));  // no further attempt: the pool stays at one thread
  EXPECT_EQ(started, 2);
  open.set_value();
  std::set<int> folds;
  for (int i = 0; i < 3; ++i) folds.insert(pool.next_result().unit.fold);
  EXPECT_EQ(folds, (std::set<int>{0, 1, 2}));
}

}  // namespace
}  // namespace eegsweep
