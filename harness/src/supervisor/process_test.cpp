#include "supervisor/process.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "supervisor/test_support.h"

using namespace std::chrono_literals;
using bench::supervisor::group_members;
using bench::supervisor::Process;
using bench::supervisor::process_alive;
using bench::supervisor::ProcessSpec;
using bench::supervisor::run_to_completion;
using bench::supervisor::shell_command;
using bench::supervisor::SpawnError;
using bench::supervisor::testing::eventually;
using bench::supervisor::testing::first_line;
using bench::supervisor::testing::pids_in;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {
const std::string kHelper = SUPERVISOR_TEST_HELPER;
}  // namespace

TEST_CASE("a child's exit code is reported and is 128+signal when killed", "[process]") {
  auto ok = Process::spawn({.argv = {"true"}});
  CHECK(ok.wait() == 0);
  auto failing = Process::spawn({.argv = shell_command("exit 3")});
  CHECK(failing.wait() == 3);
  CHECK(failing.exit_code() == 3);
  CHECK_FALSE(failing.running());
  auto killed = Process::spawn({.argv = {kHelper, "sleep"}});
  CHECK(killed.running());
  ::kill(killed.pid(), SIGKILL);
  CHECK(killed.wait() == 128 + SIGKILL);
}

TEST_CASE("the child leads its own process group", "[process]") {
  auto child = Process::spawn({.argv = {kHelper, "sleep"}});
  CHECK(::getpgid(child.pid()) == child.pid());
  CHECK(::getpgid(child.pid()) != ::getpgrp());
}

TEST_CASE("stdout and stderr are appended to the log", "[process]") {
  TempDir dir;
  const auto log = dir / "logs" / "child.log";
  ProcessSpec spec{.argv = shell_command("echo out; echo err >&2"), .log = log};
  CHECK(Process::spawn(spec).wait() == 0);
  CHECK(Process::spawn(spec).wait() == 0);
  const std::string text = read_file(log);
  CHECK(text.find("out\n") != std::string::npos);
  CHECK(text.find("err\n") != std::string::npos);
  CHECK(text.size() == 16);  // appended twice, not truncated
}

TEST_CASE("env is added to the inherited environment and cwd is honoured", "[process]") {
  TempDir dir;
  ::setenv("BENCH_INHERITED", "yes", 1);
  ProcessSpec spec{.argv = shell_command("echo \"$BENCH_ADDED $BENCH_INHERITED\"; pwd"),
                   .cwd = dir.path(),
                   .env = {{"BENCH_ADDED", "a value with spaces"}},
                   .log = dir / "out.log"};
  REQUIRE(Process::spawn(spec).wait() == 0);
  const std::string canonical = std::filesystem::canonical(dir.path()).string();
  CHECK(read_file(dir / "out.log") == "a value with spaces yes\n" + canonical + "\n");
}

TEST_CASE("spawn failures are SpawnErrors that say why", "[process]") {
  CHECK_THROWS_AS(Process::spawn({.argv = {"no-such-program-anywhere"}}), SpawnError);
  CHECK_THROWS_WITH(Process::spawn({.argv = {"/nonexistent/program"}}), Catch::Contains("No such file"));
  CHECK_THROWS_WITH(Process::spawn({.argv = {"true"}, .cwd = "/nonexistent/dir"}), Catch::Contains("does not exist"));
  CHECK_THROWS_AS(Process::spawn({.argv = {}}), SpawnError);
  if (::geteuid() == 0)
    CHECK_THROWS_WITH(Process::spawn({.argv = {"true"}, .run_as_user = "no-such-user-xyz"}),
                      Catch::Contains("no such account"));
}

TEST_CASE("run_as_user drops privileges when root", "[process]") {
  if (::geteuid() != 0) return;  // nothing to drop
  TempDir dir;
  ProcessSpec spec{.argv = {"id", "-un"}, .log = dir / "id.log", .run_as_user = "nobody"};
  REQUIRE(Process::spawn(spec).wait() == 0);
  CHECK(read_file(dir / "id.log") == "nobody\n");
}

TEST_CASE("stop escalates to SIGKILL for a group that ignores SIGTERM", "[process]") {
  TempDir dir;
  auto child = Process::spawn({.argv = {kHelper, "ignore-term", "2"}, .log = dir / "pids.log"});
  const auto pids = pids_in(first_line(dir / "pids.log"));
  REQUIRE(pids.size() == 3);
  CHECK(group_members(child.pgid()).size() == 3);
  const auto started = std::chrono::steady_clock::now();
  CHECK(child.stop(200ms) == 128 + SIGKILL);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(took >= 200ms);
  CHECK(took < 3s);
  for (const pid_t pid : pids) CHECK_FALSE(process_alive(pid));
  CHECK(group_members(pids[0]).empty());
}

