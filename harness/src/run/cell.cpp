#include "run/cell.h"

#include "load/wrk_output.h"
#include "load/result_json.h"

#include <fmt/core.h>

#include <algorithm>

namespace bench::run {

namespace {

using report::Warning;
using report::WarningCode;

// One warning per code: the first one raised says it best (the load engine repeats some of ours in other words).
void add_unique(std::vector<Warning>& list, Warning warning) {
  const auto same = [&](const Warning& w) { return w.code == warning.code && (w.code != WarningCode::load || w == warning); };
  if (std::none_of(list.begin(), list.end(), same)) list.push_back(std::move(warning));
}

}  // namespace

std::vector<report::Warning> trust_warnings(const load::Result& result, const ProbeFigures& probes) {
  std::vector<Warning> out;
  const uint64_t attempts = result.requests + result.errors.total();
  const uint64_t bad = result.errors.total() + result.non_2xx_3xx;
  if (result.requests == 0) out.push_back({WarningCode::no_requests, "no request completed"});
  if (attempts > 0 && static_cast<double>(bad) / static_cast<double>(attempts) > kErrorShareWarning) {
    out.push_back({WarningCode::errors, fmt::format("{:.2f}% of requests failed or answered non-2xx/3xx ({} of {})",
                              100.0 * static_cast<double>(bad) / static_cast<double>(attempts), bad, attempts)});
  }
  const double seconds = to_seconds(result.elapsed);
  const int threads = result.options.threads;
  if (seconds > 0 && threads > 0) {
    const double busy = result.client_cpu_seconds / (seconds * threads);
    if (busy > kClientSaturationWarning) {
      out.push_back({WarningCode::client_saturated,
                     fmt::format("the load generator used {:.0f}% of its {} thread(s): it may be the bottleneck",
                                 100.0 * busy, threads)});
    }
  }
  if (probes.server) {
    if (probes.server->leader_died) out.push_back({WarningCode::server_died, "the server died during the measurement"});
    else if (probes.server->distinct_processes > probes.server->processes)
      out.push_back({WarningCode::server_restarted,
                     "the server's processes changed during the measurement (a worker restarted?)"});
  }
  if (probes.server_exited)
    add_unique(out, {WarningCode::server_exited, "the server was not running at the end of the measurement"});
  for (auto& w : load::warnings(result)) add_unique(out, std::move(w));
  if (probes.contention)
    if (auto w = contention_warning(*probes.contention)) add_unique(out, {WarningCode::contention, std::move(*w)});
  return out;
}

report::Cell make_cell(const CellKey& key, const load::Result& result, const ProbeFigures& probes) {
  report::Cell cell;
  cell.variant = key.variant;
  cell.test = key.test;
  cell.connections = key.connections;
  cell.queries = key.queries;
  cell.repeat = key.repeat;
  // A window in which no request completed measured nothing (a stopped or wedged server): a failed cell, not a
  // 0 req/s figure.
  cell.status = result.interrupted ? "interrupted" : result.requests == 0 ? "failed" : "ok";
  static_cast<model::LoadFigures&>(cell) = load::figures(result);
  if (result.requests > 0) {
    // The client's CPU is counted over the measured phase; the server's and the database's counters also hold the
    // work of the requests drained after it (load::Options::drain).
    cell.client_cpu_us_per_request = result.client_cpu_seconds * 1e6 / static_cast<double>(result.requests);
    const auto per_request = [&](double total) {
      return total / static_cast<double>(result.requests + result.drained_requests);
    };
    if (probes.queries) {
      const auto& q = *probes.queries;
      cell.db_queries_per_request = per_request(static_cast<double>(q.total_calls()));
      cell.db_rows_per_request = per_request(
          static_cast<double>(q.select_world.rows + q.update_world.rows + q.select_fortune.rows + q.other.rows));
    }
    if (probes.server) cell.server_cpu_us_per_request = per_request(probes.server->cpu_seconds * 1e6);
    if (probes.database) cell.db_cpu_us_per_request = per_request(probes.database->cpu_seconds * 1e6);
  }
  if (probes.server) cell.server_peak_rss_bytes = probes.server->peak_rss_bytes;
  cell.warnings = trust_warnings(result, probes);
  cell.contention = probes.contention;
  return cell;
}

}  // namespace bench::run
