#include "load/wrk_output.h"

#include "load/http1.h"
#include "util/units.h"

#include <fmt/format.h>

#include <cmath>

namespace bench::load {

namespace {

// wrk's print_stats: name, then Avg, Stdev, Max in their units, then the share within one stdev of the mean.
std::string stats_row(const char* name, const stats::Histogram& h, std::string (*format)(double)) {
  const double mean = h.mean();
  const double stdev = h.stdev();
  const double within = h.count() ? 100.0 * h.fraction_within(mean - stdev, mean + stdev) : 0.0;
  return fmt::format("    {:<10}{}{}{}{:8.2f}%\n", name, pad_units(format(mean), 8), pad_units(format(stdev), 10),
                     pad_units(format(static_cast<double>(h.max())), 9), within);
}

// One "     50%    1.23ms" line, with wrk's column widths (wider label for 99.99%).
std::string percentile_row(const std::string& label, int64_t us) {
  return fmt::format("{:>8}{}\n", label, pad_units(format_time_us(static_cast<double>(us)), 10));
}

std::string running_time(Nanos duration) {
  const double seconds = to_seconds(duration);
  if (duration.count() % 1'000'000'000 == 0) return format_time_s(seconds);
  return format_duration(duration);
}

// "  Connections: 10000 of 10000 up after 1.22s" (from the start of the run, warmup included), or "9990 of 10000
// up" when some never connected.
std::string connections_line(const Result& result) {
  std::string out = fmt::format("  Connections: {} of {} up", result.connected, result.options.connections);
  if (result.connected_after) out += fmt::format(" after {:.2f}s", to_seconds(*result.connected_after));
  return out + "\n";
}

}  // namespace

std::string format_wrk_header(const Options& options) {
  return fmt::format("Running {} test @ {}\n  {} threads and {} connections\n", running_time(options.duration),
                     options.request.url, options.threads, options.connections);
}

std::vector<model::Warning> warnings(const Result& result) {
  using model::WarningCode;
  std::vector<model::Warning> out;
  if (result.interrupted)
    out.emplace_back(WarningCode::interrupted, fmt::format("interrupted after {:.2f}s of the {:.2f}s measurement: figures cover that part only",
                              to_seconds(result.elapsed), to_seconds(result.options.duration)));
  if (result.requests == 0) out.emplace_back(WarningCode::no_requests, "no complete responses were received");
  if (result.options.rate > 0 && result.achieved_rate_ratio() < kRateShortfallWarning && result.elapsed.count() > 0)
    out.emplace_back(WarningCode::rate_shortfall, fmt::format("achieved {:.1f} req/s, {:.1f}% of the {:.1f} req/s target: the server (or the client) "
                              "could not keep up, and latencies include the backlog",
                              result.requests_per_second(), 100.0 * result.achieved_rate_ratio(), result.options.rate));
  if (result.requests > 0 && result.errors.total() * 10 > result.requests)
    out.emplace_back(WarningCode::errors, fmt::format("{} errors beside {} responses: more than 10%", result.errors.total(), result.requests));
  return out;
}

std::string format_wrk(const Result& result, bool latency_distribution) {
  std::string out = format_wrk_header(result.options);
  out += fmt::format("  Thread Stats{:>6}{:>11}{:>8}{:>12}\n", "Avg", "Stdev", "Max", "+/- Stdev");
  out += stats_row("Latency", result.latency, &format_time_us);
  out += stats_row("Req/Sec", result.thread_rps, &format_metric);
  if (latency_distribution) {
    out += "  Latency Distribution\n";
    for (const int p : {50, 75, 90, 99}) out += percentile_row(fmt::format("{}%", p), result.latency.value_at_percentile(p));
  }
  out += fmt::format("  {} requests in {}, {}B read\n", result.requests,
                     format_time_us(static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(result.elapsed).count())),
                     format_binary(static_cast<double>(result.bytes_read)));
  const ErrorCounts& e = result.errors;
  if (e.connect || e.read || e.write || e.timeout)
    out += fmt::format("  Socket errors: connect {}, read {}, write {}, timeout {}\n", e.connect, e.read, e.write, e.timeout);
  if (result.non_2xx_3xx) out += fmt::format("  Non-2xx or 3xx responses: {}\n", result.non_2xx_3xx);
  out += fmt::format("Requests/sec: {:9.2f}\n", result.requests_per_second());
  out += fmt::format("Transfer/sec: {:>10}B\n", format_binary(result.bytes_per_second()));

  // Beyond wrk.
  out += "  Latency Tail\n";
  out += percentile_row("99.9%", result.latency.value_at_percentile(99.9));
  out += percentile_row("99.99%", result.latency.value_at_percentile(99.99));
  out += percentile_row("max", result.latency.max());
  if (result.options.rate > 0) {
    out += fmt::format("  Uncorrected latency (from actual send): p50 {}, p99 {}, max {}\n",
                       format_time_us(static_cast<double>(result.latency_uncorrected.value_at_percentile(50))),
                       format_time_us(static_cast<double>(result.latency_uncorrected.value_at_percentile(99))),
                       format_time_us(static_cast<double>(result.latency_uncorrected.max())));
    out += fmt::format("  Rate: {:.2f} of {:.2f} req/s target ({:.1f}%)\n", result.requests_per_second(),
                       result.options.rate, 100.0 * result.achieved_rate_ratio());
    if (result.owed.total())
      out += fmt::format("  Owed at the end: {} requests ({} unsent, {} unanswered), in the latency as long as owed\n",
                         result.owed.total(), result.owed.unsent, result.owed.unanswered);
  }
  if (result.options.latency_correction != LatencyCorrection::none)
    out += fmt::format("  Latency correction: {} (synthetic samples added as wrk 4.1 does; not measured)\n",
                       to_string(result.options.latency_correction));
  out += connections_line(result);
  std::string codes;
  for (const auto& [status, count] : result.status_codes) codes += fmt::format("{}{} {}", codes.empty() ? "" : ", ", status, count);
  out += fmt::format("  Status codes: {}\n", codes.empty() ? "none" : codes);
  if (e.other) out += fmt::format("  Other errors: {}\n", e.other);
  for (const auto& warning : warnings(result)) out += fmt::format("  Warning: {}\n", warning);
  return out;
}

}  // namespace bench::load
