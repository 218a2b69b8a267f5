#include "supervisor/guardian.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "supervisor/process.h"
#include "supervisor/test_support.h"

using namespace std::chrono_literals;
using bench::supervisor::group_members;
using bench::supervisor::guardian_pid;
using bench::supervisor::Process;
using bench::supervisor::process_alive;
using bench::supervisor::shell_command;
using bench::supervisor::testing::eventually;
using bench::supervisor::testing::first_line;
using bench::supervisor::testing::pids_in;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {
const std::string kHelper = SUPERVISOR_TEST_HELPER;

// What an fd of another process points at ("/dev/null", "socket:[1234]"...), empty if it is gone.
std::string fd_target(const std::filesystem::path& fd) {
  std::error_code ec;
  const auto target = std::filesystem::read_symlink(fd, ec);
  return ec ? std::string() : target.string();
}

std::multiset<std::string> open_fds(pid_t pid) {
  std::multiset<std::string> targets;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec))
    targets.insert(entry.path().filename().string() + " " + fd_target(entry.path()));
  return targets;
}

// A harness (the test helper) started in guarded-shell mode: the group it started and its guardian. Whatever the
// test's outcome, the group is killed at the end so a failing test leaves no `sleep 60` behind.
struct GuardedShell {
  explicit GuardedShell(const std::string& then) {
    harness.emplace(Process::spawn({.argv = {kHelper, "guarded-shell", then}, .log = dir / "helper.log"}));
    const auto ids = pids_in(first_line(dir / "helper.log"));
    if (ids.size() == 2) {
      pgid = ids[0];
      guardian = ids[1];
    }
  }
  ~GuardedShell() {
    if (pgid > 1 && !group_members(pgid).empty()) ::kill(-pgid, SIGKILL);
  }
  GuardedShell(const GuardedShell&) = delete;
  GuardedShell& operator=(const GuardedShell&) = delete;

  TempDir dir;
  std::optional<Process> harness;
  pid_t pgid = -1;
  pid_t guardian = -1;
};
}  // namespace

TEST_CASE("the guardian runs in its own group and holds nothing but its channel and /dev/null", "[guardian]") {
  Process::spawn({.argv = {"true"}}).wait();
  const auto guardian = guardian_pid();
  REQUIRE(guardian.has_value());
  CHECK(process_alive(*guardian));
  CHECK(::getpgid(*guardian) == *guardian);
  std::multiset<std::string> fds;
  const bool settled = eventually([&] {
    fds = open_fds(*guardian);
    return fds.size() == 4;
  });
  INFO(fds.size() << " fds");
  REQUIRE(settled);
  auto it = fds.begin();
  CHECK(*it++ == "0 /dev/null");
  CHECK(*it++ == "1 /dev/null");
  CHECK(*it++ == "2 /dev/null");
  CHECK(it->find(" socket:[") != std::string::npos);
}

TEST_CASE("children do not inherit the guardian's channel", "[guardian]") {
  TempDir dir;
  const std::string channel = fd_target("/proc/self/fd/" + std::to_string(bench::supervisor::guardian_channel()));
  REQUIRE(channel.rfind("socket:[", 0) == 0);
  REQUIRE(Process::spawn({.argv = shell_command("ls -l /proc/$$/fd"), .log = dir / "fds.log"}).wait() == 0);
  const std::string listing = read_file(dir / "fds.log");
  CHECK(listing.find(" -> ") != std::string::npos);  // ls listed the fds
  CHECK(listing.find(channel) == std::string::npos);
}

TEST_CASE("a SIGKILLed harness takes its whole process group with it grandchildren included", "[guardian]") {
  GuardedShell shell("wait");
  REQUIRE(shell.pgid > 1);
  REQUIRE(shell.guardian > 1);
  REQUIRE(group_members(shell.pgid).size() == 2);  // sh and its child sleep, which PDEATHSIG would not reach
  // A Ctrl-C, a terminal hangup or a SIGTERM to everything must not take the guardian down before it cleans up.
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) CHECK(::kill(shell.guardian, sig) == 0);
  ::kill(shell.harness->pid(), SIGKILL);
  CHECK(shell.harness->wait() == 128 + SIGKILL);
  CHECK(eventually([&] { return group_members(shell.pgid).empty(); }));
  CHECK(eventually([&] { return !process_alive(shell.guardian); }));
}

TEST_CASE("a harness that returns normally leaves nothing behind and its guardian exits", "[guardian]") {
  GuardedShell shell("return");
  REQUIRE(shell.pgid > 1);
  CHECK(shell.harness->wait() == 0);
  CHECK(group_members(shell.pgid).empty());  // stopped by the destructor, before the harness exited
  CHECK(eventually([&] { return !process_alive(shell.guardian); }));
}

TEST_CASE("a harness that exits without stopping its children leaves nothing behind", "[guardian]") {
  GuardedShell shell("exit");  // std::exit: the Process destructor never runs
  REQUIRE(shell.pgid > 1);
  CHECK(shell.harness->wait() == 0);
  CHECK(eventually([&] { return group_members(shell.pgid).empty(); }));
  CHECK(eventually([&] { return !process_alive(shell.guardian); }));
}

TEST_CASE("the guardian kills registered groups and spares released ones", "[guardian]") {
  TempDir dir;
  for (const std::string how : {"release", "keep"}) {
    auto victim = Process::spawn({.argv = {kHelper, "sleep"}});
    auto harness = Process::spawn({.argv = {kHelper, "guard-group", std::to_string(victim.pgid()), how},
                                   .log = dir / (how + ".log")});
    REQUIRE(harness.wait() == 0);
    const auto guardian = pids_in(first_line(dir / (how + ".log")));
    REQUIRE(guardian.size() == 1);
    REQUIRE(eventually([&] { return !process_alive(guardian[0]); }));  // it sends its kills before it exits
    INFO(how);
    if (how == "release")
      CHECK(victim.running());
    else
      CHECK(eventually([&] { return !victim.running(); }));  // SIGKILL is sent, its delivery takes a moment
  }
}

// Issue #10: after a SIGKILL of bench the embedded cluster's folder is removed and results.json says interrupted
// (bench run hands the guardian that command: run/results_folder.h).
TEST_CASE("the guardian removes folders and runs the commands it was handed when its harness dies", "[guardian]") {
  TempDir dir;
  const auto folder = dir.path() / "postgres-abc";
  const auto kept = dir.path() / "kept";
  std::filesystem::create_directories(folder / "data");
  std::filesystem::create_directories(kept);
  { std::ofstream(folder / "data" / "file") << "x"; }
  const auto file = dir.path() / "file with spaces";
  auto harness = Process::spawn({.argv = {kHelper, "clean-on-death", folder.string(), file.string(), kept.string()},
                                 .log = dir.path() / "helper.log"});
  REQUIRE(harness.wait() == 0);
  const auto guardian = pids_in(first_line(dir.path() / "helper.log"));
  REQUIRE(guardian.size() == 1);
  REQUIRE(eventually([&] { return !process_alive(guardian[0]); }, 10s));
  CHECK_FALSE(std::filesystem::exists(folder));
  CHECK(std::filesystem::exists(kept));  // forgotten: the harness cleaned it up itself
  CHECK(read_file(file) == "ran");       // the forgotten command did not run
}
