#include "scenario/threshold.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "scenario/node_reader.h"
#include "scenario/suggest.h"

namespace bench::scenario {
namespace {

struct Metric {
  std::string_view name;   // as written in a limit
  std::string_view field;  // the results field (check/limits.cpp reads it)
  bool duration;           // the value is a duration ("50ms"), stored in microseconds
};

// Latency aliases first (what people write), then the results fields by name.
constexpr Metric kMetrics[] = {
    {"p50", "latency_p50_us", true},
    {"p75", "latency_p75_us", true},
    {"p90", "latency_p90_us", true},
    {"p99", "latency_p99_us", true},
    {"p999", "latency_p999_us", true},
    {"p9999", "latency_p9999_us", true},
    {"mean", "latency_mean_us", true},
    {"rps", "requests_per_sec", false},
    {"requests_per_sec", "requests_per_sec", false},
    {"errors", "errors", false},
    {"errors_total", "errors_total", false},
    {"non_2xx_3xx", "non_2xx_3xx", false},
    {"transfer_bytes_per_sec", "transfer_bytes_per_sec", false},
    {"db_queries_per_request", "db_queries_per_request", false},
    {"db_rows_per_request", "db_rows_per_request", false},
    {"server_cpu_us_per_request", "server_cpu_us_per_request", false},
    {"client_cpu_us_per_request", "client_cpu_us_per_request", false},
    {"db_cpu_us_per_request", "db_cpu_us_per_request", false},
    {"server_peak_rss_bytes", "server_peak_rss_bytes", false},
};

constexpr std::string_view kOps[] = {"<=", ">=", "==", "!=", "<", ">"};  // two-character ones first
constexpr std::string_view kLimitKeys[] = {"limit", "variant", "test"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string metric_list() {
  std::string out;
  for (const auto& m : kMetrics) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

}  // namespace

const std::vector<std::string_view>& threshold_metric_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& m : kMetrics) out.push_back(m.name);
    return out;
  }();
  return names;
}

std::variant<Threshold, std::string> parse_threshold_expression(std::string_view text) {
  const std::string_view expression = trim(text);
  std::size_t at = std::string_view::npos;
  std::string_view op;
  for (const auto candidate : kOps) {
    const auto found = expression.find(candidate);
    if (found != std::string_view::npos && (at == std::string_view::npos || found < at ||
                                            (found == at && candidate.size() > op.size()))) {
      at = found;
      op = candidate;
    }
  }
  if (at == std::string_view::npos) {
    return "expected METRIC OP VALUE such as 'p99 < 50ms' or 'errors == 0' (OP one of < <= > >= == !=), got '" +
           std::string(expression) + "'";
  }
  const std::string_view name = trim(expression.substr(0, at));
  const std::string_view value_text = trim(expression.substr(at + op.size()));
  const auto metric = std::find_if(std::begin(kMetrics), std::end(kMetrics), [&](const Metric& m) { return m.name == name; });
  if (metric == std::end(kMetrics)) {
    std::string message = "unknown metric '" + std::string(name) + "'";
    if (const auto match = closest_match(name, threshold_metric_names())) message += "; did you mean '" + *match + "'?";
    return message + " (expected one of " + metric_list() + ")";
  }
  Threshold threshold;
  threshold.text = std::string(expression);
  threshold.metric = std::string(metric->field);
  threshold.op = std::string(op);
  if (metric->duration) {
    try {
      threshold.value = static_cast<double>(parse_duration(value_text).count()) / 1000.0;  // ns -> us
    } catch (const std::exception& e) {
      return "'" + std::string(name) + "' takes a duration such as 50ms or 1.5s: " + e.what();
    }
  } else {
    const auto value = number(value_text);
    if (!value) return "'" + std::string(name) + "' takes a number, got '" + std::string(value_text) + "'";
    threshold.value = *value;
  }
  return threshold;
}

std::vector<Threshold> parse_thresholds(const NodeReader& reader, const Field& field, const Scenario& scenario) {
  std::vector<Threshold> out;
  if (field.value.IsNull()) return out;
  if (!field.value.IsSequence()) {
    reader.expected(field, "a list of limits such as '- p99 < 50ms' or '- {limit: errors == 0, variant: orm}'");
  }
  for (const auto& item : reader.items(field)) {
    Field limit = item;
    std::string variant, test;
    if (item.value.IsMap()) {
      std::optional<Field> found;
      for (const auto& entry : reader.entries(item, kLimitKeys)) {
        if (entry.key.Scalar() == "limit") {
          found = entry;
        } else if (entry.key.Scalar() == "variant") {
          variant = reader.string(entry);
          if (std::none_of(scenario.servers.begin(), scenario.servers.end(),
                           [&](const ServerSpec& s) { return s.name == variant; })) {
            reader.fail(entry, "no server named '" + variant + "' in this scenario");
          }
        } else {
          test = reader.string(entry);
          const auto type = test_type_from_string(test);
          if (!type || scenario.test(*type) == nullptr) reader.fail(entry, "no test '" + test + "' in this scenario");
        }
      }
      if (!found) reader.fail(item, "missing 'limit' (such as 'p99 < 50ms')");
      limit = *found;
    }
    auto parsed = parse_threshold_expression(reader.string(limit));
    if (auto* error = std::get_if<std::string>(&parsed)) reader.fail(limit, *error);
    Threshold threshold = std::get<Threshold>(std::move(parsed));
    threshold.variant = variant;
    threshold.test = test;
    threshold.where = reader.at(limit);
    out.push_back(std::move(threshold));
  }
  return out;
}

}  // namespace bench::scenario
