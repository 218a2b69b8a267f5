// A program the supervisor tests start as a child, to behave in the ways a real server or build might:
//   sleep                     wait until killed
//   ignore-term N             ignore SIGTERM, fork N children in the same group that do too, print all pids
//   spawn-child HELPER        start HELPER sleep through the supervisor, print its pid, wait until killed
//   burn SECONDS              use SECONDS of CPU, print "burnt", wait until killed
//   burn-child SECONDS        fork a child that burns SECONDS of CPU, reap it, print "burnt", wait until killed
//   session-child SECONDS stay|exit
//                             fork a child that moves to its own session (as PostgreSQL's backends do) and burns
//                             SECONDS of CPU; stay: the child prints "burnt <pid>" and waits until killed; exit: the
//                             child exits, the parent reaps it and prints "burnt"; the parent then waits until killed
//   exit CODE                 exit with CODE at once
//   guarded-shell wait|return|exit
//                             start /bin/sh -c "sleep 60; true" (sleep is a grandchild in the group), wait until
//                             sleep runs, print "<pgid> <guardian pid>", then wait until killed, return from main
//                             (the destructor stops the group) or std::exit(0) (no destructor runs)
//   guard-group PGID keep|release
//                             register PGID with this process's guardian (and release it again), print the guardian's
//                             pid, exit
//   clean-on-death FOLDER FILE KEPT
//                             ask this process's guardian, for when this process dies, to remove FOLDER and to run a
//                             command that appends "ran" to FILE; to run another command and remove KEPT too, then
//                             forget both; print the guardian's pid, exit
//   signals exit|linger       install the harness's handlers, print "ready", on the stop flag print "stop <signal>"
//                             then exit 0 or keep running (a second SIGINT must then end it with 130)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <filesystem>
#include <string>
#include <vector>

#include "supervisor/guardian.h"
#include "supervisor/process.h"
#include "supervisor/signals.h"

namespace {

// Polls until the group has `count` live members or a few seconds pass.
bool group_reaches(pid_t pgid, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (bench::supervisor::group_members(pgid).size() < count) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ::usleep(2000);
  }
  return true;
}

[[noreturn]] void wait_forever() {
  while (true) ::pause();
}

void burn(double seconds) {
  const std::clock_t start = std::clock();
  volatile double sink = 0;
  while (static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC < seconds) sink = sink + 1.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string mode = argv[1];
  if (mode == "sleep") wait_forever();
  if (mode == "exit" && argc == 3) return std::atoi(argv[2]);
  if (mode == "ignore-term" && argc == 3) {
    ::signal(SIGTERM, SIG_IGN);
    std::cout << ::getpid();
    for (int i = 0; i < std::atoi(argv[2]); ++i) {
      const pid_t child = ::fork();
      if (child == 0) wait_forever();
      std::cout << ' ' << child;
    }
    std::cout << std::endl;
    wait_forever();
  }
  if (mode == "spawn-child" && argc == 3) {
    auto child = bench::supervisor::Process::spawn({.argv = {argv[2], "sleep"}});
    std::cout << child.pid() << std::endl;
    wait_forever();
  }
  if (mode == "guarded-shell" && argc == 3) {
    const std::string then = argv[2];
    auto shell = bench::supervisor::Process::spawn({.argv = bench::supervisor::shell_command("sleep 60; true")});
    if (!group_reaches(shell.pgid(), 2)) return 3;
    std::cout << shell.pgid() << ' ' << bench::supervisor::guardian_pid().value_or(-1) << std::endl;
    if (then == "wait") wait_forever();
    if (then == "exit") std::exit(0);
    return 0;
  }
  if (mode == "guard-group" && argc == 4) {
    const int channel = bench::supervisor::guardian_channel();
    const pid_t pgid = std::atoi(argv[2]);
    bench::supervisor::guard_group(channel, pgid);
    if (std::string(argv[3]) == "release") bench::supervisor::release_group(pgid);
    std::cout << bench::supervisor::guardian_pid().value_or(-1) << std::endl;
    return 0;
  }
  if (mode == "clean-on-death" && argc == 5) {
    bench::supervisor::remove_on_death(argv[2]);
    // Two commands that append to FILE ($0 in the shell); the second is forgotten, so only "ran" is written.
    bench::supervisor::run_on_death({"/bin/sh", "-c", "printf ran >> \"$0\"", argv[3]});
    bench::supervisor::run_on_death({"/bin/sh", "-c", "printf forgotten >> \"$0\"", argv[3]});
    bench::supervisor::forget_on_death(
        std::vector<std::string>{"/bin/sh", "-c", "printf forgotten >> \"$0\"", argv[3]});
    bench::supervisor::remove_on_death(argv[4]);
    bench::supervisor::forget_on_death(std::filesystem::path(argv[4]));
    std::cout << bench::supervisor::guardian_pid().value_or(-1) << std::endl;
    return 0;
  }
  if (mode == "burn" && argc == 3) {
    burn(std::atof(argv[2]));
    std::cout << "burnt" << std::endl;
    wait_forever();
  }
  if (mode == "burn-child" && argc == 3) {
    const pid_t child = ::fork();
    if (child == 0) {
      burn(std::atof(argv[2]));
      std::_Exit(0);
    }
    ::waitpid(child, nullptr, 0);
    std::cout << "burnt" << std::endl;
    wait_forever();
  }
  if (mode == "session-child" && argc == 4) {
    const bool stay = std::string(argv[3]) == "stay";
    const pid_t child = ::fork();
    if (child == 0) {
      ::setsid();
      burn(std::atof(argv[2]));
      if (!stay) std::_Exit(0);
      std::cout << "burnt " << ::getpid() << std::endl;
      wait_forever();
    }
    if (!stay) {
      ::waitpid(child, nullptr, 0);
      std::cout << "burnt" << std::endl;
    }
    wait_forever();
  }
  if (mode == "signals" && argc == 3) {
    bench::supervisor::install_signal_handlers();
    std::cout << "ready" << std::endl;
    while (!bench::supervisor::stop_requested()) ::usleep(2000);
    std::cout << "stop " << bench::supervisor::received_signal() << std::endl;
    if (std::string(argv[2]) == "linger") wait_forever();
    return 0;
  }
  std::cerr << "test_helper: bad arguments\n";
  return 2;
}
