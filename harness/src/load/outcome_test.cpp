#include "load/outcome.h"

#include <catch2/catch.hpp>

using bench::load::failure_reason;
using bench::load::Result;

TEST_CASE("a run fails when no complete response arrived or errors pass 1%", "[outcome]") {
  Result result;
  CHECK_THAT(failure_reason(result), Catch::StartsWith("no complete response arrived"));
  result.errors.connect = 40;
  CHECK(failure_reason(result) == "no complete response arrived (40 socket errors)");
  result.requests = 3960;  // 40 of 4000 tried: 1%, allowed
  CHECK(failure_reason(result).empty());
  result.errors.timeout = 1;  // 41 of 4001: above 1%
  CHECK(failure_reason(result) ==
        "socket errors were 1.02% of the requests (41 errors, 3960 responses), above the 1% bench load allows");
  result = Result{};
  result.requests = 10;
  result.non_2xx_3xx = 10;  // answers, whatever their status
  result.owed.unsent = 1000;  // rate mode's backlog is latency, not errors
  CHECK(failure_reason(result).empty());
}
