#include "run/contention.h"

#include "model/contention.h"

#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace bench::run {

std::optional<CpuTimes> parse_cpu_times(const std::string& proc_stat, long ticks_per_second) {
  std::istringstream in(proc_stat);
  std::string label;
  if (!(in >> label) || label != "cpu" || ticks_per_second <= 0) return std::nullopt;
  // user nice system idle iowait irq softirq steal [guest guest_nice]
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(in >> user >> nice >> system >> idle >> iowait >> irq >> softirq)) return std::nullopt;
  in >> steal;  // absent on very old kernels
  const double tick = 1.0 / static_cast<double>(ticks_per_second);
  CpuTimes t;
  t.busy = static_cast<double>(user + nice + system + irq + softirq) * tick;
  t.steal = static_cast<double>(steal) * tick;
  t.total = t.busy + t.steal + static_cast<double>(idle + iowait) * tick;
  return t;
}

std::optional<CpuTimes> read_cpu_times() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return parse_cpu_times(line, ::sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double load_average_1m() {
  std::ifstream in("/proc/loadavg");
  double value = 0;
  in >> value;
  return in ? value : 0;
}

model::Contention contention(const CpuTimes& before, const CpuTimes& after, double window_s, int cores,
                             double own_cpu_s, double load_average) {
  model::Contention f;
  f.own_cpu_s = own_cpu_s;
  f.load_average_1m = load_average;
  const double capacity = window_s * std::max(1, cores);
  if (capacity <= 0) return f;
  const double busy = std::max(0.0, after.busy - before.busy);
  f.machine_busy_share = busy / capacity;
  f.others_cpu_s = std::max(0.0, busy - own_cpu_s);
  f.others_cpu_share = f.others_cpu_s / capacity;
  f.steal_share = std::max(0.0, after.steal - before.steal) / capacity;
  return f;
}

std::optional<std::string> contention_warning(const model::Contention& f) {
  if (f.others_cpu_share + f.steal_share <= model::kContendedShare) return std::nullopt;
  std::string text;
  if (f.others_cpu_share > 0.005) {
    text = fmt::format("other processes used {:.0f}% of the machine's CPU during the measurement (load average "
                       "{:.1f})",
                       100.0 * f.others_cpu_share, f.load_average_1m);
  }
  if (f.steal_share > 0.005) {
    text += fmt::format("{}the hypervisor stole {:.1f}% of the CPU", text.empty() ? "" : "; ", 100.0 * f.steal_share);
    if (f.others_cpu_share <= 0.005) text += " during the measurement";
  }
  return text + ": figures may be skewed";
}

}  // namespace bench::run
