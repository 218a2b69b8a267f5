#include "supervisor/group_monitor.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

// /proc is parsed by hand: libprocps (Debian) is not among our dependencies and its API changed with procps 4.

namespace bench::supervisor {

namespace {

struct ProcSample {
  pid_t pid = 0;
  char state = '?';
  pid_t ppid = 0;
  double cpu_seconds = 0;  // utime + stime + cutime + cstime
  unsigned long long start_time = 0;
  std::uint64_t rss_bytes = 0;
};

const double kTicksPerSecond = static_cast<double>(::sysconf(_SC_CLK_TCK));
const std::uint64_t kPageSize = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));

// Parses /proc/<pid>/stat (see proc(5)); nullopt if the process is gone or is not one of those matched.
std::optional<ProcSample> read_sample(pid_t pid, pid_t id, GroupMonitor::Match match) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  ProcSample s;
  s.pid = pid;
  pid_t pgrp = 0;
  long long skip = 0;
  unsigned long long utime = 0, stime = 0;
  long long cutime = 0, cstime = 0, rss_pages = 0;
  fields >> s.state >> s.ppid >> pgrp;
  const bool matched = match == GroupMonitor::Match::group ? pgrp == id : (pid == id || s.ppid == id);
  if (!fields || !matched) return std::nullopt;
  for (int field = 6; field <= 13; ++field) fields >> skip;   // session .. cmajflt
  fields >> utime >> stime >> cutime >> cstime;                // 14..17
  for (int field = 18; field <= 21; ++field) fields >> skip;  // priority .. itrealvalue
  unsigned long long vsize = 0;
  fields >> s.start_time >> vsize >> rss_pages;                // 22..24
  if (!fields) return std::nullopt;
  s.cpu_seconds = static_cast<double>(utime + stime + static_cast<unsigned long long>(cutime + cstime)) / kTicksPerSecond;
  s.rss_bytes = static_cast<std::uint64_t>(std::max<long long>(0, rss_pages)) * kPageSize;
  return s;
}

std::vector<ProcSample> scan(pid_t id, GroupMonitor::Match match) {
  std::vector<ProcSample> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (auto s = read_sample(static_cast<pid_t>(std::stol(name)), id, match)) out.push_back(*s);
  }
  return out;
}

}  // namespace

GroupMonitor::GroupMonitor(pid_t id, Match match) : id_(id), match_(match) {}

GroupMonitor::~GroupMonitor() {
  if (thread_.joinable()) stop();
}

void GroupMonitor::start() {
  std::lock_guard lock(mutex_);
  live_.clear();
  departed_cpu_ = 0;
  stats_ = GroupStats{};
  stopping_ = false;
  sample(true);
  thread_ = std::thread([this] { run(); });
}

GroupStats GroupMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  sample(false);
  return stats_;
}

void GroupMonitor::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kGroupSampleInterval, [this] { return stopping_; })) sample(false);
}

// Called with mutex_ held.
void GroupMonitor::sample(bool baseline) {
  const std::vector<ProcSample> now = scan(id_, match_);
  std::map<pid_t, Seen> next;
  std::uint64_t rss = 0;
  int live_count = 0;
  bool leader_alive = false;
  for (const ProcSample& s : now) {
    const bool zombie = s.state == 'Z' || s.state == 'X';
    if (s.pid == id_ && !zombie) leader_alive = true;
    if (!zombie) {
      rss += s.rss_bytes;
      ++live_count;
    }
    Seen seen;
    const auto previous = live_.find(s.pid);
    if (previous != live_.end() && previous->second.start_time == s.start_time) {
      seen = previous->second;
    } else {
      seen.start_time = s.start_time;
      seen.baseline = baseline ? s.cpu_seconds : 0;
      ++stats_.distinct_processes;
    }
    seen.ppid = s.ppid;
    seen.last = s.cpu_seconds;
    next[s.pid] = seen;
  }
  // A process that vanished was reaped. If its parent is still in the group, the parent's cutime/cstime now
  // holds its CPU; otherwise keep what we last saw of it.
  for (const auto& [pid, seen] : live_) {
    const auto still = next.find(pid);
    if (still != next.end() && still->second.start_time == seen.start_time) continue;
    if (next.find(seen.ppid) == next.end()) {
      departed_cpu_ += seen.last - seen.baseline;
    } else {
      departed_cpu_ -= seen.baseline;  // the parent's cutime gains its whole life, the part before start() too
    }
  }
  live_ = std::move(next);
  if (baseline) stats_.distinct_processes = static_cast<int>(live_.size());
  if (!leader_alive) stats_.leader_died = true;
  stats_.peak_rss_bytes = std::max(stats_.peak_rss_bytes, rss);
  stats_.processes = std::max(stats_.processes, live_count);
  ++stats_.samples;
  double cpu = departed_cpu_;
  for (const auto& [pid, seen] : live_) cpu += seen.last - seen.baseline;
  stats_.cpu_seconds = std::max(0.0, cpu);
}

}  // namespace bench::supervisor
