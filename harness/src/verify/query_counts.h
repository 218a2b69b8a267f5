#pragma once
// TFB's query-count check: how much database work a burst of requests caused (the pg_stat_statements delta),
// compared with what the test type requires. Fewer queries or rows than required fails (a cache, an IN list, a
// skipped write); more than 5% over warns (extra round trips cost throughput and distort comparisons).

#include <string>

#include "verify/problem.h"
#include "verify/verifier.h"

namespace bench::verify {

// The outcome of one comparison: problems, and a summary of what was counted for the pass finding.
struct QueryCountResult {
  Problems problems;
  std::string summary;  // "select world: 400 calls (expected 400), 400 rows (expected 400)"
};

// Checks `delta` for `requests` requests of `kind` with `queries_per_request` (queries and updates; ignored for
// db and fortunes). Expectations: db 1 select and 1 row per request; fortunes 1 select and 12 rows; queries N
// selects and N rows; updates N selects plus N updates or 1 batched update, N rows updated (1% slack for ids
// drawn twice in one batch, as TFB allows).
QueryCountResult check_query_counts(TestKind kind, const QueryCounts& delta, int requests, int queries_per_request);

}  // namespace bench::verify
