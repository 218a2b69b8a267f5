#include "supervisor/group_monitor.h"

#include <signal.h>

#include <catch2/catch.hpp>

#include "supervisor/process.h"
#include "supervisor/test_support.h"

using namespace std::chrono_literals;
using bench::supervisor::GroupMonitor;
using bench::supervisor::Process;
using bench::supervisor::testing::eventually;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {
const std::string kHelper = SUPERVISOR_TEST_HELPER;

bool burnt(const std::filesystem::path& log) {
  return eventually([&] { return read_file(log).find("burnt") != std::string::npos; }, 10000ms);
}
}  // namespace

TEST_CASE("GroupMonitor measures the CPU and memory of a busy child", "[group_monitor]") {
  TempDir dir;
  auto child = Process::spawn({.argv = {kHelper, "burn", "0.3"}, .log = dir / "burn.log"});
  GroupMonitor monitor(child.pgid());
  monitor.start();
  REQUIRE(burnt(dir / "burn.log"));
  const auto stats = monitor.stop();
  CHECK(stats.cpu_seconds > 0.2);
  CHECK(stats.cpu_seconds < 2.0);
  CHECK(stats.peak_rss_bytes > 0);
  CHECK(stats.processes == 1);
  CHECK_FALSE(stats.leader_died);
  CHECK(stats.samples >= 2);
}

TEST_CASE("GroupMonitor counts the CPU of children the group reaped", "[group_monitor]") {
  TempDir dir;
  auto child = Process::spawn({.argv = {kHelper, "burn-child", "0.3"}, .log = dir / "burn.log"});
  GroupMonitor monitor(child.pgid());
  monitor.start();
  REQUIRE(burnt(dir / "burn.log"));
  const auto stats = monitor.stop();
  CHECK(stats.cpu_seconds > 0.2);
  CHECK(stats.cpu_seconds < 2.0);
  CHECK(stats.distinct_processes >= 1);
}

TEST_CASE("GroupMonitor by parentage follows children into their own sessions", "[group_monitor]") {
  TempDir dir;
  const bool stay = GENERATE(true, false);  // a live child (a backend), or one its parent reaped
  CAPTURE(stay);
  auto parent = Process::spawn({.argv = {kHelper, "session-child", "0.3", stay ? "stay" : "exit"},
                                .log = dir / "burn.log"});
  GroupMonitor by_children(parent.pid(), GroupMonitor::Match::children);
  GroupMonitor by_group(parent.pgid());
  by_children.start();
  by_group.start();
  REQUIRE(burnt(dir / "burn.log"));
  const auto children = by_children.stop();
  const auto group = by_group.stop();
  if (stay) {
    const auto text = read_file(dir / "burn.log");
    ::kill(static_cast<pid_t>(std::stol(text.substr(text.find("burnt ") + 6))), SIGKILL);  // not in the group
  }
  CHECK(children.cpu_seconds > 0.2);
  CHECK(children.cpu_seconds < 2.0);
  if (stay) CHECK(group.cpu_seconds < 0.1);  // a live child in its own session is not the group's
}

TEST_CASE("GroupMonitor only counts CPU used inside its window", "[group_monitor]") {
  TempDir dir;
  auto child = Process::spawn({.argv = {kHelper, "burn", "0.3"}, .log = dir / "burn.log"});
  REQUIRE(burnt(dir / "burn.log"));
  GroupMonitor monitor(child.pgid());
  monitor.start();
  const auto stats = monitor.stop();
  CHECK(stats.cpu_seconds < 0.05);
}

TEST_CASE("GroupMonitor counts every process in the group", "[group_monitor]") {
  TempDir dir;
  auto child = Process::spawn({.argv = {kHelper, "ignore-term", "2"}, .log = dir / "pids.log"});
  REQUIRE(eventually([&] { return read_file(dir / "pids.log").find('\n') != std::string::npos; }));
  GroupMonitor monitor(child.pgid());
  monitor.start();
  const auto stats = monitor.stop();
  CHECK(stats.processes == 3);
  CHECK(stats.distinct_processes == 3);
  CHECK(stats.peak_rss_bytes > 0);
  CHECK_FALSE(stats.leader_died);
  child.stop(100ms);
}

TEST_CASE("GroupMonitor notices the leader dying", "[group_monitor]") {
  auto child = Process::spawn({.argv = {kHelper, "sleep"}});
  GroupMonitor monitor(child.pgid());
  monitor.start();
  ::kill(child.pid(), SIGKILL);
  REQUIRE(eventually([&] { return !child.running(); }));
  const auto stats = monitor.stop();
  CHECK(stats.leader_died);
}
