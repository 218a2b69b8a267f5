#pragma once
// Fills the result model's Latency from a merged load histogram. Kept in its own file (and its own library,
// bench_report_stats) so the rest of report/ does not depend on stats/.

#include "report/result.h"
#include "stats/histogram.h"

namespace bench::report {

// Mean, stdev, min, max, the fixed percentiles p50..p99.99 and the percentile curve, all in microseconds.
Latency latency_from(const stats::Histogram& histogram);

}  // namespace bench::report
