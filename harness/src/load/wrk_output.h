#pragma once
// The load result as text. It follows `wrk --latency` line for line (so parsers written for wrk keep working), then
// adds what wrk lacks. The JSON form is result_json.h's.

#include "load/engine.h"

#include "model/warning.h"

#include <string>
#include <vector>

namespace bench::load {

// wrk's report: "Running 10s test @ URL", threads and connections, the Thread Stats table, the Latency Distribution
// (when latency_distribution), "N requests in Xs, Y read", socket errors and non-2xx/3xx when non-zero,
// Requests/sec, Transfer/sec. Then: p99.9, p99.99 and max, the connections established and when all were
// ("Connections: 10000 of 10000 up after 1.22s"), every status code counted, and warnings (rate shortfall,
// other errors, interrupted run).
std::string format_wrk(const Result& result, bool latency_distribution);

// The header wrk prints before the run ("Running 10s test @ URL\n  2 threads and 10 connections\n"), so a CLI can
// print it up front; format_wrk's output starts with the same two lines.
std::string format_wrk_header(const Options& options);

// Warnings worth a reader's attention, each with its code and one sentence (empty when the run looks sound):
// interrupted, no_requests, rate_shortfall, errors. bench run's cells store them as they are.
std::vector<model::Warning> warnings(const Result& result);

}  // namespace bench::load
