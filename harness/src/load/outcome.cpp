#include "load/outcome.h"

#include <fmt/core.h>

namespace bench::load {

std::string failure_reason(const Result& result) {
  const uint64_t errors = result.errors.total();
  if (result.requests == 0) {
    return errors == 0 ? "no complete response arrived (and no request failed: nothing was sent in time)"
                       : fmt::format("no complete response arrived ({} socket errors)", errors);
  }
  const double share = static_cast<double>(errors) / static_cast<double>(result.requests + errors);
  if (share <= kMaxErrorShare) return {};
  return fmt::format("socket errors were {:.2f}% of the requests ({} errors, {} responses), above the {:g}% bench "
                     "load allows",
                     share * 100, errors, result.requests, kMaxErrorShare * 100);
}

}  // namespace bench::load
