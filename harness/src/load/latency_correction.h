#pragma once
// wrk 4.1's latency statistics, for comparison with old wrk output (`--latency-correction wrk`).
//
// wrk 4.1 (Debian's wrk) measures each request from its send, as bench does in closed loop, then, before printing,
// runs stats_correct: with `expected` = the run's length divided by the requests per connection (the mean time
// between two requests on one connection), every recorded latency n >= 2 * expected adds one synthetic sample at
// n - expected, n - 2 * expected, ... while above expected: the requests a connection "would have sent" while it
// waited. Gil Tene's coordinated-omission correction after the fact. bench reports what it measured (none); rate
// mode (-R) measures from intended send times instead, which needs no synthetic samples.

#include "stats/histogram.h"

#include <cstdint>
#include <string>

namespace bench::load {

enum class LatencyCorrection { none, wrk };

// "none" or "wrk": the name in --latency-correction and in the results ("latency_correction").
const char* to_string(LatencyCorrection correction);
// Parses a name; throws bench::UsageError naming --latency-correction otherwise.
LatencyCorrection parse_latency_correction(const std::string& text);

// wrk's stats_correct on a log-bucketed histogram: the same synthetic samples, each bucket standing for its
// representative value. expected_us <= 0 leaves the histogram as it is.
stats::Histogram wrk_corrected(const stats::Histogram& latency, int64_t expected_us);

// wrk's `expected`: runtime_us / (requests / connections), integer division as in wrk; 0 when fewer requests than
// connections (wrk then skips the correction).
int64_t wrk_expected_interval_us(int64_t runtime_us, uint64_t requests, int connections);

}  // namespace bench::load
