#pragma once
// --relative-to: every figure as a ratio to an in-run control measured beside it (same run, repeat and level), so
// that what the machine did to both cancels out.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/aggregate.h"
#include "report/result.h"

namespace bench::compare {

// Each run with the metric of every ok cell divided by its control's: the same run, repeat, connections and
// query level (any query level when the control's test has none), of `relative_to` ("VARIANT" for the cell's own
// test, "VARIANT/TEST" for one test). Cells without a measured control are left out of the runs and their keys
// added to *without_control (when given), so the comparison can list them. Throws UsageError naming --relative-to
// when the control is measured in none of the runs.
std::vector<report::Run> relative_runs(const std::vector<report::Run>& runs, const std::string& relative_to,
                                       std::string_view metric, std::set<report::Key>* without_control = nullptr);

}  // namespace bench::compare