TEST_CASE("stop with SIGTERM ends a cooperative child quickly and is idempotent", "[process]") {
  auto child = Process::spawn({.argv = {kHelper, "sleep"}});
  const auto started = std::chrono::steady_clock::now();
  CHECK(child.stop(5s) == 128 + SIGTERM);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(child.stop() == 128 + SIGTERM);
  CHECK_FALSE(process_alive(child.pid()));
}

TEST_CASE("stop kills what a finished leader left behind in its group", "[process]") {
  TempDir dir;
  auto child = Process::spawn({.argv = shell_command("'" + kHelper + "' sleep & echo $!"), .log = dir / "bg.log"});
  const auto pids = pids_in(first_line(dir / "bg.log"));
  REQUIRE(pids.size() == 1);
  CHECK(child.wait() == 0);
  CHECK(process_alive(pids[0]));
  child.stop(1s);
  CHECK(eventually([&] { return !process_alive(pids[0]); }));
}

TEST_CASE("the destructor and move assignment stop the child", "[process]") {
  pid_t pid = 0;
  {
    auto child = Process::spawn({.argv = {kHelper, "sleep"}});
    pid = child.pid();
    Process moved = std::move(child);
    CHECK(moved.pid() == pid);
    CHECK(process_alive(pid));
  }
  CHECK_FALSE(process_alive(pid));
  auto first = Process::spawn({.argv = {kHelper, "sleep"}});
  const pid_t first_pid = first.pid();
  first = Process::spawn({.argv = {kHelper, "sleep"}});
  CHECK_FALSE(process_alive(first_pid));
}

TEST_CASE("a child dies with the process that spawned it (PDEATHSIG)", "[process]") {
  TempDir dir;
  auto parent = Process::spawn({.argv = {kHelper, "spawn-child", kHelper}, .log = dir / "child.log"});
  const auto pids = pids_in(first_line(dir / "child.log"));
  REQUIRE(pids.size() == 1);
  const pid_t grandchild = pids[0];
  CHECK(process_alive(grandchild));
  CHECK(::getpgid(grandchild) == grandchild);  // its own group: stopping the parent's group would not reach it
  ::kill(parent.pid(), SIGKILL);
  CHECK(parent.wait() == 128 + SIGKILL);
  CHECK(eventually([&] { return !process_alive(grandchild); }));
}

TEST_CASE("run_to_completion reports exit codes and elapsed time", "[process]") {
  const auto outcome = run_to_completion({.argv = shell_command("exit 7")}, 5s);
  CHECK(outcome.exit_code == 7);
  CHECK_FALSE(outcome.timed_out);
  CHECK_FALSE(outcome.interrupted);
  CHECK_FALSE(outcome.ok());
  CHECK(outcome.elapsed < 5s);
  CHECK(run_to_completion({.argv = {"true"}}, 5s).ok());
}

TEST_CASE("run_to_completion kills the group on timeout", "[process]") {
  TempDir dir;
  const auto started = std::chrono::steady_clock::now();
  const auto outcome =
      run_to_completion({.argv = {kHelper, "ignore-term", "1"}, .log = dir / "pids.log"}, 300ms);
  CHECK(outcome.timed_out);
  CHECK(outcome.exit_code == 128 + SIGKILL);
  CHECK(outcome.elapsed >= 300ms);
  CHECK(std::chrono::steady_clock::now() - started < 4s);
  for (const pid_t pid : pids_in(first_line(dir / "pids.log"))) CHECK_FALSE(process_alive(pid));
}

TEST_CASE("run_to_completion stops when asked", "[process]") {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);  // the thing under test is the reaction to the flag, not readiness
    stop = true;
  });
  const auto outcome = run_to_completion({.argv = {kHelper, "sleep"}}, 10s, &stop);
  stopper.join();
  CHECK(outcome.interrupted);
  CHECK_FALSE(outcome.timed_out);
  CHECK(outcome.exit_code == 128 + SIGTERM);
  CHECK(outcome.elapsed < 2s);
  TempDir dir;
  const auto not_started = run_to_completion({.argv = {"touch", (dir / "ran").string()}}, 10s, &stop);
  CHECK(not_started.interrupted);
  CHECK_FALSE(std::filesystem::exists(dir / "ran"));
}
