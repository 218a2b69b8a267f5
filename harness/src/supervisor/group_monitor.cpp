#include "supervisor/group_monitor.h"

#include "util/procfs.h"

#include <algorithm>
#include <vector>

namespace bench::supervisor {

namespace {

// The processes `match` selects: the group `id`, or the process `id` and its children.
std::vector<util::procfs::Stat> scan(pid_t id, GroupMonitor::Match match) {
  return util::procfs::scan([id, match](const util::procfs::Stat& s) {
    return match == GroupMonitor::Match::group ? s.pgrp == id : (s.pid == id || s.ppid == id);
  });
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
  const std::vector<util::procfs::Stat> now = scan(id_, match_);
  std::map<pid_t, Seen> next;
  std::uint64_t rss = 0;
  int live_count = 0;
  bool leader_alive = false;
  for (const util::procfs::Stat& s : now) {
    const bool zombie = s.dead();
    if (s.pid == id_ && !zombie) leader_alive = true;
    if (!zombie) {
      rss += s.rss_bytes();
      ++live_count;
    }
    Seen seen;
    const auto previous = live_.find(s.pid);
    if (previous != live_.end() && previous->second.start_time == s.start_time) {
      seen = previous->second;
    } else {
      seen.start_time = s.start_time;
      seen.baseline = baseline ? s.cpu_seconds() : 0;
      ++stats_.distinct_processes;
    }
    seen.ppid = s.ppid;
    seen.last = s.cpu_seconds();
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
