#include "util/procfs.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

namespace bench::util::procfs {

namespace {

const double kTicksPerSecond = static_cast<double>(::sysconf(_SC_CLK_TCK));
const std::uint64_t kPageSize = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));

constexpr std::string_view kListenState = "0A";  // TCP_LISTEN in /proc/net/tcp's `st` column

std::filesystem::path entry(pid_t pid, const char* name) {
  return std::filesystem::path("/proc") / std::to_string(pid) / name;
}

// At most `limit` bytes of the file's first line.
std::optional<std::string> first_line(const std::filesystem::path& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.empty()) return std::nullopt;
  const auto end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text;
}

std::optional<pid_t> pid_named(const std::string& name) {
  pid_t pid = 0;
  const char* end = name.data() + name.size();
  const auto [at, error] = std::from_chars(name.data(), end, pid);
  if (name.empty() || error != std::errc() || at != end || pid <= 0) return std::nullopt;
  return pid;
}

// The inode of the socket on one line of /proc/net/tcp when it listens on `port`, else 0.
unsigned long listening_inode(const std::string& line, int port) {
  // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
  std::istringstream fields(line);
  std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout;
  unsigned long inode = 0;
  if (!(fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
    return 0;
  const auto colon = local.rfind(':');
  if (colon == std::string::npos || state != kListenState) return 0;
  const char* first = local.data() + colon + 1;
  const char* last = local.data() + local.size();
  int local_port = -1;
  const auto [at, error] = std::from_chars(first, last, local_port, 16);
  return error == std::errc() && at == last && local_port == port ? inode : 0;
}

// Reads the header, then at most kTcpTableLineLimit lines.
void read_listeners(std::istream& in, int port, std::vector<unsigned long>& out) {
  std::string line;
  std::getline(in, line);  // header
  for (std::size_t lines = 0; lines < kTcpTableLineLimit && std::getline(in, line); ++lines) {
    if (const unsigned long inode = listening_inode(line, port); inode != 0) out.push_back(inode);
  }
}

}  // namespace

double Stat::cpu_seconds() const {
  const long long children = std::max(0LL, cutime) + std::max(0LL, cstime);
  return static_cast<double>(utime + stime + static_cast<unsigned long long>(children)) / kTicksPerSecond;
}

std::uint64_t Stat::rss_bytes() const { return static_cast<std::uint64_t>(std::max(0LL, rss_pages)) * kPageSize; }

std::optional<Stat> parse_stat(std::string_view line) {
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  Stat stat;
  {
    std::istringstream head{std::string(line.substr(0, open))};
    if (!(head >> stat.pid)) return std::nullopt;
  }
  std::istringstream fields{std::string(line.substr(close + 1))};
  long long skip = 0;
  fields >> stat.state >> stat.ppid >> stat.pgrp >> stat.session;    // 3..6
  for (int field = 7; field <= 13; ++field) fields >> skip;          // tty_nr .. cmajflt
  fields >> stat.utime >> stat.stime >> stat.cutime >> stat.cstime;  // 14..17
  for (int field = 18; field <= 21; ++field) fields >> skip;         // priority .. itrealvalue
  unsigned long long vsize = 0;
  fields >> stat.start_time >> vsize >> stat.rss_pages;  // 22..24
  if (!fields) return std::nullopt;
  return stat;
}

std::optional<Stat> read_stat(pid_t pid) {
  const auto line = first_line(entry(pid, "stat"), kStatLineLimit);
  if (!line) return std::nullopt;
  return parse_stat(*line);
}

bool alive(pid_t pid) {
  const auto stat = read_stat(pid);
  return stat && !stat->dead();
}

std::vector<pid_t> pids() {
  std::vector<pid_t> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    if (const auto pid = pid_named(it->path().filename().string())) out.push_back(*pid);
  }
  return out;
}

std::optional<std::filesystem::path> cwd(pid_t pid) {
  std::error_code ec;
  auto target = std::filesystem::read_symlink(entry(pid, "cwd"), ec);
  if (ec) return std::nullopt;
  return target;
}

std::vector<unsigned long> socket_inodes(pid_t pid) {
  std::vector<unsigned long> inodes;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(entry(pid, "fd"), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code link_error;
    const auto target = std::filesystem::read_symlink(it->path(), link_error).string();
    if (link_error || target.rfind("socket:[", 0) != 0) continue;
    inodes.push_back(std::strtoul(target.c_str() + 8, nullptr, 10));
  }
  return inodes;
}

std::vector<unsigned long> parse_listening_inodes(std::string_view table, int port) {
  std::vector<unsigned long> out;
  std::istringstream in{std::string(table)};
  read_listeners(in, port, out);
  return out;
}

std::vector<unsigned long> listening_inodes(int port) {
  std::vector<unsigned long> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    read_listeners(in, port, inodes);
  }
  return inodes;
}

}  // namespace bench::util::procfs
