#include "supervisor/adopted.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "supervisor/process.h"
#include "supervisor/test_support.h"

using namespace std::chrono_literals;
using bench::supervisor::Process;
using bench::supervisor::process_alive;
using bench::supervisor::testing::eventually;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {
const std::string kHelper = SUPERVISOR_TEST_HELPER;
}

// Issue #10: a server child that escapes with setsid must not outlive the run.
TEST_CASE("a process that escaped its group with setsid is adopted and stopped", "[adopted]") {
  REQUIRE(bench::supervisor::become_subreaper());
  TempDir dir;
  // sh starts the helper in a new session (setsid -f forks it off) and exits: the helper's parent is gone and it
  // is in no group that Process::stop or the guardian would kill.
  auto shell = Process::spawn({.argv = bench::supervisor::shell_command("setsid -f " + kHelper + " sleep"),
                               .log = dir.path() / "shell.log"});
  CHECK(shell.wait() == 0);
  pid_t escaped = -1;
  REQUIRE(eventually([&] {
    const auto found = bench::supervisor::adopted_children();
    for (const pid_t pid : found)
      if (::getpgid(pid) == pid) escaped = pid;
    return escaped > 0;
  }));
  CHECK(::getpgid(escaped) == escaped);  // its own group: the escape is real
  CHECK(bench::supervisor::stop_adopted(2s) >= 1);
  CHECK_FALSE(process_alive(escaped));
  CHECK(bench::supervisor::adopted_children().empty());
  // The children bench started itself are never taken for adopted ones.
  auto own = Process::spawn({.argv = {kHelper, "sleep"}});
  CHECK(bench::supervisor::adopted_children().empty());
  own.stop();
}

TEST_CASE("a group that outlives its grace period is killed and that is reported", "[adopted]") {
  TempDir dir;
  auto stubborn = Process::spawn({.argv = {kHelper, "ignore-term", "0"}, .log = dir.path() / "t.log"});
  REQUIRE(eventually([&] { return !read_file(dir.path() / "t.log").empty(); }));
  CHECK_FALSE(stubborn.killed_at_stop());
  stubborn.stop(200ms);
  CHECK(stubborn.killed_at_stop());
  auto polite = Process::spawn({.argv = {kHelper, "sleep"}});
  polite.stop(5s);
  CHECK_FALSE(polite.killed_at_stop());
}

TEST_CASE("a stopped (SIGSTOP) server still gets its SIGTERM within the grace period", "[adopted]") {
  auto frozen = Process::spawn({.argv = {kHelper, "sleep"}});
  REQUIRE(eventually([&] { return process_alive(frozen.pid()); }));
  ::kill(frozen.pid(), SIGSTOP);
  const auto started = std::chrono::steady_clock::now();
  frozen.stop(10s);
  CHECK(std::chrono::steady_clock::now() - started < 5s);  // SIGCONT after SIGTERM: no wait for the grace period
  CHECK_FALSE(frozen.killed_at_stop());
}
