#pragma once
// bench compare: baseline vs current, matched by variant x test x level, with a verdict per row that noise can
// neither turn into a regression nor hide one behind. Verdict rules (docs/reports.md):
//  - every row where both sides measured gets an effect: the Hodges-Lehmann estimate of the relative change
//    (on log values, so +10% and -9.1% are the same size) and its 95% Mann-Whitney confidence interval;
//  - unchanged: the estimate is within the threshold;
//  - regression / improvement: the estimate is beyond the threshold and the 95% interval excludes no change;
//  - inconclusive: the estimate is beyond the threshold but the samples cannot decide (the interval reaches no
//    change, or too few samples for a 95% interval: fewer than 4 a side). The row says how many repeats a side
//    would decide it. Never a silent pass: compare exits 3 (exit_code::inconclusive);
//  - paired (`--between`, two revisions of one interleaved run): repeat r of each side was measured side by side,
//    so the effect is the mean of the pairs' log ratios with its Student t interval (stats::paired_t); pairs
//    remove the machine's drift between repeats and decide with 3 pairs where the rank interval needs 4 a side;
//  - with threshold_only the threshold alone decides (the pre-interval behaviour, for one-off looks);
//  - a row whose baseline has samples but whose current cells all failed, or whose variant the current run
//    records as failed (no cells at all), is a regression: the variant broke;
//  - no row is ever dropped. A row that cannot be judged is listed with its reason and counted: present on one side
//    only, or without a successful sample on a side, makes it exit 3 (like an inconclusive row); a row whose
//    --relative-to control was not measured makes it exit 2 (the control named does not cover the comparison).

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/aggregate.h"
#include "report/fields.h"
#include "report/result.h"

namespace bench::compare {

inline constexpr double kConfidence = 0.95;

// compare's exit codes beside util/errors.h's (0 ok, 1 regression, 2 bad input).
namespace exit_code {
inline constexpr int inconclusive = 3;  // no regression, but a row beyond the threshold the samples cannot decide
}

struct Options {
  double threshold = 0.05;      // relative change, 0.05 = 5%
  std::string metric = "rps";   // rps, p50, p75, p90, p99, p999, p9999, mean
  bool threshold_only = false;  // no intervals: the threshold alone decides, nothing is inconclusive
  std::string relative_to;      // "VARIANT" or "VARIANT/TEST": compare ratios to this in-run control
  bool paired = false;          // pair samples by repeat (both sides from one interleaved run: --between)
};

// A row is noted as measured under contention when other work took more than this share of the machine's CPU
// (others + steal, report::Contention) in one of its samples (docs/results.md says why 5%).
inline constexpr double kContendedShare = report::kContendedShare;

// "5%", "5" (percent implied) or "2.5%" -> 0.05 / 0.025. Throws UsageError naming --threshold.
double parse_threshold(std::string_view text);

// The result field a --metric name compares. Throws UsageError naming --metric and the choices.
const report::Field& metric_field(std::string_view metric);

enum class Verdict {
  unchanged,     // the estimated change is within the threshold
  inconclusive,  // beyond the threshold, but the samples cannot decide: more repeats needed
  regression,    // worse beyond the threshold, the interval excludes no change (or threshold only)
  improvement,   // better beyond the threshold, likewise
  failed,        // the baseline measured it, the current run has only failed cells or a failed variant: counts
                 // as a regression
  only_baseline, // no such cell in the current run: not judged (exit 3)
  only_current,  // no such cell in the baseline: not judged (exit 3)
  no_samples,    // no successful measurement on either side: not judged (exit 3)
  no_control,    // --relative-to: the control was not measured for this row's test and level: exit 2
};

std::string_view verdict_name(Verdict verdict);

struct RowComparison {
  report::Key key;
  std::size_t baseline_n = 0, current_n = 0;  // samples (ok cells) on each side
  std::optional<double> baseline, current;    // medians of the metric (ratios with relative_to)
  std::optional<double> change;               // Hodges-Lehmann relative change, current vs baseline
  std::optional<double> change_low, change_high;  // its confidence interval
  std::optional<double> confidence;           // the interval's true coverage (below 0.95 with few samples)
  std::optional<double> p_value;              // Mann-Whitney U two-sided, for reference
  std::size_t repeats_needed = 0;             // inconclusive rows: repeats a side that would decide them
  Verdict verdict = Verdict::unchanged;
  std::string note;  // why: "2 and 2 samples reach 67% confidence at most: needs 4 repeats a side"
};

// A field of the environment that differs between the sides (CPU model, cores, kernel, a framework's version).
struct EnvironmentDifference {
  std::string field;                // "cpu_model", "frameworks.fastapi"
  std::string baseline, current;    // the values (several joined by ", "; "" when not recorded)
};

struct Comparison {
  std::string metric;        // the --metric name
  std::string metric_header; // "Requests/s"
  bool higher_is_better = true;
  double threshold = 0;
  bool threshold_only = false;
  std::string relative_to;   // the control, when figures are ratios to it
  bool paired = false;       // effects from pairs measured side by side (Options::paired)
  std::vector<RowComparison> rows;  // table order of the baseline, then rows only in current
  std::vector<EnvironmentDifference> environment;  // what differs between the machines and software
  std::vector<std::string> notes;   // file-level remarks (different scenario names, incomplete runs)
  int regressions() const;          // rows with verdict regression or failed
  int inconclusive() const;         // rows with verdict inconclusive
  int not_judged() const;           // rows only on one side or without samples
  int without_control() const;      // rows whose --relative-to control was not measured
  std::size_t repeats_needed() const;  // the most any inconclusive row needs, 0 when none
  // 2 when a row has no control, else 1 on a regression, else 3 on an inconclusive or unjudged row, else 0
  int exit_code() const;
};

// Compares two sets of runs (each side may hold several results files, pooled as repeats). Throws UsageError
// when the two share no variant x test x level (the scenarios do not match), or when relative_to names a control
// that neither side measured.
Comparison compare(const std::vector<report::Run>& baseline, const std::vector<report::Run>& current,
                   const Options& options);

// Each run with the metric of every ok cell divided by its control's: the same run, repeat, connections and
// query level (any query level when the control's test has none), of `relative_to` ("VARIANT" for the cell's own
// test, "VARIANT/TEST" for one test). Cells without a measured control are left out of the runs and their keys
// added to *without_control (when given), so the comparison can list them. Throws UsageError naming --relative-to
// when the control is measured in none of the runs.
std::vector<report::Run> relative_runs(const std::vector<report::Run>& runs, const std::string& relative_to,
                                       std::string_view metric, std::set<report::Key>* without_control = nullptr);

// What differs between the environments the two sides were measured in; the servers' reported versions
// (versions.<variant>.<component>, an older run's frameworks.<name>) come first, and the renderings list them
// before the table, as the first suspects of a change.
std::vector<EnvironmentDifference> environment_differences(const std::vector<report::Run>& baseline,
                                                           const std::vector<report::Run>& current);

// Renderings of a comparison for --format text, md and json.
std::string render_text(const Comparison& comparison);
std::string render_markdown(const Comparison& comparison);
std::string render_json(const Comparison& comparison);

}  // namespace bench::compare
