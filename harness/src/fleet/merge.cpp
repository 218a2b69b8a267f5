#include "fleet/merge.h"

#include "load/result_json.h"
#include "model/bounded_json.h"
#include "model/describe.h"
#include "stats/histogram.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bench::fleet {

namespace {

using nlohmann::json;

// A rank's report is at most the whole load result with its histograms: a few hundred KB. Reports come from other
// machines, so they are read within bounds as results files are.
constexpr model::JsonLimits kReportLimits{16, 1'000, 1'000'000};

}  // namespace

// Found by argument-dependent lookup, so outside the unnamed namespace.
template <typename V, typename R, model::if_same<R, RankSummary> = 0>
void describe(V& v, R& r) {
  v("rank", r.rank);
  v("host", r.host);
  v("connections", r.connections);
  v("threads", r.threads);
  v("target_rate", r.rate);
  v("requests", r.requests);
  v("errors", r.errors);
  v("requests_per_sec", r.requests_per_sec);
  v("failure", r.failure);
  v("latency_histogram_us", r.latency_histogram);
}

std::string rank_report(int rank, const std::string& host, const load::Result& result, const std::string& failure) {
  json report = {{"rank", rank}, {"host", host}, {"failure", failure}, {"result", load::result_to_json(result)}};
  // Host names and failure messages come from other machines: replace invalid UTF-8 rather than throw.
  return report.dump(-1, ' ', false, json::error_handler_t::replace);
}

load::Result merge_reports(const load::Options& total, const std::vector<std::string>& reports,
                           std::vector<RankSummary>& ranks) {
  load::Result merged;
  merged.options = total;
  merged.options.threads = 0;
  merged.connected_after = Nanos::zero();  // every connection up until a rank says otherwise
  ranks.clear();
  for (const auto& text : reports) {
    try {
      const json report = model::parse_bounded(text, kReportLimits, "a rank's report", "a rank's report");
      RankSummary rank;
      const std::string top;
      model::Reader in{report, top};
      in("rank", rank.rank);
      in("host", rank.host);
      in("failure", rank.failure);
      // A failed rank's result holds the options it was given, and nothing measured.
      const load::Result result = load::result_from_json(report.at("result"), "result");
      rank.connections = result.options.connections;
      rank.threads = result.options.threads;
      rank.rate = result.options.rate;
      merged.options.threads += rank.threads;
      if (rank.failure.empty()) {
        rank.requests = result.requests;
        rank.errors = result.errors.total();
        rank.requests_per_sec = result.requests_per_second();
        rank.latency_histogram = stats::to_json(result.latency);
        merged.merge(result);
      }
      ranks.push_back(std::move(rank));
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("a rank's report cannot be read: ") + e.what());
    }
  }
  std::sort(ranks.begin(), ranks.end(), [](const RankSummary& a, const RankSummary& b) { return a.rank < b.rank; });
  if (merged.connected != static_cast<uint64_t>(total.connections)) merged.connected_after.reset();
  return merged;
}

std::vector<std::string> rank_warnings(const std::vector<RankSummary>& ranks) {
  std::vector<std::string> out;
  uint64_t requests = 0;
  int connections = 0;
  for (const auto& rank : ranks) {
    if (!rank.failure.empty()) {
      out.push_back(fmt::format("rank {} ({}) failed: {}", rank.rank, rank.host, rank.failure));
    } else {
      requests += rank.requests;
      connections += rank.connections;
    }
  }
  if (connections == 0 || requests == 0) return out;
  const double mean = static_cast<double>(requests) / connections;  // requests per connection over the fleet
  for (const auto& rank : ranks) {
    if (!rank.failure.empty() || rank.connections == 0) continue;
    const double own = static_cast<double>(rank.requests) / rank.connections;
    if (std::abs(own - mean) / mean > kImbalanceWarning)
      out.push_back(fmt::format("rank {} ({}) made {:.0f}% of the fleet's mean requests per connection", rank.rank,
                                rank.host, 100 * own / mean));
  }
  return out;
}

std::string format_ranks(const std::vector<RankSummary>& ranks) {
  std::string out = fmt::format("Fleet: {} rank{}\n", ranks.size(), ranks.size() == 1 ? "" : "s");
  out += fmt::format("  {:>4}  {:<20} {:>11} {:>12} {:>12} {:>8}\n", "rank", "host", "connections", "requests", "req/s",
                     "errors");
  for (const auto& rank : ranks) {
    out += fmt::format("  {:>4}  {:<20} {:>11} {:>12} {:>12.2f} {:>8}{}\n", rank.rank, rank.host.substr(0, 20),
                       rank.connections, rank.requests, rank.requests_per_sec, rank.errors,
                       rank.failure.empty() ? "" : "  FAILED");
  }
  for (const auto& warning : rank_warnings(ranks)) out += "  Warning: " + warning + "\n";
  return out;
}

json ranks_to_json(const std::vector<RankSummary>& ranks) {
  return {{"ranks", ranks.size()}, {"per_rank", model::to_json(ranks)}, {"warnings", rank_warnings(ranks)}};
}

}  // namespace bench::fleet
