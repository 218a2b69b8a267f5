#include "supervisor/signals.h"

#include <signal.h>

#include <catch2/catch.hpp>

#include "supervisor/process.h"
#include "supervisor/test_support.h"

using bench::supervisor::Process;
using bench::supervisor::testing::eventually;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {
const std::string kHelper = SUPERVISOR_TEST_HELPER;

bool log_contains(const std::filesystem::path& log, const std::string& text) {
  return eventually([&] { return read_file(log).find(text) != std::string::npos; });
}
}  // namespace

TEST_CASE("SIGTERM sets the stop flag and remembers the signal", "[signals]") {
  bench::supervisor::install_signal_handlers();
  bench::supervisor::clear_stop_request();
  CHECK_FALSE(bench::supervisor::stop_requested());
  ::raise(SIGTERM);
  CHECK(bench::supervisor::stop_requested());
  CHECK(bench::supervisor::received_signal() == SIGTERM);
  bench::supervisor::clear_stop_request();
  CHECK_FALSE(bench::supervisor::stop_requested());
  bench::supervisor::request_stop();
  CHECK(bench::supervisor::stop_requested());
  CHECK(bench::supervisor::received_signal() == 0);
  bench::supervisor::clear_stop_request();
}

TEST_CASE("SIGPIPE is ignored once handlers are installed", "[signals]") {
  bench::supervisor::install_signal_handlers();
  struct sigaction current {};
  ::sigaction(SIGPIPE, nullptr, &current);
  CHECK(current.sa_handler == SIG_IGN);
}

TEST_CASE("children do not inherit ignored signals", "[signals]") {
  bench::supervisor::install_signal_handlers();  // SIGPIPE ignored here
  TempDir dir;
  auto child = Process::spawn({.argv = {"grep", "SigIgn", "/proc/self/status"}, .log = dir / "status"});
  REQUIRE(child.wait() == 0);
  CHECK(read_file(dir / "status").find("0000000000000000") != std::string::npos);
}

TEST_CASE("SIGINT asks a process to wind down and a second SIGINT ends it with 130", "[signals]") {
  TempDir dir;
  auto graceful = Process::spawn({.argv = {kHelper, "signals", "exit"}, .log = dir / "graceful.log"});
  REQUIRE(log_contains(dir / "graceful.log", "ready"));
  ::kill(graceful.pid(), SIGINT);
  CHECK(graceful.wait() == 0);
  CHECK(read_file(dir / "graceful.log").find("stop " + std::to_string(SIGINT)) != std::string::npos);

  auto stubborn = Process::spawn({.argv = {kHelper, "signals", "linger"}, .log = dir / "stubborn.log"});
  REQUIRE(log_contains(dir / "stubborn.log", "ready"));
  ::kill(stubborn.pid(), SIGINT);
  REQUIRE(log_contains(dir / "stubborn.log", "stop"));
  CHECK(stubborn.running());
  ::kill(stubborn.pid(), SIGINT);
  CHECK(stubborn.wait() == 130);
}
