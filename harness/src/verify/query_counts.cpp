#include "verify/query_counts.h"

#include <fmt/format.h>

#include <cmath>

namespace bench::verify {

namespace {

constexpr double kWarnAbove = 1.05;  // TFB: more than 5% above the expected count warns
constexpr double kRowSlack = 0.99;   // TFB's margin on updated rows

// Compares one counter: below `minimum` fails, above `warn_above` warns. Appends to the summary either way.
void compare(const std::string& what, int64_t got, const std::string& expected, double minimum, double warn_above,
             QueryCountResult& result) {
  if (!result.summary.empty()) result.summary += ", ";
  result.summary += fmt::format("{} {} (expected {})", what, got, expected);
  if (static_cast<double>(got) < minimum) {
    result.problems.push_back(
        {Level::fail, fmt::format("only {} {} in the database, expected at least {}", got, what, std::ceil(minimum))});
  } else if (static_cast<double>(got) > warn_above) {
    result.problems.push_back({Level::warn, fmt::format("{} {} in the database, expected {} (over 5% more)", got,
                                                        what, expected)});
  }
}

void compare_exact(const std::string& what, int64_t got, int64_t expected, QueryCountResult& result) {
  compare(what, got, std::to_string(expected), static_cast<double>(expected),
          static_cast<double>(expected) * kWarnAbove, result);
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
      // One update per row, or one batched update per request: both are allowed.
      compare("World updates", delta.update_world_calls, fmt::format("{}, or {} batched", rn, r),
              static_cast<double>(r),
              static_cast<double>(rn) * kWarnAbove, result);
      compare("World rows updated", delta.update_world_rows, std::to_string(rn), static_cast<double>(rn) * kRowSlack,
              static_cast<double>(rn) * kWarnAbove, result);
      break;
    case TestKind::json:
    case TestKind::plaintext:
      break;
  }
  return result;
}

}  // namespace bench::verify
