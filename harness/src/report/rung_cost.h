#pragma once
// The per-rung cost of a variant ladder (issue #6): per test and level, in scenario variant order, each variant's
// requests/s, server CPU microseconds per request, and the difference in CPU per request from the rung before,
// so a reader sees what each layer (driver, engine, statement compilation, ORM session) costs.

#include <optional>
#include <string>
#include <vector>

#include "report/aggregate.h"

namespace bench::report {

struct Rung {
  std::string variant;
  double requests_per_sec = 0;                  // median over repeats
  std::optional<double> cpu_us_per_request;     // median server CPU per request, when measured
  std::optional<double> cpu_delta_us;           // this rung's CPU per request minus the previous rung's
};

// One ladder: one test at one level.
struct Ladder {
  Key level;  // variant left empty
  std::vector<Rung> rungs;
};

// One ladder per test x level that has at least two variants, in table order.
std::vector<Ladder> ladders(const Table& table);

// Whether any rung has a step (a CPU difference from the rung before): a ladder of different code bases, or
// without CPU figures, has none, and its table would be all "-".
bool has_steps(const Ladder& ladder);

}  // namespace bench::report
