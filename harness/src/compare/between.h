#pragma once
// `bench compare RESULTS --between A B`: two revisions measured in one run (`bench run --revisions`, docs/ci.md)
// turned into the two sides compare() judges. Each side keeps the cells and variants of its revision, renamed to
// the name the scenario gave ("fastapi-raw@A" -> "fastapi-raw"), so rows pair up by variant x test x level; a
// cell's repeat is made unique across the runs given (run index x kRepeatsPerRun + repeat), so repeat r of A and
// repeat r of B, measured side by side, pair up for the paired test (Options::paired).

#include "report/result.h"

#include <string>
#include <utility>
#include <vector>

namespace bench::compare {

inline constexpr int kRepeatsPerRun = 100000;  // above scenario repeat's limit (1000)

struct Sides {
  std::vector<report::Run> baseline, current;  // revision A's and B's
  std::string baseline_label, current_label;   // their labels, as the results name them
};

// Finds A and B among the runs' revisions by label, by a prefix (4 or more characters) of the commit hash, or as
// WORKTREE. Throws UsageError naming --between when a run holds no revisions, when A or B names none (listing the
// labels there are) or several, and when A and B are the same revision.
Sides between(const std::vector<report::Run>& runs, const std::string& a, const std::string& b);

}  // namespace bench::compare
