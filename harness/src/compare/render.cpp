#include "compare/render.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

#include "compare/metric.h"
#include "model/describe.h"
#include "report/grid.h"
#include "util/errors.h"

namespace bench::compare {

// --- JSON: one field list per type ------------------------------------------------------------------------------

nlohmann::json write_value(Verdict verdict) { return verdict_name(verdict); }

template <typename V, typename R, model::if_same<R, RowComparison> = 0>
void describe(V& v, R& r) {
  v("variant", r.key.variant);
  v("test", r.key.test);
  v("connections", r.key.connections);
  v("queries", r.key.queries);
  v("baseline_n", r.baseline_n);
  v("current_n", r.current_n);
  v("baseline", r.baseline);
  v("current", r.current);
  v("change", r.change);
  v("change_low", r.change_low);
  v("change_high", r.change_high);
  v("confidence", r.confidence);
  v("p_value", r.p_value);
  v("repeats_needed", r.repeats_needed);
  v("verdict", r.verdict);
  v("note", r.note);
}

template <typename V, typename D, model::if_same<D, EnvironmentDifference> = 0>
void describe(V& v, D& d) {
  v("field", d.field);
  v("baseline", d.baseline);
  v("current", d.current);
}

template <typename V, typename C, model::if_same<C, Comparison> = 0>
void describe(V& v, C& c) {
  v("metric", c.metric);
  v("higher_is_better", c.higher_is_better);
  v("threshold", c.threshold);
  v("threshold_only", c.threshold_only);
  v.derived("relative_to", [&] { return c.relative_to.empty() ? nlohmann::json() : nlohmann::json(c.relative_to); });
  v.derived("confidence", [] { return kConfidence; });
  v.derived("regressions", [&] { return c.regressions(); });
  v.derived("inconclusive", [&] { return c.inconclusive(); });
  v.derived("not_judged", [&] { return c.not_judged(); });
  v.derived("without_control", [&] { return c.without_control(); });
  v("paired", c.paired);
  v.derived("repeats_needed", [&] { return c.repeats_needed(); });
  v.derived("exit_code", [&] { return c.exit_code(); });
  v("environment_differences", c.environment);
  v("notes", c.notes);
  v("rows", c.rows);
}

namespace {

std::string percent(double fraction) { return fmt::format("{:+.1f}%", fraction * 100); }

std::string value_text(const Comparison& c, double value) {
  if (!c.relative_to.empty()) return fmt::format("{:.3g}x", value);  // ratios span 1000x: significant digits
  return report::human_value(metric_field(c.metric).unit, value);
}

std::string side_text(const Comparison& c, const std::optional<double>& median_value, std::size_t n) {
  if (!median_value) return n == 0 ? "-" : "failed";
  return value_text(c, *median_value) + (n > 1 ? fmt::format(" (n={})", n) : "");
}

std::string interval_text(const RowComparison& row) {
  if (!row.change_low || !row.change_high || !row.confidence) return "-";
  return fmt::format("{} .. {} ({:.0f}%)", percent(*row.change_low), percent(*row.change_high), *row.confidence * 100);
}

report::Grid comparison_grid(const Comparison& c) {
  report::Grid grid;
  grid.headers = {"Variant", "Test", "Level", "Baseline", "Current", "Change", "Interval", "Verdict", "Note"};
  grid.right_aligned = {false, false, false, true, true, true, true, false, false};
  for (const auto& row : c.rows) {
    grid.rows.push_back({row.key.variant, row.key.test, report::level_label(row.key),
                         side_text(c, row.baseline, row.baseline_n), side_text(c, row.current, row.current_n),
                         row.change ? percent(*row.change) : "-", interval_text(row),
                         std::string(verdict_name(row.verdict)), row.note});
  }
  return grid;
}

std::string headline(const Comparison& c) {
  std::string figure = c.metric_header;
  if (!c.relative_to.empty()) figure += " as a ratio to " + c.relative_to + " in the same run";
  if (c.threshold_only) {
    return fmt::format("metric {} ({} is better), threshold {:.1f}%, threshold only (no intervals)", figure,
                       c.higher_is_better ? "higher" : "lower", c.threshold * 100);
  }
  if (c.paired) {
    return fmt::format(
        "metric {} ({} is better), threshold {:.1f}%, change: mean ratio of the pairs measured side by "
        "side with its {:.0f}% t interval",
        figure, c.higher_is_better ? "higher" : "lower", c.threshold * 100, kConfidence * 100);
  }
  return fmt::format(
      "metric {} ({} is better), threshold {:.1f}%, change: Hodges-Lehmann estimate with its {:.0f}% "
      "Mann-Whitney interval",
      figure, c.higher_is_better ? "higher" : "lower", c.threshold * 100, kConfidence * 100);
}

std::string conclusion(const Comparison& c) {
  std::map<Verdict, int> counts;
  for (const auto& row : c.rows) ++counts[row.verdict];
  const int code = c.exit_code();
  const char* word = code == bench::exit_code::usage            ? "NO CONTROL"
                     : code == bench::exit_code::failure        ? "REGRESSION"
                     : code == compare::exit_code::inconclusive ? "INCONCLUSIVE"
                                                                : "OK";
  return fmt::format(
      "{}: {} regression(s), {} inconclusive, {} improvement(s), {} unchanged, {} only in baseline, "
      "{} only in current, {} without samples, {} without control",
      word, c.regressions(), c.inconclusive(), counts[Verdict::improvement], counts[Verdict::unchanged],
      counts[Verdict::only_baseline], counts[Verdict::only_current], counts[Verdict::no_samples],
      counts[Verdict::no_control]);
}

// Version changes, listed before the table: the first suspects of any change in it.
std::vector<std::string> version_lines(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& d : c.environment)
    if (is_version(d))
      out.push_back(fmt::format("{}: baseline \"{}\", current \"{}\"", d.field, d.baseline, d.current));
  return out;
}

std::vector<std::string> warning_lines(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& d : c.environment) {
    if (is_version(d)) continue;  // listed first, by version_lines
    out.push_back(
        fmt::format("environment differs: {}: baseline \"{}\", current \"{}\"", d.field, d.baseline, d.current));
  }
  return out;
}

}  // namespace

std::string render_text(const Comparison& c) {
  std::string out = "bench compare: " + headline(c) + "\n\n";
  if (const auto versions = version_lines(c); !versions.empty()) {
    out += "versions changed (the first suspects of any change below):\n";
    for (const auto& line : versions) out += "  " + line + "\n";
    out += "\n";
  }
  out += report::text_table(comparison_grid(c)) + "\n";
  for (const auto& line : warning_lines(c)) out += "warning: " + line + "\n";
  for (const auto& note : c.notes) out += "note: " + note + "\n";
  return out + conclusion(c) + "\n";
}

std::string render_markdown(const Comparison& c) {
  std::string out = "## bench compare\n\n" + headline(c) + "\n\n";
  if (const auto versions = version_lines(c); !versions.empty()) {
    out += "**Versions changed** (the first suspects of any change below):\n\n";
    for (const auto& line : versions) out += "- " + line + "\n";
    out += "\n";
  }
  out += report::markdown_table(comparison_grid(c)) + "\n";
  for (const auto& line : warning_lines(c)) out += "- **warning:** " + line + "\n";
  for (const auto& note : c.notes) out += "- note: " + note + "\n";
  return out + "\n**" + conclusion(c) + "**\n";
}

std::string render_json(const Comparison& c) { return model::to_json(c).dump(2) + "\n"; }

}  // namespace bench::compare
