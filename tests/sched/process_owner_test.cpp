// Owners of running trials: a live process is recognised, and a dead one is recognised even when
// its pid now belongs to another process (same pid, another start time), or the host rebooted.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "engine/sched/process_owner.h"

namespace eegsweep {
namespace {

std::vector<std::string> fields(const std::string& owner) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t colon; (colon = owner.find(':', start)) != std::string::npos; start = colon + 1) {
    parts.push_back(owner.substr(start, colon - start));
  }
  parts.push_back(owner.substr(start));
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : ":") + p;
  return text;
}

TEST(ProcessOwner, ThisProcessIsHostPidStartAndBoot) {
  const std::vector<std::string> me = fields(this_process_owner());
  ASSERT_EQ(me.size(), 4u) << this_process_owner();
  EXPECT_EQ(me[0], host_name());
  EXPECT_EQ(me[1], std::to_string(getpid()));
  EXPECT_TRUE(owner_is_alive(this_process_owner()));
}

// The pid-reuse case: the pid is alive (it is this test's own), but the start time is not the
// one recorded, so the recorded process is gone.
TEST(ProcessOwner, ALivePidWithAnotherStartTimeIsNotTheOwner) {
  std::vector<std::string> me = fields(this_process_owner());
  ASSERT_EQ(me.size(), 4u);
  std::vector<std::string> reused = me;
  reused[2] = std::to_string(std::stoll(me[2]) + 1);
  EXPECT_FALSE(owner_is_alive(join(reused)));
  reused[2] = "0";
  EXPECT_FALSE(owner_is_alive(join(reused)));
  std::vector<std::string> rebooted = me;
  rebooted[3] = "00000000-0000-0000-0000-000000000000";
  EXPECT_FALSE(owner_is_alive(join(rebooted))) << "an owner from before the last boot";
}

TEST(ProcessOwner, AnExitedProcessIsNotAlive) {
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string owner = this_process_owner();
    (void)!write(pipe_ends[1], owner.data(), owner.size());
    _exit(0);
  }
  close(pipe_ends[1]);
  std::string owner;
  char buffer[256];
  for (ssize_t n; (n = read(pipe_ends[0], buffer, sizeof buffer)) > 0;) owner.append(buffer, n);
  close(pipe_ends[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(fields(owner).size(), 4u) << owner;
  EXPECT_EQ(fields(owner)[1], std::to_string(child));
  EXPECT_FALSE(owner_is_alive(owner));
}

// Databases written before the start time was recorded hold "host:pid".
TEST(ProcessOwner, OldHostPidOwnersAreCheckedByPid) {
  EXPECT_TRUE(owner_is_alive(host_name() + ":" + std::to_string(getpid())));
  EXPECT_FALSE(owner_is_alive(host_name() + ":999999999"));  // above any pid_max
}

TEST(ProcessOwner, OtherHostsCountAsAliveAndNonsenseAsDead) {
  EXPECT_TRUE(owner_is_alive("some-other-host:1"));
  EXPECT_TRUE(owner_is_alive("some-other-host:1:2:boot"));
  for (const std::string& nonsense :
       {std::string(""), std::string("nohost"), host_name() + ":abc", host_name() + ":-5",
        host_name() + ":1:2", host_name() + ":" + std::to_string(getpid()) + ":x:y:z"}) {
    EXPECT_FALSE(owner_is_alive(nonsense)) << nonsense;
  }
}

}  // namespace
}  // namespace eegsweep
