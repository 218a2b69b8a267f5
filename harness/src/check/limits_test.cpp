#include "check/limits.h"

#include <catch2/catch.hpp>

#include "report/synthetic.h"

using bench::report::testing::SyntheticSpec;
using bench::report::testing::synthetic_run;
using Catch::Contains;

namespace {

// Synthetic ladder (raw 9100 req/s on db ... orm 2070) with the given limits stored as bench run stores them.
bench::report::Run with_limits(nlohmann::json thresholds) {
  auto run = synthetic_run(SyntheticSpec{});
  run.scenario["thresholds"] = std::move(thresholds);
  return run;
}

nlohmann::json limit(const std::string& text, const std::string& metric, const std::string& op, double value,
                     const std::string& variant = "", const std::string& test = "") {
  return {{"limit", text}, {"metric", metric}, {"op", op}, {"value", value}, {"variant", variant}, {"test", test}};
}

}  // namespace

TEST_CASE("limits that hold give no line") {
  const auto outcome = bench::check::check(with_limits({limit("errors == 0", "errors", "==", 0),
                                                        limit("rps > 100", "requests_per_sec", ">", 100),
                                                        limit("db_queries_per_request <= 1", "db_queries_per_request",
                                                              "<=", 1, "", "db")}));
  CHECK(outcome.limits == 3);
  CHECK(outcome.rows == 10);
  CHECK(outcome.broken.empty());
}

TEST_CASE("each broken limit gives one line per row, with the figure") {
  // db: orm 2070 req/s, baked 2720 (+/-3%); orm's mean latency 64/2070 s = 31ms, p99 2.4x that = 74ms; server CPU
  // 0.97e6 / rps: 469 us on db, 3,750 on queries.
  const auto outcome = bench::check::check(
      with_limits({limit("requests_per_sec > 2500", "requests_per_sec", ">", 2500, "", "db"),
                   limit("p99 < 50ms", "latency_p99_us", "<", 50000, "orm", "db"),
                   limit("server_cpu_us_per_request < 300", "server_cpu_us_per_request", "<", 300, "orm")}));
  REQUIRE(outcome.broken.size() == 4);
  CHECK_THAT(outcome.broken[0], Contains("orm db c=64: requests_per_sec > 2500: 2,0") &&
                                    Contains("(median of 5 repeats)"));
  CHECK_THAT(outcome.broken[1], Contains("orm db c=64: p99 < 50ms: 7") && Contains("ms"));
  CHECK_THAT(outcome.broken[2], Contains("orm db c=64: server_cpu_us_per_request < 300: 4"));
  CHECK_THAT(outcome.broken[3], Contains("orm queries c=64 q=20: server_cpu_us_per_request < 300:"));
}

TEST_CASE("errors sum over repeats, and a limit that matches nothing is broken") {
  auto run = with_limits({limit("errors == 0", "errors", "==", 0), limit("p99 < 1s", "latency_p99_us", "<", 1e6, "nginx")});
  run.cells[3].errors.timeout = 2;
  const auto outcome = bench::check::check(run);
  REQUIRE(outcome.broken.size() == 2);
  CHECK_THAT(outcome.broken[0], Contains("errors == 0: 2 (sum of 5 repeats)"));
  CHECK_THAT(outcome.broken[1], Contains("p99 < 1s: nothing measured for variant nginx"));
}

TEST_CASE("results without thresholds check nothing, malformed stored thresholds are a results error") {
  CHECK(bench::check::check(synthetic_run(SyntheticSpec{})).limits == 0);
  CHECK_THROWS_AS(bench::check::check(with_limits({{{"limit", "x"}}})), bench::report::ResultsError);
  CHECK_THROWS_AS(bench::check::check(with_limits({limit("x", "no_such_field", "<", 1)})), bench::report::ResultsError);
}
