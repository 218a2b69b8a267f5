#include "compare/compare.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "report/grid.h"
#include "stats/statistics.h"
#include "util/errors.h"

namespace bench::compare {
namespace {

using report::Row;

struct MetricName {
  std::string_view metric, field;
  double* (*slot)(report::Cell&);  // where --relative-to writes the ratio
};
constexpr MetricName kMetrics[] = {
    {"rps", "requests_per_sec", [](report::Cell& c) { return &c.requests_per_sec; }},
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

std::optional<double> relative_change(double baseline, double current) {
  if (baseline == 0) return current == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (current - baseline) / baseline;
}

double sample_variance(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size() - 1);
}

// The verdict of a row from its effect on the log (or linear) scale: the estimate and interval of the shift,
// the interval's true coverage, and the spread that says how many more repeats would decide it.
struct Effect {
  double estimate = 0, low = 0, high = 0;
  double confidence = 0;  // the interval's coverage
  bool decisive = false;  // the interval reaches the confidence asked for
  std::size_t repeats_needed = 0;  // when it cannot decide: repeats a side (pairs) that would
  std::string too_few;    // when not decisive: why ("2 and 2 samples reach 67% confidence at most")
};

void decide(RowComparison& row, const Effect& effect, bool positive, const Options& options, bool higher_is_better) {
  const auto relative = [&](double s) -> std::optional<double> {
    if (positive) return std::exp(s) - 1.0;
    return relative_change(*row.baseline, *row.baseline + s);
  };
  row.change = relative(effect.estimate);
  row.change_low = relative(effect.low);
  row.change_high = relative(effect.high);
  // Figures are never negative: whatever the linear fallback computes, nothing falls by more than 100%.
  if (!positive && row.change_low) row.change_low = std::max(*row.change_low, -1.0);
  row.confidence = effect.confidence;

  const double change = row.change ? *row.change : (*row.current > 0 ? INFINITY : -INFINITY);
  const double worse = higher_is_better ? -change : change;  // > 0 means worse
  const bool beyond = std::fabs(change) > options.threshold;
  const Verdict direction = worse > 0 ? Verdict::regression : Verdict::improvement;
  if (options.threshold_only) {
    row.verdict = beyond ? direction : Verdict::unchanged;
    row.note = "threshold only";
    return;
  }
  if (!beyond) {
    row.verdict = Verdict::unchanged;
    return;
  }
  const bool excludes_none = effect.low > 0 || effect.high < 0;
  if (effect.decisive && excludes_none) {
    row.verdict = direction;
    return;
  }
  row.verdict = Verdict::inconclusive;
  row.repeats_needed = effect.repeats_needed;
  row.note = !effect.decisive ? effect.too_few
                              : fmt::format("the interval reaches no change: needs about {} repeats a side",
                                            row.repeats_needed);
}

bool all_positive(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
}

// Decides one row where both sides have samples, unpaired: the Hodges-Lehmann shift and its Mann-Whitney interval.
void judge(RowComparison& row, const std::vector<double>& base, const std::vector<double>& cur, const Options& options,
           bool higher_is_better) {
  row.baseline = stats::median(base);
  row.current = stats::median(cur);
  const bool positive = all_positive(base) && all_positive(cur);
  // On log values the shift is a ratio: exp(shift) - 1 is the relative change, symmetric in both directions.
  // Figures with zeros (an error count) fall back to the shift relative to the baseline median.
  std::vector<double> x = base, y = cur;
  if (positive) {
    for (auto& v : x) v = std::log(v);
    for (auto& v : y) v = std::log(v);
  }
  const auto shift = stats::hodges_lehmann(x, y, kConfidence);
  row.p_value = stats::mann_whitney_u(base, cur).p_value;
  Effect effect{shift.estimate, shift.interval.low, shift.interval.high, shift.interval.confidence,
                shift.interval.confidence >= kConfidence - 1e-9, 0, ""};
  // Repeats a side for this effect at the spread seen (pooled within-side variance, on the same scale).
  const double spread = std::sqrt((sample_variance(x) + sample_variance(y)) / 2.0);
  const double size = std::fabs(shift.estimate);
  effect.repeats_needed = spread > 0 ? stats::samples_needed(size, spread, kConfidence)
                                     : stats::smallest_decisive_n(kConfidence);
  effect.repeats_needed = std::max(effect.repeats_needed, std::max(base.size(), cur.size()) + 1);
  effect.too_few = fmt::format("{} and {} samples reach {:.0f}% confidence at most: needs {} repeats a side",
                               base.size(), cur.size(), shift.interval.confidence * 100, effect.repeats_needed);
  decide(row, effect, positive, options, higher_is_better);
}

// Fewer pairs than this decide nothing: with 2 the t interval is the mean +- 12.7 standard errors.
constexpr std::size_t kMinPairs = 3;

// Decides one row from pairs (baseline, current) measured side by side: the mean log ratio and its t interval.
void judge_paired(RowComparison& row, const std::vector<std::pair<double, double>>& pairs, const Options& options,
                  bool higher_is_better) {
  std::vector<double> base, cur;
  for (const auto& [b, c] : pairs) {
    base.push_back(b);
    cur.push_back(c);
  }
  row.baseline = stats::median(base);
  row.current = stats::median(cur);
  const bool positive = all_positive(base) && all_positive(cur);
  std::vector<double> differences;
  for (const auto& [b, c] : pairs) differences.push_back(positive ? std::log(c) - std::log(b) : c - b);
  const auto shift = stats::paired_t(differences, kConfidence);
  row.p_value = shift.p_value;
  Effect effect{shift.estimate, shift.interval.low, shift.interval.high, shift.interval.confidence,
                pairs.size() >= kMinPairs, 0, ""};
  const double spread = std::sqrt(sample_variance(differences));
  effect.repeats_needed = spread > 0 ? stats::pairs_needed(std::fabs(shift.estimate), spread, kConfidence) : kMinPairs;
  effect.repeats_needed = std::max(effect.repeats_needed, pairs.size() + 1);
  effect.too_few = fmt::format("{} pair(s) decide nothing: needs {} repeats a side", pairs.size(),
                               effect.repeats_needed);
  decide(row, effect, positive, options, higher_is_better);
}

// The row's samples as pairs, matched by repeat (compare/between.h makes repeats unique across runs).
std::vector<std::pair<double, double>> pairs_of(const Row& baseline, const Row& current, const report::Field& field) {
  std::map<int, double> base;
  if (!field.number) return {};
  for (const auto& cell : baseline.samples) {
    if (const auto v = field.number(cell)) base[cell.repeat] = *v;
  }
  std::vector<std::pair<double, double>> out;
  for (const auto& cell : current.samples) {
    const auto v = field.number(cell);
    const auto it = base.find(cell.repeat);
    if (v && it != base.end()) out.emplace_back(it->second, *v);
  }
  return out;
}

// The largest share of the machine's CPU that other work and the hypervisor took during any of the row's samples,
// when it is above kContendedShare; nullopt when none was (or no sample recorded it).
std::optional<double> contended_share(const Row& row) {
  std::optional<double> worst;
  for (const auto& cell : row.samples) {
    if (!cell.contention) continue;
    const double share = cell.contention->others_cpu_share + cell.contention->steal_share;
    if (share > kContendedShare) worst = std::max(worst.value_or(0), share);
  }
  return worst;
}

// A changed row measured while other work took the CPU says so: the change may be the machine's, not the code's.
void note_contention(RowComparison& row, const Row* baseline, const Row* current) {
  if (row.verdict != Verdict::regression && row.verdict != Verdict::improvement &&
      row.verdict != Verdict::inconclusive)
    return;
  std::string said;
  for (const auto& [side, r] : {std::pair{"baseline", baseline}, std::pair{"current", current}}) {
    if (r == nullptr) continue;
    if (const auto share = contended_share(*r))
      said += fmt::format("{}{} measured under contention (other work and steal took {:.0f}% of the CPU)",
                          said.empty() ? "" : "; ", side, *share * 100);
  }
  if (said.empty()) return;
  row.note = row.note.empty() ? said : row.note + "; " + said;
}

// The current run's record of a variant that failed (build, start, verification), or null.
const report::Variant* failed_variant(const report::Table& table, const std::string& name) {
  for (const auto& variant : table.variant_info) {
    if (variant.name == name && variant.status == "failed") return &variant;
  }
  return nullptr;
}

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
  return fmt::format("{} .. {} ({:.0f}%)", percent(*row.change_low), percent(*row.change_high),
                     *row.confidence * 100);
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
    return fmt::format("metric {} ({} is better), threshold {:.1f}%, change: mean ratio of the pairs measured side by "
                       "side with its {:.0f}% t interval",
                       figure, c.higher_is_better ? "higher" : "lower", c.threshold * 100, kConfidence * 100);
  }
  return fmt::format("metric {} ({} is better), threshold {:.1f}%, change: Hodges-Lehmann estimate with its {:.0f}% "
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
  return fmt::format("{}: {} regression(s), {} inconclusive, {} improvement(s), {} unchanged, {} only in baseline, "
                     "{} only in current, {} without samples, {} without control",
                     word, c.regressions(), c.inconclusive(), counts[Verdict::improvement], counts[Verdict::unchanged],
                     counts[Verdict::only_baseline], counts[Verdict::only_current], counts[Verdict::no_samples],
                     counts[Verdict::no_control]);
}

// A component a server reported (versions.<variant>.<component>, or an older run's frameworks.<name>).
bool is_version(const EnvironmentDifference& d) {
  return d.field.rfind("versions.", 0) == 0 || d.field.rfind("frameworks.", 0) == 0;
}

// Version changes, listed before the table: the first suspects of any change in it.
std::vector<std::string> version_lines(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& d : c.environment)
    if (is_version(d)) out.push_back(fmt::format("{}: baseline \"{}\", current \"{}\"", d.field, d.baseline, d.current));
  return out;
}

