#include "check/limits.h"

#include <fmt/format.h>

#include "report/aggregate.h"
#include "report/fields.h"
#include "stats/statistics.h"

namespace bench::check {
namespace {

struct Limit {
  std::string text, metric, op, variant, test;
  double value = 0;
};

std::vector<Limit> limits_of(const report::Run& run) {
  std::vector<Limit> out;
  if (!run.scenario.is_object() || !run.scenario.contains("thresholds")) return out;
  const auto& list = run.scenario["thresholds"];
  try {
    for (const auto& item : list) {
      Limit limit;
      limit.text = item.at("limit").get<std::string>();
      limit.metric = item.at("metric").get<std::string>();
      limit.op = item.at("op").get<std::string>();
      limit.value = item.at("value").get<double>();
      limit.variant = item.value("variant", "");
      limit.test = item.value("test", "");
      if (limit.metric != "errors") report::field_named(limit.metric);  // throws for an unknown field
      out.push_back(std::move(limit));
    }
  } catch (const std::exception& e) {
    throw report::ResultsError("scenario.thresholds: malformed (" + std::string(e.what()) + ")");
  }
  return out;
}

bool holds(double figure, const std::string& op, double limit) {
  if (op == "<") return figure < limit;
  if (op == "<=") return figure <= limit;
  if (op == ">") return figure > limit;
  if (op == ">=") return figure >= limit;
  if (op == "==") return figure == limit;
  if (op == "!=") return figure != limit;
  throw report::ResultsError("scenario.thresholds: unknown operator '" + op + "'");
}

// The row's figure for the limit, nullopt when no ok repeat has it.
std::optional<double> figure(const report::Row& row, const std::string& metric) {
  if (row.samples.empty()) return std::nullopt;
  if (metric == "errors") {
    double sum = 0;
    for (const auto& cell : row.samples) sum += static_cast<double>(cell.errors.total() + cell.non_2xx_3xx);
    return sum;
  }
  const auto values = report::values(row, report::field_named(metric));
  if (values.empty()) return std::nullopt;
  return stats::median(values);
}

std::string shown(const std::string& metric, double value) {
  if (metric == "errors") return fmt::format("{:.0f}", value);
  const auto& field = report::field_named(metric);
  return field.unit == report::Unit::ratio ? fmt::format("{:.2f}", value) : report::human_value(field.unit, value);
}

}  // namespace

Outcome check(const report::Run& run) {
  Outcome out;
  const auto limits = limits_of(run);
  out.limits = static_cast<int>(limits.size());
  if (limits.empty()) return out;
  const report::Table table = report::combine({run});
  out.rows = static_cast<int>(table.rows.size());
  for (const auto& limit : limits) {
    int matched = 0;
    for (const auto& row : table.rows) {
      if (!limit.variant.empty() && row.key.variant != limit.variant) continue;
      if (!limit.test.empty() && row.key.test != limit.test) continue;
      const auto value = figure(row, limit.metric);
      if (!value) continue;
      ++matched;
      if (!holds(*value, limit.op, limit.value)) {
        out.broken.push_back(fmt::format("{} {} {}: {}: {}{}", row.key.variant, row.key.test,
                                         report::level_label(row.key), limit.text, shown(limit.metric, *value),
                                         row.samples.size() > 1 ? fmt::format(" ({} of {} repeats)",
                                                                              limit.metric == "errors" ? "sum" : "median",
                                                                              row.samples.size())
                                                                : ""));
      }
    }
    if (matched == 0) {
      std::string scope = limit.variant.empty() && limit.test.empty() ? "any cell" : "";
      if (!limit.variant.empty()) scope += "variant " + limit.variant;
      if (!limit.test.empty()) scope += (scope.empty() ? "test " : ", test ") + limit.test;
      out.broken.push_back(fmt::format("{}: nothing measured for {}", limit.text, scope));
    }
  }
  return out;
}

}  // namespace bench::check
