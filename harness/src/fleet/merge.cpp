#include "fleet/merge.h"

#include "stats/histogram.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bench::fleet {

namespace {

using nlohmann::json;

json errors_json(const load::ErrorCounts& e) {
  return {{"connect", e.connect}, {"read", e.read}, {"write", e.write}, {"timeout", e.timeout}, {"other", e.other}};
}

void add_errors(const json& j, load::ErrorCounts& e) {
  e.connect += j.at("connect").get<uint64_t>();
  e.read += j.at("read").get<uint64_t>();
  e.write += j.at("write").get<uint64_t>();
  e.timeout += j.at("timeout").get<uint64_t>();
  e.other += j.at("other").get<uint64_t>();
}

}  // namespace

std::string rank_report(int rank, const std::string& host, const load::Result& result, const std::string& failure) {
  json report = {{"rank", rank},
                 {"host", host},
                 {"connections", result.options.connections},
                 {"threads", result.options.threads},
                 {"rate", result.options.rate},
                 {"failure", failure}};
  if (failure.empty()) {
    json statuses = json::array();
    for (const auto& [code, count] : result.status_codes) statuses.push_back({code, count});
    report.update({{"requests", result.requests},
                   {"drained", result.drained_requests},
                   {"bytes_read", result.bytes_read},
                   {"errors", errors_json(result.errors)},
                   {"status_codes", statuses},
                   {"non_2xx_3xx", result.non_2xx_3xx},
                   {"elapsed_ns", result.elapsed.count()},
                   {"interrupted", result.interrupted},
                   {"client_cpu_seconds", result.client_cpu_seconds},
                   {"connected", result.connected},
                   {"connected_after_ns",
                    result.connected_after ? json(result.connected_after->count()) : json(nullptr)},
                   {"latency", stats::to_json(result.latency)},
                   {"latency_uncorrected", stats::to_json(result.latency_uncorrected)},
                   {"thread_rps", stats::to_json(result.thread_rps)}});
  }
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
      const json report = json::parse(text);
      RankSummary rank;
      rank.rank = report.at("rank").get<int>();
      rank.host = report.at("host").get<std::string>();
      rank.connections = report.at("connections").get<int>();
      rank.threads = report.at("threads").get<int>();
      rank.rate = report.at("rate").get<double>();
      rank.failure = report.at("failure").get<std::string>();
      merged.options.threads += rank.threads;
      if (rank.failure.empty()) {
        rank.requests = report.at("requests").get<uint64_t>();
        merged.requests += rank.requests;
        merged.drained_requests += report.at("drained").get<uint64_t>();
        merged.bytes_read += report.at("bytes_read").get<uint64_t>();
        load::ErrorCounts errors;
        add_errors(report.at("errors"), errors);
        rank.errors = errors.total();
        add_errors(report.at("errors"), merged.errors);
        for (const auto& entry : report.at("status_codes"))
          merged.status_codes[entry.at(0).get<int>()] += entry.at(1).get<uint64_t>();
        merged.non_2xx_3xx += report.at("non_2xx_3xx").get<uint64_t>();
        const Nanos elapsed{report.at("elapsed_ns").get<int64_t>()};
        merged.elapsed = std::max(merged.elapsed, elapsed);
        rank.requests_per_sec = elapsed.count() > 0 ? static_cast<double>(rank.requests) / to_seconds(elapsed) : 0;
        merged.interrupted = merged.interrupted || report.at("interrupted").get<bool>();
        merged.client_cpu_seconds += report.at("client_cpu_seconds").get<double>();
        merged.connected += report.value("connected", uint64_t{0});
        const json after = report.value("connected_after_ns", json(nullptr));
        if (after.is_number() && merged.connected_after) {
          merged.connected_after = std::max(*merged.connected_after, Nanos{after.get<int64_t>()});
        } else {
          merged.connected_after.reset();
        }
        rank.latency_histogram = report.at("latency");
        merged.latency.merge(stats::histogram_from_json(rank.latency_histogram));
        merged.latency_uncorrected.merge(stats::histogram_from_json(report.at("latency_uncorrected")));
        merged.thread_rps.merge(stats::histogram_from_json(report.at("thread_rps")));
      }
      ranks.push_back(std::move(rank));
    } catch (const json::exception& e) {
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
  out += fmt::format("  {:>4}  {:<20} {:>11} {:>12} {:>12} {:>8}\n", "rank", "host", "connections", "requests",
                     "req/s", "errors");
  for (const auto& rank : ranks) {
    out += fmt::format("  {:>4}  {:<20} {:>11} {:>12} {:>12.2f} {:>8}{}\n", rank.rank, rank.host.substr(0, 20),
                       rank.connections, rank.requests, rank.requests_per_sec, rank.errors,
                       rank.failure.empty() ? "" : "  FAILED");
  }
  for (const auto& warning : rank_warnings(ranks)) out += "  Warning: " + warning + "\n";
  return out;
}

json ranks_to_json(const std::vector<RankSummary>& ranks) {
  json per_rank = json::array();
  for (const auto& rank : ranks) {
    per_rank.push_back({{"rank", rank.rank},
                        {"host", rank.host},
                        {"connections", rank.connections},
                        {"threads", rank.threads},
                        {"rate_target_per_sec", rank.rate},
                        {"requests", rank.requests},
                        {"errors", rank.errors},
                        {"requests_per_sec", rank.requests_per_sec},
                        {"failure", rank.failure},
                        {"latency_histogram_us", rank.latency_histogram}});
  }
  return {{"ranks", ranks.size()}, {"per_rank", per_rank}, {"warnings", rank_warnings(ranks)}};
}

}  // namespace bench::fleet
