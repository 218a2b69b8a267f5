#pragma once
// The scenario's `thresholds:` checked on a results file: at the end of `bench run` and by `bench check`. The
// limits are read back from the resolved scenario stored in the results (scenario/to_json.cpp), so both see the
// same limits and a results file can be checked long after its run.

#include <string>
#include <vector>

#include "report/result.h"

namespace bench::check {

struct Outcome {
  int limits = 0;                  // limits the scenario sets
  int rows = 0;                    // variant x test x level rows checked against them
  std::vector<std::string> broken; // one line per broken limit and row: "fastapi-orm db c=64: p99 < 50ms: 73.20ms"
};

// Checks every limit on every matching row (variant x test x level, repeats pooled): the row's figure is the
// median of its ok repeats, except `errors` (socket errors plus non-2xx/3xx answers), which is the sum over them,
// so that one bad repeat breaks `errors == 0`. A limit that matches no measured row is broken too ("nothing
// measured"): a limit nobody checked is no limit. Throws ResultsError when the stored thresholds are malformed.
Outcome check(const report::Run& run);

}  // namespace bench::check
