#include "util/procfs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

namespace procfs = bench::util::procfs;

namespace {

bool contains(const std::vector<unsigned long>& inodes, unsigned long inode) {
  return std::find(inodes.begin(), inodes.end(), inode) != inodes.end();
}

// A TCP socket listening on a free loopback port; closed at the end of the test.
struct Listener {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int port = 0;
  Listener() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
};

}  // namespace

TEST_CASE("a stat line is read from the last ')', whatever the command name holds", "[procfs]") {
  // 52 fields as Linux 6 writes them; the name has spaces and a ") (" that a split on the first ')' would misread.
  const std::string line =
      "4242 (we ird) (name) S 17 4242 4242 0 -1 4194560 1200 0 0 0 250 130 7 3 20 0 1 0 98765 123456789 2048 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";
  const auto stat = procfs::parse_stat(line);
  REQUIRE(stat);
  CHECK(stat->pid == 4242);
  CHECK(stat->state == 'S');
  CHECK(stat->ppid == 17);
  CHECK(stat->pgrp == 4242);
  CHECK(stat->session == 4242);
  CHECK(stat->utime == 250);
  CHECK(stat->stime == 130);
  CHECK(stat->cutime == 7);
  CHECK(stat->cstime == 3);
  CHECK(stat->start_time == 98765);
  CHECK(stat->rss_pages == 2048);
  CHECK(stat->rss_bytes() == 2048u * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
  CHECK(stat->cpu_seconds() == Approx(390.0 / static_cast<double>(::sysconf(_SC_CLK_TCK))));
  CHECK_FALSE(stat->dead());
}

TEST_CASE("what is not a stat line is refused, and a zombie reads as dead", "[procfs]") {
  CHECK_FALSE(procfs::parse_stat(""));
  CHECK_FALSE(procfs::parse_stat("4242 (cut short) S 17 4242"));
  CHECK_FALSE(procfs::parse_stat("4242 no name S 17 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1"));
  CHECK_FALSE(procfs::parse_stat("x (a) S 17 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1"));
  const auto zombie = procfs::parse_stat("7 (a) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0");
  REQUIRE(zombie);
  CHECK(zombie->dead());
}

TEST_CASE("this process's own stat, pid and working directory are read from /proc", "[procfs]") {
  const auto self = procfs::read_stat(::getpid());
  REQUIRE(self);
  CHECK(self->pid == ::getpid());
  CHECK(self->ppid == ::getppid());
  CHECK(self->pgrp == ::getpgrp());
  CHECK(self->session == ::getsid(0));
  CHECK(self->rss_bytes() > 0);
  CHECK(procfs::alive(::getpid()));
  const auto all = procfs::pids();
  CHECK(std::find(all.begin(), all.end(), ::getpid()) != all.end());
  CHECK(std::find(all.begin(), all.end(), ::getppid()) != all.end());
  CHECK(procfs::cwd(::getpid()) == std::filesystem::current_path());
  const auto mine = procfs::scan([](const procfs::Stat& s) { return s.pid == ::getpid(); });
  REQUIRE(mine.size() == 1);
  CHECK(mine.front().start_time == self->start_time);
}

TEST_CASE("a pid that is no process reads as gone", "[procfs]") {
  // pid_max is at most 4194304 (2^22), so this pid never exists.
  CHECK_FALSE(procfs::read_stat(4194305 + 17));
  CHECK_FALSE(procfs::alive(4194305 + 17));
  CHECK_FALSE(procfs::cwd(4194305 + 17));
  CHECK(procfs::socket_inodes(4194305 + 17).empty());
}

TEST_CASE("a listening socket is found in /proc/net/tcp and among its holder's fds", "[procfs]") {
  Listener listener;
  const auto inodes = procfs::listening_inodes(listener.port);
  REQUIRE(inodes.size() == 1);
  CHECK(contains(procfs::socket_inodes(::getpid()), inodes.front()));
  ::close(listener.fd);
  listener.fd = -1;
  CHECK(procfs::listening_inodes(listener.port).empty());
}

TEST_CASE("only sockets in state LISTEN on the port count", "[procfs]") {
  const std::string table =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 "
      "0\n"
      "   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0 100 0 0 10 "
      "0\n"
      "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0 20 4 30 10 "
      "-1\n"
      "   3: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 0 1 0 100 0 0 10 0\n"
      "   4: garbage\n";
  CHECK(procfs::parse_listening_inodes(table, 8080) == std::vector<unsigned long>{111});
  CHECK(procfs::parse_listening_inodes(table, 8081) == std::vector<unsigned long>{222});
  CHECK(procfs::parse_listening_inodes(table, 50000).empty());
  // The header alone is not a socket.
  CHECK(procfs::parse_listening_inodes(table.substr(0, table.find('\n') + 1), 8080).empty());
}