std::vector<std::string> warning_lines(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& d : c.environment) {
    if (is_version(d)) continue;  // listed first, by version_lines
    out.push_back(fmt::format("environment differs: {}: baseline \"{}\", current \"{}\"", d.field, d.baseline,
                              d.current));
  }
  return out;
}

std::string scenario_names(const std::vector<report::Run>& runs) {
  std::string names;
  for (const auto& run : runs) {
    if (names.find(run.scenario_name) == std::string::npos) names += (names.empty() ? "" : ", ") + run.scenario_name;
  }
  return names;
}

std::string joined(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
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

const report::Field& metric_field(std::string_view metric) { return report::field_named(metric_named(metric).field); }

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::unchanged: return "unchanged";
    case Verdict::inconclusive: return "INCONCLUSIVE";
    case Verdict::regression: return "REGRESSION";
    case Verdict::improvement: return "improvement";
    case Verdict::failed: return "FAILED";
    case Verdict::only_baseline: return "only in baseline";
    case Verdict::only_current: return "only in current";
    case Verdict::no_samples: return "NOT JUDGED";
    case Verdict::no_control: return "NO CONTROL";
  }
  return "?";
}

int Comparison::regressions() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::regression || row.verdict == Verdict::failed;
  return n;
}

int Comparison::inconclusive() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::inconclusive;
  return n;
}

