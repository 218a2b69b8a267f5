#pragma once
// Helpers for the compare tests only.
#include <catch2/catch.hpp>

#include "compare/compare.h"

#include <stdexcept>
#include <string>

namespace bench::compare::testing {

// The comparison's row of `variant` at `test`; the test fails when there is none.
inline const RowComparison& row(const Comparison& c, const std::string& variant, const std::string& test) {
  for (const auto& r : c.rows) {
    if (r.key.variant == variant && r.key.test == test) return r;
  }
  FAIL("no row " << variant << " " << test);
  throw std::logic_error("unreachable");
}

}  // namespace bench::compare::testing
