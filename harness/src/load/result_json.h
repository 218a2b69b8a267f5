#pragma once
// The load engine's result in the result model's terms: its figures as results.json's cells hold them
// (model::LoadFigures), and its JSON form, one layout for `bench load --json`, each fleet rank's report and the
// fleet's merged report (docs/load.md lists the keys). Keys follow results.json's.

#include "load/engine.h"
#include "model/load_figures.h"
#include "model/warning.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bench::load {

// Mean, stdev, min, max, the fixed percentiles p50..p99.99 and the percentile curve of a merged latency
// histogram, all in microseconds.
model::Latency latency_from(const stats::Histogram& histogram);

// The result's figures: requests/s, transfer/s, latency (and, in rate mode, the uncorrected latency), errors,
// status codes, owed requests.
model::LoadFigures figures(const Result& result);

// {figures' keys (duration_s is the measured window), "warnings": [{code, message}], "options": {what was asked},
//  "interrupted", "drained_requests", "bytes_read", "client_cpu_seconds", "exchange", "rate_achieved_ratio",
//  "thread_rps_avg|stdev|max", and the raw histograms "latency_histogram_us", "latency_uncorrected_histogram_us",
//  "thread_rps_histogram" (stats::to_json) from which a reader rebuilds the whole Result}
nlohmann::json result_to_json(const Result& result);

// Reads result_to_json's form back (the fleet: each rank's report, rank 0's merged report). Throws
// model::FormatError naming the key of a value of the wrong type; `where` prefixes the key's path.
Result result_from_json(const nlohmann::json& json, const std::string& where = "");

}  // namespace bench::load
