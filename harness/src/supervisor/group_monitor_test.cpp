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
