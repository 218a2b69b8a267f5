#pragma once
// How busy the machine was with work that is not bench's, per measured cell. A benchmark on a shared machine
// (CI runners, a laptop compiling in the background, a VM whose host is busy) can be off by 2-5x without a sign;
// this says when a figure was measured in such conditions.
//
// Method: /proc/stat's aggregate `cpu` line before and after the window gives the CPU time the whole machine was
// busy (user+nice+system+irq+softirq) and the time the hypervisor gave to other guests (steal). Bench accounts its
// own roles in the same window: itself (load generator and probes, getrusage), the server's process group and the
// embedded database (supervisor::GroupMonitor). Busy minus bench's roles is the CPU others used.

#include <cstdint>
#include <optional>
#include <string>

#include "model/contention.h"
#include "util/duration.h"

namespace bench::run {

// A cell is flagged when others' CPU and steal together pass model::kContendedShare of the machine's capacity
// (cores x window); docs/results.md says why 5%.

// The aggregate `cpu` line of /proc/stat, in seconds.
struct CpuTimes {
  double busy = 0;   // user + nice + system + irq + softirq (guest time is inside user and not added twice)
  double steal = 0;
  double total = 0;  // busy + idle + iowait + steal
};

// Reads /proc/stat; nullopt where it cannot be read (not Linux, no /proc).
std::optional<CpuTimes> read_cpu_times();
// Parses the text of /proc/stat (tests).
std::optional<CpuTimes> parse_cpu_times(const std::string& proc_stat, long ticks_per_second);

// This process's user+system CPU so far (getrusage), in seconds.
double own_cpu_seconds();


// Combines a window's readings. `own_cpu_s` is bench's, the server's and the database's CPU in the window.
model::Contention contention(const CpuTimes& before, const CpuTimes& after, double window_s, int cores,
                             double own_cpu_s, double load_average_1m);

// The warning for these figures, or nullopt when others and steal together stay under model::kContendedShare.
std::optional<std::string> contention_warning(const model::Contention& figures);

// /proc/loadavg's first figure, 0 where unreadable.
double load_average_1m();

}  // namespace bench::run