std::size_t Comparison::repeats_needed() const {
  std::size_t n = 0;
  for (const auto& row : rows) n = std::max(n, row.repeats_needed);
  return n;
}

int Comparison::not_judged() const {
  int n = 0;
  for (const auto& row : rows)
    n += row.verdict == Verdict::only_baseline || row.verdict == Verdict::only_current ||
         row.verdict == Verdict::no_samples;
  return n;
}

int Comparison::without_control() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::no_control;
  return n;
}

int Comparison::exit_code() const {
  if (without_control() > 0) return bench::exit_code::usage;
  if (regressions() > 0) return bench::exit_code::failure;
  if (inconclusive() > 0 || not_judged() > 0) return compare::exit_code::inconclusive;
  return bench::exit_code::ok;
}

std::vector<report::Run> relative_runs(const std::vector<report::Run>& runs, const std::string& relative_to,
                                       std::string_view metric, std::set<report::Key>* without_control) {
  const auto slash = relative_to.find('/');
  const std::string control = relative_to.substr(0, slash);
  const std::string control_test = slash == std::string::npos ? "" : relative_to.substr(slash + 1);
  if (control.empty() || (slash != std::string::npos && control_test.empty())) {
    throw UsageError("--relative-to: expected VARIANT or VARIANT/TEST, got \"" + relative_to + "\"");
  }
  const auto slot = metric_named(metric).slot;
  std::vector<report::Run> out;
  bool found = false;
  for (const auto& run : runs) {
    // The control's figure per (test, connections, queries, repeat), from ok cells only.
    std::map<std::tuple<std::string, int, int, int>, double> controls;
    for (const auto& cell : run.cells) {
      if (cell.variant != control || cell.status != "ok") continue;
      if (!control_test.empty() && cell.test != control_test) continue;
      report::Cell copy = cell;
      const double value = *slot(copy);
      if (value > 0) controls[{cell.test, cell.connections, cell.queries, cell.repeat}] = value;
    }
    found = found || !controls.empty();
    report::Run relative = run;
    relative.cells.clear();
    for (const auto& cell : run.cells) {
      const std::string test = control_test.empty() ? cell.test : control_test;
      auto it = controls.find({test, cell.connections, cell.queries, cell.repeat});
      if (it == controls.end()) {
        // A control test without query levels (json) stands for every query level of the cell's.
        it = std::find_if(controls.begin(), controls.end(), [&](const auto& entry) {
          const auto& [t, connections, queries, repeat] = entry.first;
          return t == test && connections == cell.connections && repeat == cell.repeat && queries == 0;
        });
      }
      if (cell.status == "ok" && it == controls.end()) {  // nothing to divide by: listed, never silently dropped
        if (without_control != nullptr) without_control->insert(report::key_of(cell));
        continue;
      }
      report::Cell copy = cell;
      if (cell.status == "ok") *slot(copy) /= it->second;
      relative.cells.push_back(std::move(copy));
    }
    out.push_back(std::move(relative));
  }
  if (!found) {
    throw UsageError("--relative-to: no run measured " + relative_to + " (the control must be in the same runs)");
  }
  return out;
}

