#include "supervisor/port_owner.h"

#include "util/procfs.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/test_support.h"

using bench::supervisor::Process;
using bench::supervisor::testing::eventually;

// Issue #10: a fixed port held by another process must be seen before the server starts, and readiness must tell
// our listener from someone else's.
TEST_CASE("a listening port is not free, and the group holding it is told apart from others", "[port]") {
  const int port = bench::supervisor::free_port();
  CHECK(bench::supervisor::port_free(port));
  CHECK(bench::util::procfs::listening_inodes(port).empty());
  auto listener = Process::spawn({.argv = {"/usr/bin/python3", "-c", fmt::format(
      "import socket, time\n"
      "s = socket.socket()\n"
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
      "s.bind(('127.0.0.1', {}))\n"
      "s.listen()\n"
      "time.sleep(60)\n", port)}});
  REQUIRE(eventually([&] { return !bench::util::procfs::listening_inodes(port).empty(); }));
  CHECK_FALSE(bench::supervisor::port_free(port));
  CHECK(bench::supervisor::group_listens_on(listener.pgid(), port) == std::optional<bool>(true));
  auto other = Process::spawn({.argv = {"sleep", "60"}});
  CHECK(bench::supervisor::group_listens_on(other.pgid(), port) == std::optional<bool>(false));
  other.stop();
  listener.stop();
  CHECK(eventually([&] { return bench::supervisor::port_free(port); }));
  CHECK_FALSE(bench::supervisor::group_listens_on(listener.pgid(), port).has_value());  // nobody listens: unknown
}
