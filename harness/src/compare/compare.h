#pragma once
// bench compare: baseline vs current, matched by variant x test x level, with a verdict per row that noise alone
// cannot turn into a regression. Verdict rules (docs/reports.md):
//  - both sides have at least 2 samples: a row changes only when Mann-Whitney U (two-sided) gives p < 0.05 AND the
//    median moved by more than the threshold; the direction (worse/better) follows the metric.
//  - either side has exactly 1 sample: the threshold alone decides, and the row says no significance test was
//    possible.
//  - a row whose baseline has samples but whose current cells all failed, or whose variant the current run
//    records as failed (no cells at all), is a regression: the variant broke.
//  - rows present on one side only are reported and do not change the verdict.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/aggregate.h"
#include "report/fields.h"
#include "report/result.h"

namespace bench::compare {

inline constexpr double kSignificance = 0.05;

struct Options {
  double threshold = 0.05;    // relative change, 0.05 = 5%
  std::string metric = "rps"; // rps, p50, p75, p90, p99, p999, p9999, mean
};

// "5%", "5" (percent implied) or "2.5%" -> 0.05 / 0.025. Throws UsageError naming --threshold.
double parse_threshold(std::string_view text);

// The result field a --metric name compares. Throws UsageError naming --metric and the choices.
const report::Field& metric_field(std::string_view metric);

enum class Verdict {
  unchanged,        // within the threshold (or the change was not significant and small)
  not_significant,  // beyond the threshold but the test does not support it: treated as noise
  regression,       // worse beyond the threshold, significant (or single samples)
  improvement,      // better beyond the threshold, significant (or single samples)
  failed,           // the baseline measured it, the current run has only failed cells or a failed variant: counts
                    // as a regression
  only_baseline,    // no such cell in the current run
  only_current,     // no such cell in the baseline
};

std::string_view verdict_name(Verdict verdict);

struct RowComparison {
  report::Key key;
  std::size_t baseline_n = 0, current_n = 0;  // samples (ok cells) on each side
  std::optional<double> baseline, current;    // medians of the metric
  std::optional<double> change;               // (current - baseline) / baseline
  std::optional<double> p_value;              // when a test ran
  bool exact = false;                          // the test's p-value is exact (no ties, small samples)
  Verdict verdict = Verdict::unchanged;
  std::string note;  // why: "one sample per side: threshold only, no significance test"
};

struct Comparison {
  std::string metric;        // the --metric name
  std::string metric_header; // "Requests/s"
  bool higher_is_better = true;
  double threshold = 0;
  std::vector<RowComparison> rows;  // table order of the baseline, then rows only in current
  std::vector<std::string> notes;   // file-level remarks (different scenario names, different machines)
  int regressions() const;          // rows with verdict regression or failed
};

// Compares two sets of runs (each side may hold several results files, pooled as repeats). Throws UsageError
// when the two share no variant x test x level: the scenarios do not match.
Comparison compare(const std::vector<report::Run>& baseline, const std::vector<report::Run>& current,
                   const Options& options);

// Renderings of a comparison for --format text, md and json.
std::string render_text(const Comparison& comparison);
std::string render_markdown(const Comparison& comparison);
std::string render_json(const Comparison& comparison);

}  // namespace bench::compare