std::vector<EnvironmentDifference> environment_differences(const std::vector<report::Run>& baseline,
                                                           const std::vector<report::Run>& current) {
  using Pick = std::function<std::string(const report::Environment&)>;
  std::vector<std::pair<std::string, Pick>> fields = {
      {"cpu_model", [](const report::Environment& e) { return e.cpu_model; }},
      {"cores", [](const report::Environment& e) { return e.cores > 0 ? std::to_string(e.cores) : ""; }},
      {"kernel", [](const report::Environment& e) { return e.kernel; }},
      {"postgres_version", [](const report::Environment& e) { return e.postgres_version; }},
  };
  std::set<std::string> frameworks;
  for (const auto* side : {&baseline, &current}) {
    for (const auto& run : *side) {
      for (const auto& [name, version] : run.environment.frameworks) frameworks.insert(name);
    }
  }
  for (const auto& name : frameworks) {
    fields.emplace_back("frameworks." + name, [name](const report::Environment& e) {
      const auto it = e.frameworks.find(name);
      return it == e.frameworks.end() ? std::string() : it->second;
    });
  }
  std::vector<EnvironmentDifference> out;
  for (const auto& [field, pick] : fields) {
    std::set<std::string> base, cur;
    for (const auto& run : baseline) base.insert(pick(run.environment));
    for (const auto& run : current) cur.insert(pick(run.environment));
    // A field one side did not record (an older bench) is not a difference: nothing says the machines differ.
    if (base == std::set<std::string>{""} || cur == std::set<std::string>{""}) continue;
    if (base != cur) out.push_back({field, joined(base), joined(cur)});
  }
  // What each server reported about itself (the scenario's `versions:`): "versions.<variant>.<component>". A
  // component one side did not report is not a difference.
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> reported;
  for (const auto* side : {&baseline, &current}) {
    for (const auto& run : *side) {
      for (const auto& variant : run.variants) {
        for (const auto& [component, version] : variant.versions) {
          auto& sides = reported["versions." + variant.name + "." + component];
          (side == &baseline ? sides.first : sides.second).insert(version);
        }
      }
    }
  }
  for (const auto& [field, sides] : reported) {
    if (!sides.first.empty() && !sides.second.empty() && sides.first != sides.second) {
      out.push_back({field, joined(sides.first), joined(sides.second)});
    }
  }
  std::stable_partition(out.begin(), out.end(), is_version);  // versions first: the first suspects of a change
  return out;
}

