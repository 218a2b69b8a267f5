#pragma once
// How long a run is expected to take, for the live line's "pass 3/14, ~2m left" and `bench validate`'s estimate.
// An estimate: the load's own time is exact (warmup + duration per cell), builds are unknown (not counted), and
// each server start with its readiness wait and stop gets a fixed allowance, the first one more for verification.

#include "run/plan.h"
#include "util/duration.h"

#include <chrono>
#include <cstddef>
#include <vector>

namespace bench::run {

inline constexpr Nanos kPassAllowance = std::chrono::seconds(2);    // start, ready, stop
inline constexpr Nanos kVerifyAllowance = std::chrono::seconds(4);  // verification (the Date check waits)

// Expected time of the passes plan[from], plan[from + 1], ... to the end.
Nanos expected_time(const std::vector<Pass>& plan, const scenario::LoadSpec& load, std::size_t from = 0);

}  // namespace bench::run
