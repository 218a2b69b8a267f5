#pragma once
// Everything the harness reads from /proc about processes and sockets, parsed in one place (proc(5)):
//   - one process's stat line (state, parent, group, CPU times, start time, resident pages);
//   - the processes there are (the numeric entries of /proc);
//   - a process's working directory and the sockets its fds hold;
//   - the TCP sockets listening on a port (/proc/net/tcp and tcp6).
// Used by the supervisor (group members, adopted orphans, a group's CPU and memory, who holds a port) and by the
// embedded database (backends left in its folder).
//
// Hand-written: libprocps (Debian) is not among our dependencies and its API changed with procps 4. Every read is
// capped (a stat line at kStatLineLimit bytes, a socket table at kTcpTableLineLimit lines); a process that is gone,
// or whose entries are not readable to us, reads as nullopt or empty, never as an error.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace bench::util::procfs {

// /proc/<pid>/stat is one line of about 300 bytes (the command name is at most 64); more is not a stat line.
inline constexpr std::size_t kStatLineLimit = 4096;
// Lines read of /proc/net/tcp and tcp6 each (the kernel lists listening sockets before connected ones).
inline constexpr std::size_t kTcpTableLineLimit = 1 << 20;

// The fields of /proc/<pid>/stat the harness uses (proc(5) numbers them from 1).
struct Stat {
  pid_t pid = 0;                      // 1
  char state = '?';                   // 3: R, S, D, Z (zombie), X (dead)...
  pid_t ppid = 0;                     // 4
  pid_t pgrp = 0;                     // 5
  pid_t session = 0;                  // 6
  unsigned long long utime = 0;       // 14, clock ticks
  unsigned long long stime = 0;       // 15
  long long cutime = 0;               // 16: reaped children's user time
  long long cstime = 0;               // 17
  unsigned long long start_time = 0;  // 22, clock ticks after boot: tells a reused pid from the original
  long long rss_pages = 0;            // 24

  // Exited but not reaped (Z), or being torn down (X).
  bool dead() const { return state == 'Z' || state == 'X'; }
  // utime + stime + cutime + cstime, in seconds.
  double cpu_seconds() const;
  std::uint64_t rss_bytes() const;
};

// Parses a stat line. The command name (field 2) may hold spaces and parentheses, so fields are counted from the
// last ')'. nullopt when the line is not a stat line (too few fields, not numbers).
std::optional<Stat> parse_stat(std::string_view line);

// /proc/<pid>/stat; nullopt when the process is gone.
std::optional<Stat> read_stat(pid_t pid);

// True if a process with this pid exists and is not a zombie.
bool alive(pid_t pid);

// Every process's pid, in /proc's order; empty when /proc is unreadable.
std::vector<pid_t> pids();

// The processes whose stat matches `keep`: one scan of /proc.
template <typename Keep>
std::vector<Stat> scan(Keep keep) {
  std::vector<Stat> out;
  for (const pid_t pid : pids()) {
    auto stat = read_stat(pid);
    if (stat && keep(*stat)) out.push_back(*stat);
  }
  return out;
}

// Where /proc/<pid>/cwd points; nullopt when the process is gone or not ours to look at.
std::optional<std::filesystem::path> cwd(pid_t pid);

// Inodes of the sockets among /proc/<pid>/fd ("socket:[INODE]"); empty when none or not readable to us.
std::vector<unsigned long> socket_inodes(pid_t pid);

// Inodes of the TCP sockets in state LISTEN on `port` (any address, IPv4 and IPv6), from /proc/net/tcp and tcp6.
std::vector<unsigned long> listening_inodes(int port);

// The same from one table's text (tests): the header line, then one socket a line.
std::vector<unsigned long> parse_listening_inodes(std::string_view table, int port);

}  // namespace bench::util::procfs