Comparison compare(const std::vector<report::Run>& baseline_runs, const std::vector<report::Run>& current_runs,
                   const Options& options) {
  const report::Field& field = metric_field(options.metric);
  Comparison out;
  out.metric = options.metric;
  out.metric_header = field.header;
  out.higher_is_better = field.better == report::Better::higher;
  out.threshold = options.threshold;
  out.threshold_only = options.threshold_only;
  out.relative_to = options.relative_to;
  out.paired = options.paired;

  std::set<report::Key> without_control;
  const auto& baseline = options.relative_to.empty()
                             ? baseline_runs
                             : relative_runs(baseline_runs, options.relative_to, options.metric, &without_control);
  const auto& current = options.relative_to.empty()
                            ? current_runs
                            : relative_runs(current_runs, options.relative_to, options.metric, &without_control);

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
    if (!base_values.empty()) r.baseline = stats::median(base_values);
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
    const Row* current_row = it->second;
    const auto cur_values = report::values(*current_row, field);
    r.current_n = cur_values.size();
    current_rows.erase(it);
    if (base_values.empty() && cur_values.empty()) {
      r.verdict = Verdict::no_samples;
      r.note = "no successful measurement on either side";
    } else if (cur_values.empty()) {
      r.verdict = Verdict::failed;
      r.note = "no successful measurement in the current run";
    } else if (base_values.empty()) {
      r.current = stats::median(cur_values);
      r.verdict = Verdict::only_current;
      r.note = "no successful measurement in the baseline";
    } else if (options.paired) {
      const auto pairs = pairs_of(row, *current_row, field);
      judge_paired(r, pairs, options, out.higher_is_better);
      if (pairs.size() < std::max(base_values.size(), cur_values.size())) {
        r.note += fmt::format("{}{} of {} and {} samples paired by repeat", r.note.empty() ? "" : "; ", pairs.size(),
                              base_values.size(), cur_values.size());
      }
      note_contention(r, &row, current_row);
    } else {
      judge(r, base_values, cur_values, options, out.higher_is_better);
      note_contention(r, &row, current_row);
    }
    out.rows.push_back(std::move(r));
  }
  for (const auto& row : cur.rows) {
    if (!current_rows.count(row.key)) continue;
    RowComparison r;
    r.key = row.key;
    const auto cur_values = report::values(row, field);
    r.current_n = cur_values.size();
    if (!cur_values.empty()) r.current = stats::median(cur_values);
    r.verdict = Verdict::only_current;
    out.rows.push_back(std::move(r));
  }
  // Rows whose every cell lacked the control: listed with the reason, never dropped.
  std::set<report::Key> listed;
  for (const auto& r : out.rows) listed.insert(r.key);
  for (const auto& key : without_control) {
    if (listed.count(key)) continue;
    RowComparison r;
    r.key = key;
    r.verdict = Verdict::no_control;
    r.note = fmt::format("{} has no measurement at this test and level to divide by", options.relative_to);
    out.rows.push_back(std::move(r));
    ++common;
  }
  if (out.not_judged() > 0) {
    out.notes.push_back(fmt::format("{} row(s) could not be judged (one side only, or no successful sample): the "
                                    "comparison is incomplete",
                                    out.not_judged()));
  }
  if (out.without_control() > 0) {
    out.notes.push_back(fmt::format("{} row(s) have no measured control {}: name a control measured at every test "
                                    "compared (VARIANT/TEST divides every test by one)",
                                    out.without_control(), options.relative_to));
  }
  if (common == 0) {
    throw UsageError(fmt::format("the scenarios do not match: baseline ({}) and current ({}) have no variant x test x "
                                 "level in common, nothing to compare",
                                 scenario_names(baseline), scenario_names(current)));
  }
  if (out.inconclusive() > 0) {
    out.notes.push_back(fmt::format("{} row(s) changed beyond the threshold but the samples cannot decide: run both "
                                    "sides with --repeat {} (or pass --threshold-only to let the threshold alone "
                                    "decide)",
                                    out.inconclusive(), out.repeats_needed()));
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
  out.environment = environment_differences(baseline, current);
  return out;
}

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
                    {"change_low", optional(r.change_low)},
                    {"change_high", optional(r.change_high)},
                    {"confidence", optional(r.confidence)},
                    {"p_value", optional(r.p_value)},
                    {"repeats_needed", r.repeats_needed},
                    {"verdict", verdict_name(r.verdict)},
                    {"note", r.note}});
  }
  json environment = json::array();
  for (const auto& d : c.environment) {
    environment.push_back({{"field", d.field}, {"baseline", d.baseline}, {"current", d.current}});
  }
  json out = {{"metric", c.metric},
              {"higher_is_better", c.higher_is_better},
              {"threshold", c.threshold},
              {"threshold_only", c.threshold_only},
              {"relative_to", c.relative_to.empty() ? json() : json(c.relative_to)},
              {"confidence", kConfidence},
              {"regressions", c.regressions()},
              {"inconclusive", c.inconclusive()},
              {"not_judged", c.not_judged()},
              {"without_control", c.without_control()},
              {"paired", c.paired},
              {"repeats_needed", c.repeats_needed()},
              {"exit_code", c.exit_code()},
              {"environment_differences", std::move(environment)},
              {"notes", c.notes},
              {"rows", std::move(rows)}};
  return out.dump(2) + "\n";
}

}  // namespace bench::compare
