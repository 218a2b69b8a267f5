#pragma once
// The per-rung cost of variant ladders (issue #6): per test and level, each variant's requests/s, server CPU
// microseconds per request, and the difference in CPU per request from the rung before it on its declared ladder
// (meta.ladder, Table::ladder), so a reader sees what each layer (driver, engine, statement compilation, ORM
// session) costs. Rungs are grouped by ladder, ladders in scenario order, each ladder's rungs in scenario order;
// variants on no ladder come last, with no difference.

#include <optional>
#include <string>
#include <vector>

#include "report/aggregate.h"

namespace bench::report {

struct Rung {
  std::string variant;
  std::string ladder;                           // the ladder it is a rung of; empty = on none
  double requests_per_sec = 0;                  // median over repeats
  std::optional<double> cpu_us_per_request;     // median server CPU per request, when measured
  std::optional<double> cpu_delta_us;           // this rung's CPU per request minus its ladder's previous rung's
};

// One table of rungs: one test at one level, every ladder's rungs grouped.
struct Ladder {
  Key level;  // variant left empty
  std::vector<Rung> rungs;
};

// One ladder per test x level that has at least two variants, in table order.
std::vector<Ladder> ladders(const Table& table);

// Whether any rung has a step (a CPU difference from the rung before): variants on no ladder, or without CPU
// figures, have none, and the table would be all "-".
bool has_steps(const Ladder& ladder);

}  // namespace bench::report
