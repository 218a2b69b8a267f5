#pragma once
// TechEmpower's query-count check, without its margins: how much database work a burst of requests caused (the
// pg_stat_statements delta), compared with what the test type requires for exactly that many requests. Fewer
// statements or rows than required fails (a cache, an IN list, a write skipped because the value did not change);
// any more warns (extra round trips cost throughput and distort comparisons).

#include <string>

#include "verify/problem.h"
#include "verify/verifier.h"

namespace bench::verify {

// The outcome of one comparison: problems, and a summary of what was counted for the pass finding.
struct QueryCountResult {
  Problems problems;
  std::string summary;  // "World selects 512 (expected 512), World rows read 512 (expected 512)"
};

// Checks `delta` for `requests` requests of `kind` with `queries_per_request` (queries and updates; ignored for
// db and fortunes). Expectations, all exact minimums: db 1 select and 1 row per request; fortunes 1 select and 12
// rows; queries N selects and N rows; updates N selects and N rows, plus either N updates and N rows updated (one
// statement per row) or exactly 1 update per request (one batched statement), where TechEmpower allows updated rows
// down to 1/1.05 of N because ids drawn twice in one batch update one row.
QueryCountResult check_query_counts(TestKind kind, const QueryCounts& delta, int requests, int queries_per_request);

}  // namespace bench::verify
