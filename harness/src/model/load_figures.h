#pragma once
// The figures of one load measurement that results.json's cells and `bench load --json` share, each type with its
// one field list: latency in microseconds, errors by kind. load/result_json.h fills them from the load engine's
// result; report/result.h's Cell stores them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/describe.h"

namespace bench::model {

// Latency of one measurement, in microseconds.
struct Latency {
  double mean_us = 0, stdev_us = 0, min_us = 0, max_us = 0;
  double p50_us = 0, p75_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, p9999_us = 0;
  std::vector<std::pair<double, double>> curve;  // percentile (0..100) -> us, for log-scale percentile charts
  bool operator==(const Latency&) const = default;
};

template <typename V, typename L, if_same<L, Latency> = 0>
void describe(V& v, L& l) {
  v("mean_us", l.mean_us);
  v("stdev_us", l.stdev_us);
  v("min_us", l.min_us);
  v("max_us", l.max_us);
  v("p50_us", l.p50_us);
  v("p75_us", l.p75_us);
  v("p90_us", l.p90_us);
  v("p99_us", l.p99_us);
  v("p999_us", l.p999_us);
  v("p9999_us", l.p9999_us);
  v("curve", l.curve);
}

// Failed requests by kind, as wrk counts them (the load engine's ErrorCounts).
struct Errors {
  uint64_t connect = 0;  // connection refused, unreachable, name not resolved
  uint64_t read = 0;     // reset, closed early, unparsable response
  uint64_t write = 0;    // sending failed
  uint64_t timeout = 0;  // no complete answer within the request timeout
  uint64_t other = 0;    // anything libcurl reports that fits none of the above
  uint64_t total() const { return connect + read + write + timeout + other; }
  Errors& operator+=(const Errors& e) {
    connect += e.connect;
    read += e.read;
    write += e.write;
    timeout += e.timeout;
    other += e.other;
    return *this;
  }
  bool operator==(const Errors&) const = default;
};

template <typename V, typename E, if_same<E, Errors> = 0>
void describe(V& v, E& e) {
  v("connect", e.connect);
  v("read", e.read);
  v("write", e.write);
  v("timeout", e.timeout);
  v("other", e.other);
}

// The figures of one load measurement, as results.json's cells and `bench load --json` both carry them
// (load/result_json.h makes them from the load engine's result).
struct LoadFigures {
  double duration_s = 0;  // the measured window (shorter than asked when interrupted)
  uint64_t requests = 0;  // complete responses, whatever their status
  double requests_per_sec = 0;
  double transfer_bytes_per_sec = 0;
  double target_rate = 0;  // requests/s asked for in open-loop mode, 0 for closed loop
  // Open loop: requests the schedule owed by the end of the window that got no answer in it (load::OwedCounts);
  // each is also in `latency` with the time it had been owed. 0 in closed loop.
  uint64_t owed_unsent = 0, owed_unanswered = 0;
  std::string latency_statistics = "measured";  // what `latency` holds: "measured" or "wrk" (wrk 4.1's correction)
  Latency latency;                              // corrected for coordinated omission when target_rate > 0
  std::optional<Latency> latency_uncorrected;   // service time only, open-loop runs
  Errors errors;
  std::map<int, uint64_t> status_codes;  // HTTP status -> responses
  uint64_t non_2xx_3xx = 0;              // wrk's "Non-2xx or 3xx responses" (status < 200 or > 399)
  bool operator==(const LoadFigures&) const = default;
};

template <typename V, typename F, if_same<F, LoadFigures> = 0>
void describe(V& v, F& f) {
  v("duration_s", f.duration_s);
  v("requests", f.requests);
  v("requests_per_sec", f.requests_per_sec);
  v("transfer_bytes_per_sec", f.transfer_bytes_per_sec);
  v("target_rate", f.target_rate);
  v("owed_unsent", f.owed_unsent);
  v("owed_unanswered", f.owed_unanswered);
  v("latency_statistics", f.latency_statistics);
  v("latency", f.latency);
  v("latency_uncorrected", f.latency_uncorrected);
  v("errors", f.errors);
  v("status_codes", f.status_codes);
  v("non_2xx_3xx", f.non_2xx_3xx);
}

}  // namespace bench::model
