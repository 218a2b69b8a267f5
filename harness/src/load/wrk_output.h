#pragma once
// The load result as text and as JSON. Text follows `wrk --latency` line for line (so parsers written for wrk keep
// working), then adds what wrk lacks; JSON carries the same facts with units in the field names.

#include "load/engine.h"

#include <nlohmann/json.hpp>

#include <string>

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

// Warnings worth a reader's attention, one sentence each (empty when the run looks sound).
std::vector<std::string> warnings(const Result& result);

// {"url", "connections", "threads", "duration_s", "rate_target_per_sec", "requests", "duration_measured_s",
//  "requests_per_sec", "bytes_read", "bytes_per_sec", "latency_avg_us", "latency_stdev_us", "latency_max_us",
//  "latency_p50_us" ... "latency_p99_99_us", "latency_uncorrected_p99_us", "latency_correction" ("none" or "wrk":
//  which statistics the latency fields hold), "errors": {...}, "owed": {"unsent", "unanswered", "total"} (rate mode),
//  "status_codes": {...},
//  "non_2xx_3xx", "client_cpu_seconds", "connected", "connected_after_s" (null unless every connection was up),
//  "exchange" ("direct" or "libcurl"), "connect" ("bench" or "libcurl"), "warnings": [...], "latency_histogram_us": <stats::to_json>}
nlohmann::json result_to_json(const Result& result);

}  // namespace bench::load
