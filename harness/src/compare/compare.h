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

#include <string>
#include <vector>

#include "compare/environment.h"
#include "compare/metric.h"
#include "compare/options.h"
#include "compare/relative.h"
#include "compare/verdict.h"
#include "report/result.h"

// The parts, by concern: options.h (what is asked), metric.h (which figure), verdict.h (one row's verdict),
// relative.h (--relative-to), environment.h (what differs between the machines), render.h (text, markdown,
// JSON); the statistics are stats/statistics.h's.

namespace bench::compare {

struct Comparison {
  std::string metric;         // the --metric name
  std::string metric_header;  // "Requests/s"
  bool higher_is_better = true;
  double threshold = 0;
  bool threshold_only = false;
  std::string relative_to;                         // the control, when figures are ratios to it
  bool paired = false;                             // effects from pairs measured side by side (Options::paired)
  std::vector<RowComparison> rows;                 // table order of the baseline, then rows only in current
  std::vector<EnvironmentDifference> environment;  // what differs between the machines and software
  std::vector<std::string> notes;                  // file-level remarks (different scenario names, incomplete runs)
  int regressions() const;                         // rows with verdict regression or failed
  int inconclusive() const;                        // rows with verdict inconclusive
  int not_judged() const;                          // rows only on one side or without samples
  int without_control() const;                     // rows whose --relative-to control was not measured
  std::size_t repeats_needed() const;              // the most any inconclusive row needs, 0 when none
  // 2 when a row has no control, else 1 on a regression, else 3 on an inconclusive or unjudged row, else 0
  int exit_code() const;
};

// Compares two sets of runs (each side may hold several results files, pooled as repeats). Throws UsageError
// when the two share no variant x test x level (the scenarios do not match), or when relative_to names a control
// that neither side measured.
Comparison compare(const std::vector<report::Run>& baseline, const std::vector<report::Run>& current,
                   const Options& options);

}  // namespace bench::compare
