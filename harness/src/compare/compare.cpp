#include "compare/compare.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "compare/statistics.h"
#include "report/grid.h"
#include "util/errors.h"

namespace bench::compare {
namespace {

using report::Row;

constexpr const char* kOneSampleNote = "threshold only (one sample)";

struct MetricName {
  std::string_view metric, field;
};
constexpr MetricName kMetrics[] = {{"rps", "requests_per_sec"}, {"p50", "latency_p50_us"}, {"p75", "latency_p75_us"},
                                   {"p90", "latency_p90_us"},   {"p99", "latency_p99_us"}, {"p999", "latency_p999_us"},
                                   {"p9999", "latency_p9999_us"}, {"mean", "latency_mean_us"}};

std::optional<double> relative_change(double baseline, double current) {
  if (baseline == 0) return current == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (current - baseline) / baseline;
}

// Decides one row where both sides have samples.
void judge(RowComparison& row, const std::vector<double>& base, const std::vector<double>& cur, const Options& options,
           bool higher_is_better) {
  row.baseline = median(base);
  row.current = median(cur);
  row.change = relative_change(*row.baseline, *row.current);
  const double change = row.change ? *row.change : (*row.current > 0 ? INFINITY : -INFINITY);
  const double worse = higher_is_better ? -change : change;  // > 0 means worse
  const bool beyond = std::fabs(change) > options.threshold;
  const Verdict direction = worse > 0 ? Verdict::regression : Verdict::improvement;
  if (base.size() < 2 || cur.size() < 2) {
    row.verdict = beyond ? direction : Verdict::unchanged;
    row.note = kOneSampleNote;
    return;
  }
  const auto test = mann_whitney_u(base, cur);
  row.p_value = test.p_value;
  row.exact = test.exact;
  if (!beyond) {
    row.verdict = Verdict::unchanged;
    return;
  }
  if (test.p_value < kSignificance) {
    row.verdict = direction;
    return;
  }
  row.verdict = Verdict::not_significant;
  const double smallest = smallest_p_value(base.size(), cur.size());
  row.note = smallest >= kSignificance
                 ? fmt::format("too few samples for p < 0.05 (the smallest possible p with {} and {} is {:.3f})",
                               base.size(), cur.size(), smallest)
                 : "change beyond the threshold but not significant (p >= 0.05): treated as noise";
}

// The current run's record of a variant that failed (build, start, verification), or null.
const report::Variant* failed_variant(const report::Table& table, const std::string& name) {
  for (const auto& variant : table.variant_info) {
    if (variant.name == name && variant.status == "failed") return &variant;
  }
  return nullptr;
}

std::string percent(double fraction) { return fmt::format("{:+.1f}%", fraction * 100); }

std::string side_text(const std::optional<double>& median_value, std::size_t n, report::Unit unit) {
  if (!median_value) return n == 0 ? "-" : "failed";
  return report::human_value(unit, *median_value) + (n > 1 ? fmt::format(" (n={})", n) : "");
}

report::Grid comparison_grid(const Comparison& c) {
  const report::Unit unit = metric_field(c.metric).unit;
  report::Grid grid;
  grid.headers = {"Variant", "Test", "Level", "Baseline", "Current", "Change", "p", "Verdict", "Note"};
  grid.right_aligned = {false, false, false, true, true, true, true, false, false};
  for (const auto& row : c.rows) {
    grid.rows.push_back({row.key.variant, row.key.test, report::level_label(row.key),
                         side_text(row.baseline, row.baseline_n, unit), side_text(row.current, row.current_n, unit),
                         row.change ? percent(*row.change) : "-",
                         row.p_value ? fmt::format("{:.3f}", *row.p_value) : "-", std::string(verdict_name(row.verdict)),
                         row.note});
  }
  return grid;
}

std::string headline(const Comparison& c) {
  return fmt::format("metric {} ({} is better), threshold {:.1f}%, significance: Mann-Whitney U two-sided p < {}",
                     c.metric_header, c.higher_is_better ? "higher" : "lower", c.threshold * 100, kSignificance);
}

std::string conclusion(const Comparison& c) {
  const int n = c.regressions();
  std::map<Verdict, int> counts;
  for (const auto& row : c.rows) ++counts[row.verdict];
  return fmt::format("{}: {} regression(s), {} improvement(s), {} unchanged, {} not significant, {} only in baseline, "
                     "{} only in current",
                     n > 0 ? "REGRESSION" : "OK", n, counts[Verdict::improvement], counts[Verdict::unchanged],
                     counts[Verdict::not_significant], counts[Verdict::only_baseline], counts[Verdict::only_current]);
}

std::string scenario_names(const std::vector<report::Run>& runs) {
  std::string names;
  for (const auto& run : runs) {
    if (names.find(run.scenario_name) == std::string::npos) names += (names.empty() ? "" : ", ") + run.scenario_name;
  }
  return names;
}

}  // namespace

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

const report::Field& metric_field(std::string_view metric) {
  for (const auto& m : kMetrics) {
    if (m.metric == metric) return report::field_named(m.field);
  }
  throw UsageError("--metric: unknown metric \"" + std::string(metric) +
                   "\" (expected rps, p50, p75, p90, p99, p999, p9999 or mean)");
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::unchanged: return "unchanged";
    case Verdict::not_significant: return "not significant";
    case Verdict::regression: return "REGRESSION";
    case Verdict::improvement: return "improvement";
    case Verdict::failed: return "FAILED";
    case Verdict::only_baseline: return "only in baseline";
    case Verdict::only_current: return "only in current";
  }
  return "?";
}

int Comparison::regressions() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::regression || row.verdict == Verdict::failed;
  return n;
}

