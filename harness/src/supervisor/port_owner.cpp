#include "supervisor/port_owner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bench::supervisor {

namespace {

constexpr const char* kListenState = "0A";  // TCP_LISTEN in /proc/net/tcp's `st` column

void read_listeners(const char* table, int port, std::vector<unsigned long>& out) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    std::istringstream fields(line);
    std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout;
    unsigned long inode = 0;
    if (!(fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
      continue;
    const auto colon = local.rfind(':');
    if (colon == std::string::npos || state != kListenState) continue;
    if (std::stoi(local.substr(colon + 1), nullptr, 16) == port && inode != 0) out.push_back(inode);
  }
}

// pgrp and ppid from /proc/<pid>/stat.
bool read_parent_and_group(pid_t pid, pid_t& ppid, pid_t& pgrp) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 1));
  char state = '?';
  rest >> state >> ppid >> pgrp;
  return static_cast<bool>(rest);
}

// In the group, or a descendant of one of its members (a worker that left the group with setsid still counts).
bool in_family(pid_t pid, pid_t pgid) {
  for (int depth = 0; depth < 64 && pid > 1; ++depth) {
    pid_t ppid = 0, pgrp = 0;
    if (!read_parent_and_group(pid, ppid, pgrp)) return false;
    if (pgrp == pgid) return true;
    pid = ppid;
  }
  return false;
}

bool holds_any(const std::filesystem::path& fds, const std::vector<unsigned long>& inodes) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(fds, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code link_error;
    const auto target = std::filesystem::read_symlink(it->path(), link_error).string();
    if (link_error || target.rfind("socket:[", 0) != 0) continue;
    const unsigned long inode = std::strtoul(target.c_str() + 8, nullptr, 10);
    if (std::find(inodes.begin(), inodes.end(), inode) != inodes.end()) return true;
  }
  return false;
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

std::vector<unsigned long> listening_inodes(int port) {
  std::vector<unsigned long> inodes;
  read_listeners("/proc/net/tcp", port, inodes);
  read_listeners("/proc/net/tcp6", port, inodes);
  return inodes;
}

std::optional<bool> group_listens_on(pid_t pgid, int port) {
  const auto inodes = listening_inodes(port);
  if (inodes.empty()) return std::nullopt;
  bool holder_seen = false;
  std::error_code ec;
  for (std::filesystem::directory_iterator proc("/proc", ec), end; !ec && proc != end; proc.increment(ec)) {
    const std::string name = proc->path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!holds_any(proc->path() / "fd", inodes)) continue;
    holder_seen = true;
    if (in_family(std::stoi(name), pgid)) return true;
  }
  if (!holder_seen) return std::nullopt;  // the holder's fds are not readable to us: cannot tell
  return false;
}

}  // namespace bench::supervisor
