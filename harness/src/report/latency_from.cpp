#include "report/latency_from.h"

namespace bench::report {

Latency latency_from(const stats::Histogram& histogram) {
  Latency l;
  if (histogram.count() == 0) return l;
  const auto at = [&](double p) { return static_cast<double>(histogram.value_at_percentile(p)); };
  l.mean_us = histogram.mean();
  l.stdev_us = histogram.stdev();
  l.min_us = static_cast<double>(histogram.min());
  l.max_us = static_cast<double>(histogram.max());
  l.p50_us = at(50);
  l.p75_us = at(75);
  l.p90_us = at(90);
  l.p99_us = at(99);
  l.p999_us = at(99.9);
  l.p9999_us = at(99.99);
  for (const auto& [percentile, us] : histogram.percentile_curve()) {
    l.curve.emplace_back(percentile, static_cast<double>(us));
  }
  return l;
}

}  // namespace bench::report