Comparison compare(const std::vector<report::Run>& baseline, const std::vector<report::Run>& current,
                   const Options& options) {
  const report::Field& field = metric_field(options.metric);
  Comparison out;
  out.metric = options.metric;
  out.metric_header = field.header;
  out.higher_is_better = field.better == report::Better::higher;
  out.threshold = options.threshold;

  const report::Table base = report::combine(baseline);
  const report::Table cur = report::combine(current);
  std::map<report::Key, const Row*> current_rows;
  for (const auto& row : cur.rows) current_rows[row.key] = &row;

  int common = 0;
  for (const auto& row : base.rows) {
    RowComparison r;
    r.key = row.key;
    const auto base_values = report::values(row, field);
    r.baseline_n = base_values.size();
    if (!base_values.empty()) r.baseline = median(base_values);
    const auto it = current_rows.find(row.key);
    if (it == current_rows.end()) {
      if (const auto* broken = failed_variant(cur, row.key.variant)) {
        r.verdict = Verdict::failed;  // the variant broke before measuring: no cells, but not a smaller scenario
        r.note = "the variant failed in the current run: " + broken->reason;
        ++common;
      } else {
        r.verdict = Verdict::only_baseline;
      }
      out.rows.push_back(std::move(r));
      continue;
    }
    ++common;
    const auto cur_values = report::values(*it->second, field);
    r.current_n = cur_values.size();
    current_rows.erase(it);
    if (base_values.empty() && cur_values.empty()) {
      r.verdict = Verdict::unchanged;
      r.note = "no successful measurement on either side";
    } else if (cur_values.empty()) {
      r.verdict = Verdict::failed;
      r.note = "no successful measurement in the current run";
    } else if (base_values.empty()) {
      r.current = median(cur_values);
      r.verdict = Verdict::only_current;
      r.note = "no successful measurement in the baseline";
    } else {
      judge(r, base_values, cur_values, options, out.higher_is_better);
    }
    out.rows.push_back(std::move(r));
  }
  for (const auto& row : cur.rows) {
    if (!current_rows.count(row.key)) continue;
    RowComparison r;
    r.key = row.key;
    const auto cur_values = report::values(row, field);
    r.current_n = cur_values.size();
    if (!cur_values.empty()) r.current = median(cur_values);
    r.verdict = Verdict::only_current;
    out.rows.push_back(std::move(r));
  }
  if (common == 0) {
    throw UsageError(fmt::format("the scenarios do not match: baseline ({}) and current ({}) have no variant x test x "
                                 "level in common, nothing to compare",
                                 scenario_names(baseline), scenario_names(current)));
  }
  if (std::any_of(out.rows.begin(), out.rows.end(), [](const RowComparison& r) { return r.note == kOneSampleNote; })) {
    out.notes.push_back("rows marked \"threshold only\" have one sample on a side: no significance test was possible, "
                        "the threshold alone decided (run with --repeat 5 for a tested verdict)");
  }
  for (const auto* side : {&baseline, &current}) {
    for (const auto& run : *side) {
      if (run.status != "complete") {
        out.notes.push_back(fmt::format("{} run of {} started {} is {}, not complete: some cells may be missing",
                                        side == &baseline ? "the baseline" : "the current", run.scenario_name,
                                        run.started_at, run.status.empty() ? "of unknown status" : run.status));
      }
    }
  }
  if (scenario_names(baseline) != scenario_names(current)) {
    out.notes.push_back(fmt::format("different scenario names: baseline {}, current {}", scenario_names(baseline),
                                    scenario_names(current)));
  }
  if (!baseline.empty() && !current.empty() &&
      baseline.front().environment.cpu_model != current.front().environment.cpu_model) {
    out.notes.push_back(fmt::format("different machines: baseline on \"{}\", current on \"{}\"",
                                    baseline.front().environment.cpu_model, current.front().environment.cpu_model));
  }
  return out;
}

std::string render_text(const Comparison& c) {
  std::string out = "bench compare: " + headline(c) + "\n\n" + report::text_table(comparison_grid(c)) + "\n";
  for (const auto& note : c.notes) out += "note: " + note + "\n";
  return out + conclusion(c) + "\n";
}

std::string render_markdown(const Comparison& c) {
  std::string out = "## bench compare\n\n" + headline(c) + "\n\n" + report::markdown_table(comparison_grid(c)) + "\n";
  for (const auto& note : c.notes) out += "- note: " + note + "\n";
  return out + "\n**" + conclusion(c) + "**\n";
}

std::string render_json(const Comparison& c) {
  using nlohmann::json;
  const auto optional = [](const std::optional<double>& v) { return v ? json(*v) : json(); };
  json rows = json::array();
  for (const auto& r : c.rows) {
    rows.push_back({{"variant", r.key.variant},
                    {"test", r.key.test},
                    {"connections", r.key.connections},
                    {"queries", r.key.queries},
                    {"baseline_n", r.baseline_n},
                    {"current_n", r.current_n},
                    {"baseline", optional(r.baseline)},
                    {"current", optional(r.current)},
                    {"change", optional(r.change)},
                    {"p_value", optional(r.p_value)},
                    {"exact", r.exact},
                    {"verdict", verdict_name(r.verdict)},
                    {"note", r.note}});
  }
  json out = {{"metric", c.metric},
              {"higher_is_better", c.higher_is_better},
              {"threshold", c.threshold},
              {"significance", kSignificance},
              {"regressions", c.regressions()},
              {"notes", c.notes},
              {"rows", std::move(rows)}};
  return out.dump(2) + "\n";
}

}  // namespace bench::compare
