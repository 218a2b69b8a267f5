#include "load/latency_correction.h"

#include "util/errors.h"

namespace bench::load {

const char* to_string(LatencyCorrection correction) { return correction == LatencyCorrection::wrk ? "wrk" : "none"; }

LatencyCorrection parse_latency_correction(const std::string& text) {
  if (text == "none") return LatencyCorrection::none;
  if (text == "wrk") return LatencyCorrection::wrk;
  throw UsageError("--latency-correction: '" + text + "' is not one of none, wrk");
}

int64_t wrk_expected_interval_us(int64_t runtime_us, uint64_t requests, int connections) {
  const uint64_t per_connection = connections > 0 ? requests / static_cast<uint64_t>(connections) : 0;
  return per_connection > 0 ? runtime_us / static_cast<int64_t>(per_connection) : 0;
}

stats::Histogram wrk_corrected(const stats::Histogram& latency, int64_t expected_us) {
  stats::Histogram corrected;
  corrected.merge(latency);
  if (expected_us <= 0) return corrected;
  // As wrk: for every recorded n >= 2 * expected, `count` more samples at n - k * expected while that is > expected.
  latency.for_each_bucket([&](int64_t n, uint64_t count) {
    if (n < 2 * expected_us) return;
    for (int64_t m = n - expected_us; m > expected_us; m -= expected_us) corrected.record_n(m, count);
  });
  return corrected;
}

}  // namespace bench::load
