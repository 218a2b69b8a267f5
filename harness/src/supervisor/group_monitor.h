#pragma once
// What a server's whole process group costs while it is measured: CPU seconds and peak resident memory, sampled
// from /proc on a background thread. Processes are matched by process group, so workers a server forks count too
// (unless they move to another group or session, e.g. with setsid). Or by parentage: a process and its children,
// whatever their group, for PostgreSQL, whose backends each start a session of their own.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace bench::supervisor {

// Sampling period: often enough to see short-lived peaks and workers, rarely enough to cost nothing.
inline constexpr auto kGroupSampleInterval = std::chrono::milliseconds(100);

struct GroupStats {
  double cpu_seconds = 0;         // user + system CPU used by the group between start() and stop()
  std::uint64_t peak_rss_bytes = 0;  // max over samples of the summed RSS of the group's live processes
  int processes = 0;              // most live processes seen in one sample
  int distinct_processes = 0;     // different processes seen over the whole window (restarts show up here)
  bool leader_died = false;       // the group leader exited (or was a zombie) during the window
  int samples = 0;
};

// Samples every process whose pgrp is `pgid`. CPU: per-process utime+stime+cutime+cstime, so children reaped by
// a group member count through their parent; a process that vanishes keeps its last sample (up to one sample
// interval of its CPU may be missed). RSS counts shared pages once per process (forked workers overcount).
class GroupMonitor {
 public:
  enum class Match {
    group,     // every process whose pgrp is the id
    children,  // the process with the id and its children
  };
  explicit GroupMonitor(pid_t id, Match match = Match::group);
  ~GroupMonitor();
  GroupMonitor(const GroupMonitor&) = delete;
  GroupMonitor& operator=(const GroupMonitor&) = delete;

  // Takes the baseline sample and starts the sampling thread.
  void start();
  // Takes a final sample, stops the thread and returns the figures for the window.
  GroupStats stop();

 private:
  struct Seen {
    unsigned long long start_time = 0;  // /proc starttime, tells a reused pid from the original
    pid_t ppid = 0;
    double baseline = 0;                // CPU seconds at first sight if seen in the baseline sample, else 0
    double last = 0;                    // CPU seconds at the last sample
  };
  void sample(bool baseline);
  void run();

  pid_t id_;  // the id: a process group, or the parent (Match::children)
  Match match_;
  std::map<pid_t, Seen> live_;  // processes present in the last sample
  double departed_cpu_ = 0;     // CPU of processes that vanished and whose parent was not in the group
  GroupStats stats_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bench::supervisor
