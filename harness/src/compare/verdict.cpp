#include "compare/verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "stats/statistics.h"

namespace bench::compare {
namespace {

std::optional<double> relative_change(double baseline, double current) {
  if (baseline == 0) return current == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (current - baseline) / baseline;
}

// The verdict of a row from its effect on the log (or linear) scale: the estimate and interval of the shift,
// the interval's true coverage, and the spread that says how many more repeats would decide it.
struct Effect {
  double estimate = 0, low = 0, high = 0;
  double confidence = 0;           // the interval's coverage
  bool decisive = false;           // the interval reaches the confidence asked for
  std::size_t repeats_needed = 0;  // when it cannot decide: repeats a side (pairs) that would
  std::string too_few;             // when not decisive: why ("2 and 2 samples reach 67% confidence at most")
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
  row.note = !effect.decisive
                 ? effect.too_few
                 : fmt::format("the interval reaches no change: needs about {} repeats a side", row.repeats_needed);
}

bool all_positive(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
}

// Fewer pairs than this decide nothing: with 2 the t interval is the mean +- 12.7 standard errors.
constexpr std::size_t kMinPairs = 3;

// The largest share of the machine's CPU that other work and the hypervisor took during any of the row's samples,
// when it is above kContendedShare; nullopt when none was (or no sample recorded it).
std::optional<double> contended_share(const report::Row& row) {
  std::optional<double> worst;
  for (const auto& cell : row.samples) {
    if (!cell.contention) continue;
    const double share = cell.contention->others_cpu_share + cell.contention->steal_share;
    if (share > kContendedShare) worst = std::max(worst.value_or(0), share);
  }
  return worst;
}

}  // namespace

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
  Effect effect{shift.estimate,
                shift.interval.low,
                shift.interval.high,
                shift.interval.confidence,
                shift.interval.confidence >= kConfidence - 1e-9,
                0,
                ""};
  // Repeats a side for this effect at the spread seen (pooled within-side variance, on the same scale).
  const double spread = std::sqrt((stats::sample_variance(x) + stats::sample_variance(y)) / 2.0);
  const double size = std::fabs(shift.estimate);
  effect.repeats_needed =
      spread > 0 ? stats::samples_needed(size, spread, kConfidence) : stats::smallest_decisive_n(kConfidence);
  effect.repeats_needed = std::max(effect.repeats_needed, std::max(base.size(), cur.size()) + 1);
  effect.too_few = fmt::format("{} and {} samples reach {:.0f}% confidence at most: needs {} repeats a side",
                               base.size(), cur.size(), shift.interval.confidence * 100, effect.repeats_needed);
  decide(row, effect, positive, options, higher_is_better);
}

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
  Effect effect{shift.estimate,
                shift.interval.low,
                shift.interval.high,
                shift.interval.confidence,
                pairs.size() >= kMinPairs,
                0,
                ""};
  const double spread = std::sqrt(stats::sample_variance(differences));
  effect.repeats_needed = spread > 0 ? stats::pairs_needed(std::fabs(shift.estimate), spread, kConfidence) : kMinPairs;
  effect.repeats_needed = std::max(effect.repeats_needed, pairs.size() + 1);
  effect.too_few =
      fmt::format("{} pair(s) decide nothing: needs {} repeats a side", pairs.size(), effect.repeats_needed);
  decide(row, effect, positive, options, higher_is_better);
}

// The row's samples as pairs, matched by repeat (compare/between.h makes repeats unique across runs).
std::vector<std::pair<double, double>> pairs_of(const report::Row& baseline, const report::Row& current,
                                                const report::Field& field) {
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

// A changed row measured while other work took the CPU says so: the change may be the machine's, not the code's.
void note_contention(RowComparison& row, const report::Row* baseline, const report::Row* current) {
  if (row.verdict != Verdict::regression && row.verdict != Verdict::improvement && row.verdict != Verdict::inconclusive)
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

}  // namespace bench::compare
