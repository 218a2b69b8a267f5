#include "compare/metric.h"

#include <charconv>
#include <cmath>
#include <string>

#include "util/errors.h"

namespace bench::compare {
namespace {

struct MetricName {
  std::string_view metric, field;
  double* (*slot)(report::Cell&);  // where --relative-to writes the ratio
};
constexpr MetricName kMetrics[] = {{"rps", "requests_per_sec", [](report::Cell& c) { return &c.requests_per_sec; }},
                                   {"p50", "latency_p50_us", [](report::Cell& c) { return &c.latency.p50_us; }},
                                   {"p75", "latency_p75_us", [](report::Cell& c) { return &c.latency.p75_us; }},
                                   {"p90", "latency_p90_us", [](report::Cell& c) { return &c.latency.p90_us; }},
                                   {"p99", "latency_p99_us", [](report::Cell& c) { return &c.latency.p99_us; }},
                                   {"p999", "latency_p999_us", [](report::Cell& c) { return &c.latency.p999_us; }},
                                   {"p9999", "latency_p9999_us", [](report::Cell& c) { return &c.latency.p9999_us; }},
                                   {"mean", "latency_mean_us", [](report::Cell& c) { return &c.latency.mean_us; }}};

const MetricName& metric_named(std::string_view metric) {
  for (const auto& m : kMetrics) {
    if (m.metric == metric) return m;
  }
  throw UsageError("--metric: unknown metric \"" + std::string(metric) +
                   "\" (expected rps, p50, p75, p90, p99, p999, p9999 or mean)");
}

}  // namespace

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const auto& m : kMetrics) names.emplace_back(m.metric);
  return names;
}

double parse_threshold(std::string_view text) {
  std::string_view number = text;
  if (!number.empty() && number.back() == '%') number.remove_suffix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || error != std::errc() || end != number.data() + number.size() || !std::isfinite(value) ||
      value < 0) {
    throw UsageError("--threshold: expected a non-negative percentage such as 5% or 2.5, got \"" + std::string(text) +
                     "\"");
  }
  return value / 100.0;
}

const report::Field& metric_field(std::string_view metric) { return report::field_named(metric_named(metric).field); }

double* metric_slot(report::Cell& cell, std::string_view metric) { return metric_named(metric).slot(cell); }

}  // namespace bench::compare
