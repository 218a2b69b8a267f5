#include "load/owed.h"

#include <algorithm>
#include <bit>

namespace bench::load {

namespace {

constexpr int64_t kNanosPerMicro = 1000;

// The highest value in the histogram slot that holds `us` (stats/histogram.h's layout: 0..2047 exactly, then each
// power of two from 2048 up in 1024 steps).
int64_t slot_end(int64_t us) {
  if (us >= stats::Histogram::kHighest) return INT64_MAX;  // clamped to kHighest: one slot for everything above
  if (us < 2048) return us;
  const int64_t width = int64_t{1} << (std::bit_width(static_cast<uint64_t>(us)) - 11);
  return us | (width - 1);
}

}  // namespace

uint64_t sends_owed(std::chrono::steady_clock::time_point intended, std::chrono::steady_clock::duration interval,
                    std::chrono::steady_clock::time_point end) {
  if (intended >= end || interval.count() <= 0) return intended < end ? 1 : 0;
  const auto span = static_cast<uint64_t>((end - intended).count());
  return (span - 1) / static_cast<uint64_t>(interval.count()) + 1;  // ceil(span / interval)
}

void record_owed_latencies(stats::Histogram& histogram, std::chrono::steady_clock::duration oldest,
                           std::chrono::steady_clock::duration interval, uint64_t sends, uint64_t weight) {
  if (sends == 0 || weight == 0) return;
  const auto step = static_cast<uint64_t>(std::max<int64_t>(interval.count(), 1));
  // Ascending: value k is low + k * step nanoseconds, k in [0, sends).
  const int64_t low = oldest.count() - static_cast<int64_t>((sends - 1) * step);
  const auto us_at = [&](uint64_t k) { return (low + static_cast<int64_t>(k * step)) / kNanosPerMicro; };
  uint64_t k = 0;
  while (k < sends) {
    const int64_t end_us = slot_end(std::max<int64_t>(us_at(k), 0));
    // The last k whose value is still in this slot: low + k * step < (end_us + 1) * 1000.
    uint64_t last = sends - 1;
    if (end_us != INT64_MAX) {
      const int64_t limit_ns = (end_us + 1) * kNanosPerMicro - low;  // > k * step
      last = std::min(last, static_cast<uint64_t>((limit_ns - 1) / static_cast<int64_t>(step)));
    }
    histogram.record_n(us_at(k), weight);
    if (last > k) histogram.record_n(us_at(last), weight);
    if (last > k + 1) histogram.record_n(us_at(k + (last - k) / 2), (last - k - 1) * weight);
    k = last + 1;
  }
}

}  // namespace bench::load
