#pragma once
// Whether a `bench load` run failed, for its exit code (docs/load.md). wrk exits 0 whatever it measured, so a CI
// step that runs it passes on a dead server; bench load fails a run that got no complete response, or whose socket
// errors passed kMaxErrorShare. `--no-fail` keeps wrk's behaviour. HTTP statuses (503s, say) are answers, not
// errors: they are reported, and `bench check` thresholds judge them.

#include "load/engine.h"

#include <string>

namespace bench::load {

// The most socket errors (connect, read, write, timeout, other) a run may have, as a share of the requests it tried
// (complete responses + errors), before it fails: 1%.
inline constexpr double kMaxErrorShare = 0.01;

// Empty when the run passes; otherwise why it failed, in one line: "no complete response arrived (...)", or
// "socket errors were 75.00% of the requests (...), above the 1% bench load allows". Owed requests (rate mode) are
// not errors.
std::string failure_reason(const Result& result);

}  // namespace bench::load
