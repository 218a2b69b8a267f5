#pragma once
// The console summary `bench run` prints at the end: the results table (variant x test x level: requests/s, p50,
// p99, queries/request), the ranking per test and level, then the per-rung cost.

#include <string>

#include "report/result.h"

namespace bench::report {

std::string summary_table(const Run& run);

}  // namespace bench::report
