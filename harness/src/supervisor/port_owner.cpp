#include "supervisor/port_owner.h"

#include "util/procfs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace bench::supervisor {

namespace {

// In the group, or a descendant of one of its members (a worker that left the group with setsid still counts).
bool in_family(pid_t pid, pid_t pgid) {
  for (int depth = 0; depth < 64 && pid > 1; ++depth) {
    const auto stat = util::procfs::read_stat(pid);
    if (!stat) return false;
    if (stat->pgrp == pgid) return true;
    pid = stat->ppid;
  }
  return false;
}

bool holds_any(pid_t pid, const std::vector<unsigned long>& inodes) {
  const auto held = util::procfs::socket_inodes(pid);
  return std::any_of(held.begin(), held.end(), [&](unsigned long inode) {
    return std::find(inodes.begin(), inodes.end(), inode) != inodes.end();
  });
}

}  // namespace

bool port_free(int port, const util::IpAddress& address) {
  const int fd = ::socket(address.v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;  // cannot tell; the server's own bind will say
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t length = 0;
  const sockaddr_storage storage = address.socket_address(port, &length);
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) == 0;
  ::close(fd);
  return bound;
}

std::optional<bool> group_listens_on(pid_t pgid, int port) {
  const auto inodes = util::procfs::listening_inodes(port);
  if (inodes.empty()) return std::nullopt;
  bool holder_seen = false;
  for (const pid_t pid : util::procfs::pids()) {
    if (!holds_any(pid, inodes)) continue;
    holder_seen = true;
    if (in_family(pid, pgid)) return true;
  }
  if (!holder_seen) return std::nullopt;  // the holder's fds are not readable to us: cannot tell
  return false;
}

}  // namespace bench::supervisor
