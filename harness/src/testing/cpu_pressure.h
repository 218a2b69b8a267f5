#pragma once
// For tests that bound wall time on a shared machine: how long, since boot, some task here waited for a CPU
// (Linux PSI, /proc/pressure/cpu, "some ... total=" in microseconds). A deadline plus the growth of this figure
// over the measured span forgives the time the machine had no CPU to give (on a 2-core machine running other
// builds and suites, seconds), yet stays strict on a quiet machine, where a hang or a spin shows in full: a thread
// that spins is running, not waiting. Zero where PSI is not available.

#include <chrono>
#include <fstream>
#include <string>

namespace bench::testing {

inline std::chrono::microseconds cpu_starved_total() {
  std::ifstream in("/proc/pressure/cpu");
  std::string word;
  while (in >> word) {
    if (word.rfind("total=", 0) == 0) return std::chrono::microseconds(std::stoll(word.substr(6)));
  }
  return std::chrono::microseconds(0);
}

// Measures a span: `allowed(bound)` is bound plus the CPU starvation since construction.
class StarvationClock {
 public:
  std::chrono::nanoseconds starved() const { return cpu_starved_total() - starved_at_start_; }
  template <typename Duration>
  std::chrono::nanoseconds allowed(Duration bound) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(bound) + starved();
  }
  std::chrono::nanoseconds elapsed() const { return std::chrono::steady_clock::now() - started_; }
  // Whether the span so far fits within bound plus the starvation.
  template <typename Duration>
  bool within(Duration bound) const {
    return elapsed() < allowed(bound);
  }

 private:
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::microseconds starved_at_start_ = cpu_starved_total();
};

}  // namespace bench::testing
