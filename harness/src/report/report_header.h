#pragma once
// What every human-readable report says before its tables: which runs, where, when; shared by markdown and HTML.

#include <string>
#include <vector>

#include "report/result.h"

namespace bench::report {

// The report's title: "bench report: orm-ladder" (distinct scenario names joined).
std::string report_title(const std::vector<Run>& runs);

// One line per run: "orm-ladder, 2026-11-26T10:30:00Z, complete, 2 cores Intel..., Linux 6.1, PostgreSQL 15.5,
// bench 0.1.0 (abc1234)".
std::vector<std::string> run_descriptions(const std::vector<Run>& runs);

}  // namespace bench::report
