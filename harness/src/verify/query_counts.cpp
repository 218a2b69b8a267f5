#include "verify/query_counts.h"

#include <fmt/format.h>

#include <cmath>

namespace bench::verify {

namespace {

// TechEmpower's one margin: with one batched UPDATE per request, rows updated may be short by 5% (ids drawn twice
// in one batch update one row). Everything else is exact.
constexpr double kBatchedRowMargin = 1.05;

void add_summary(QueryCountResult& result, const std::string& what, int64_t got, const std::string& expected) {
  if (!result.summary.empty()) result.summary += ", ";
  result.summary += fmt::format("{} {} (expected {})", what, got, expected);
}

// Fewer than `expected` fails, any more warns.
void compare_exact(const std::string& what, int64_t got, int64_t expected, QueryCountResult& result) {
  add_summary(result, what, got, std::to_string(expected));
  if (got < expected) {
    result.problems.push_back({Level::fail, fmt::format("only {} {} in the database, expected at least {}", got,
                                                        what, expected)});
  } else if (got > expected) {
    result.problems.push_back({Level::warn, fmt::format("{} {} in the database, expected {} ({} more than the test "
                                                        "needs)",
                                                        got, what, expected, got - expected)});
  }
}

// The updates' write side: one statement per row or one batched statement per request.
void compare_updates(const QueryCounts& delta, int64_t requests, int64_t rows, QueryCountResult& result) {
  const int64_t calls = delta.update_world_calls;
  const bool batched = calls == requests && requests != rows;
  add_summary(result, "World updates", calls, fmt::format("{}, or {} batched", rows, requests));
  if (calls > rows) {
    result.problems.push_back({Level::warn, fmt::format("{} World updates in the database, expected {} ({} more "
                                                        "than the test needs)",
                                                        calls, rows, calls - rows)});
  } else if (calls < rows && !batched) {
    result.problems.push_back(
        {Level::fail,
         fmt::format("only {} World updates in the database, expected {} (one per row) or {} (one batched per "
                     "request); TechEmpower counts every row's write, also when the new random value equals the old "
                     "one",
                     calls, rows, requests)});
  }
  const int64_t updated = delta.update_world_rows;
  const auto minimum = batched ? static_cast<int64_t>(std::ceil(static_cast<double>(rows) / kBatchedRowMargin)) : rows;
  add_summary(result, "World rows updated", updated, std::to_string(rows));
  if (updated < minimum) {
    result.problems.push_back(
        {Level::fail, fmt::format("only {} World rows updated in the database, expected {}{}", updated, rows,
                                  batched ? fmt::format(" (at least {} with batched updates)", minimum) : "")});
  } else if (updated > rows) {
    result.problems.push_back({Level::warn, fmt::format("{} World rows updated in the database, expected {} ({} "
                                                        "more than the test needs)",
                                                        updated, rows, updated - rows)});
  }
}

}  // namespace

QueryCountResult check_query_counts(TestKind kind, const QueryCounts& delta, int requests, int queries_per_request) {
  QueryCountResult result;
  const int64_t r = requests;
  const int64_t rn = static_cast<int64_t>(requests) * queries_per_request;
  switch (kind) {
    case TestKind::db:
      compare_exact("World selects", delta.select_world_calls, r, result);
      compare_exact("World rows read", delta.select_world_rows, r, result);
      break;
    case TestKind::queries:
      compare_exact("World selects", delta.select_world_calls, rn, result);
      compare_exact("World rows read", delta.select_world_rows, rn, result);
      break;
    case TestKind::fortunes:
      compare_exact("Fortune selects", delta.select_fortune_calls, r, result);
      compare_exact("Fortune rows read", delta.select_fortune_rows, 12 * r, result);
      break;
    case TestKind::updates:
      compare_exact("World selects", delta.select_world_calls, rn, result);
      compare_exact("World rows read", delta.select_world_rows, rn, result);
      compare_updates(delta, r, rn, result);
      break;
    case TestKind::json:
    case TestKind::plaintext:
      break;
  }
  return result;
}

}  // namespace bench::verify
