#pragma once
// --metric and --threshold: which figure of a cell compare judges (a field of report/fields.h), and by how much.

#include <string>
#include <string_view>
#include <vector>

#include "report/fields.h"
#include "report/result.h"

namespace bench::compare {

// "5%", "5" (percent implied) or "2.5%" -> 0.05 / 0.025. Throws UsageError naming --threshold.
double parse_threshold(std::string_view text);

// The --metric names, in the order help texts list them: rps, p50, ..., mean (for CLI11's IsMember).
std::vector<std::string> metric_names();

// The result field a --metric name compares. Throws UsageError naming --metric and the choices.
const report::Field& metric_field(std::string_view metric);

// The metric's figure in a cell, where --relative-to writes its ratio to the control's. Throws as metric_field.
double* metric_slot(report::Cell& cell, std::string_view metric);

}  // namespace bench::compare
