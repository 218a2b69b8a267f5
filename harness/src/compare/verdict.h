#pragma once
// The verdict of one row (variant x test x level): its effect, the interval around it, and whether the samples
// decide it (the rules are compare.h's). The statistics themselves are stats/statistics.h's.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compare/options.h"
#include "report/aggregate.h"
#include "report/fields.h"
#include "report/result.h"

namespace bench::compare {

// A row is noted as measured under contention when other work took more than this share of the machine's CPU
// (others + steal, model::Contention) in one of its samples (docs/results.md says why 5%).
inline constexpr double kContendedShare = report::kContendedShare;

enum class Verdict {
  unchanged,      // the estimated change is within the threshold
  inconclusive,   // beyond the threshold, but the samples cannot decide: more repeats needed
  regression,     // worse beyond the threshold, the interval excludes no change (or threshold only)
  improvement,    // better beyond the threshold, likewise
  failed,         // the baseline measured it, the current run has only failed cells or a failed variant: counts
                  // as a regression
  only_baseline,  // no such cell in the current run: not judged (exit 3)
  only_current,   // no such cell in the baseline: not judged (exit 3)
  no_samples,     // no successful measurement on either side: not judged (exit 3)
  no_control,     // --relative-to: the control was not measured for this row's test and level: exit 2
};

std::string_view verdict_name(Verdict verdict);

struct RowComparison {
  report::Key key;
  std::size_t baseline_n = 0, current_n = 0;      // samples (ok cells) on each side
  std::optional<double> baseline, current;        // medians of the metric (ratios with relative_to)
  std::optional<double> change;                   // Hodges-Lehmann relative change, current vs baseline
  std::optional<double> change_low, change_high;  // its confidence interval
  std::optional<double> confidence;               // the interval's true coverage (below 0.95 with few samples)
  std::optional<double> p_value;                  // Mann-Whitney U two-sided, for reference
  std::size_t repeats_needed = 0;                 // inconclusive rows: repeats a side that would decide them
  Verdict verdict = Verdict::unchanged;
  std::string note;  // why: "2 and 2 samples reach 67% confidence at most: needs 4 repeats a side"
};

// Decides a row where both sides have samples, unpaired: the Hodges-Lehmann shift and its Mann-Whitney interval.
void judge(RowComparison& row, const std::vector<double>& base, const std::vector<double>& cur, const Options& options,
           bool higher_is_better);

// Decides a row from pairs (baseline, current) measured side by side: the mean log ratio and its t interval.
void judge_paired(RowComparison& row, const std::vector<std::pair<double, double>>& pairs, const Options& options,
                  bool higher_is_better);

// The rows' samples as pairs, matched by repeat (compare/between.h makes repeats unique across runs).
std::vector<std::pair<double, double>> pairs_of(const report::Row& baseline, const report::Row& current,
                                                const report::Field& field);

// A changed row measured while other work took the CPU says so in its note: the change may be the machine's, not
// the code's.
void note_contention(RowComparison& row, const report::Row* baseline, const report::Row* current);

}  // namespace bench::compare
