#pragma once
// What each rank sends to rank 0 and how rank 0 adds it up. A rank's report is JSON text ({"rank", "host",
// "failure", "result": load::result_to_json, its counters and the three histograms' buckets}), gathered as bytes by
// MPI: the merge is bucket-wise addition (load::Result::merge), so the fleet's percentiles are exactly those of the
// merged histogram. Kept apart from MPI so that it is tested without mpirun.

#include "load/engine.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bench::fleet {

// One rank's part, as rank 0 shows it (per-rank rows make an imbalanced or failed rank visible).
struct RankSummary {
  int rank = 0;
  std::string host;
  int connections = 0, threads = 0;
  double rate = 0;               // this rank's target, requests/s (0 = closed loop)
  uint64_t requests = 0;         // complete responses in the measured phase
  uint64_t errors = 0;           // every kind
  double requests_per_sec = 0;
  std::string failure;           // non-empty: the rank could not run its load (the reason); its counts are zero
  nlohmann::json latency_histogram;  // the rank's own latency histogram (stats::to_json); null for a failed rank
};

// A rank's report: its result, or the reason it failed (failure non-empty: `result` is ignored).
std::string rank_report(int rank, const std::string& host, const load::Result& result, const std::string& failure);

// The fleet's figures: counters summed, histograms merged, elapsed the longest rank's, options those of the whole
// fleet (`total` with threads summed over the ranks). Fills `ranks` in rank order. Throws std::runtime_error for a
// report that is not what rank_report writes (read within bounds: model/bounded_json.h).
load::Result merge_reports(const load::Options& total, const std::vector<std::string>& reports,
                           std::vector<RankSummary>& ranks);

// The per-rank table printed after wrk's layout: "Fleet: 2 ranks", then rank, host, connections, requests, req/s,
// errors, and a warning line for a failed rank or one more than 10% away from the mean requests per connection.
std::string format_ranks(const std::vector<RankSummary>& ranks);

// {"ranks": N, "per_rank": [{"rank", "host", "connections", "threads", "target_rate", "requests",
//  "errors" (every kind), "requests_per_sec", "failure", "latency_histogram_us"}...], "warnings": [...]}, added to
// the fleet's --json as "fleet".
nlohmann::json ranks_to_json(const std::vector<RankSummary>& ranks);

// The warnings of format_ranks, one sentence each.
std::vector<std::string> rank_warnings(const std::vector<RankSummary>& ranks);

// Above this relative distance from the fleet's mean requests per connection a rank is reported as imbalanced.
inline constexpr double kImbalanceWarning = 0.10;

}  // namespace bench::fleet
