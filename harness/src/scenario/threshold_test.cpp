// thresholds: in a scenario: the expression, the scope, and errors at file:line:column.
#include "scenario/threshold.h"

#include <catch2/catch.hpp>

#include <string>

#include "scenario/test_support.h"

using namespace bench::scenario;
using bench::scenario::testing::error_of;
using bench::scenario::testing::kMinimal;
using Catch::Contains;

namespace {

Threshold expression(std::string_view text) {
  auto parsed = parse_threshold_expression(text);
  if (auto* error = std::get_if<std::string>(&parsed)) FAIL(*error);
  return std::get<Threshold>(parsed);
}

}  // namespace

TEST_CASE("threshold expressions: metric, operator, value in the field's unit") {
  const auto p99 = expression("p99 < 50ms");
  CHECK(p99.metric == "latency_p99_us");
  CHECK(p99.op == "<");
  CHECK(p99.value == Approx(50000));
  CHECK(p99.text == "p99 < 50ms");
  CHECK(expression("errors == 0").metric == "errors");
  CHECK(expression("errors==0").op == "==");
  CHECK(expression("requests_per_sec >= 1200.5").value == Approx(1200.5));
  CHECK(expression("rps > 10").metric == "requests_per_sec");
  CHECK(expression("db_queries_per_request <= 1").op == "<=");
  CHECK(expression("server_cpu_us_per_request < 900").value == 900);
  CHECK(expression("mean != 1s").value == Approx(1e6));

  const auto error = [](std::string_view text) { return std::get<std::string>(parse_threshold_expression(text)); };
  CHECK_THAT(error("erors == 0"), Contains("unknown metric 'erors'") && Contains("did you mean 'errors'"));
  CHECK_THAT(error("p99 50ms"), Contains("expected METRIC OP VALUE"));
  CHECK_THAT(error("p99 < fast"), Contains("takes a duration"));
  CHECK_THAT(error("errors == none"), Contains("takes a number"));
}

TEST_CASE("thresholds: in a scenario, each for all cells or scoped to a variant and a test") {
  const auto s = parse_string(std::string(kMinimal) +
                                  "thresholds:\n"
                                  "  - errors == 0\n"
                                  "  - {limit: p99 < 50ms, variant: a, test: json}\n",
                              "t.yaml");
  REQUIRE(s.thresholds.size() == 2);
  CHECK(s.thresholds[0].variant.empty());
  CHECK(s.thresholds[0].where.line == 7);
  CHECK(s.thresholds[1].variant == "a");
  CHECK(s.thresholds[1].test == "json");
  CHECK(to_json(s)["thresholds"][1]["metric"] == "latency_p99_us");
  CHECK(parse_string(kMinimal, "t.yaml").thresholds.empty());
}

TEST_CASE("bad thresholds are refused at file:line:column") {
  CHECK_THAT(error_of(std::string(kMinimal) + "thresholds:\n  - errors == 0\n  - p98 < 50ms\n"),
             Contains("t.yaml:8:5: thresholds[1]: unknown metric 'p98'"));  // (p90 and p99 are equally close)
  CHECK_THAT(error_of(std::string(kMinimal) + "thresholds:\n  - {limit: errors == 0, variant: zz}\n"),
             Contains("t.yaml:7:") && Contains("no server named 'zz'"));
  CHECK_THAT(error_of(std::string(kMinimal) + "thresholds:\n  - {limit: errors == 0, test: db}\n"),
             Contains("no test 'db'"));
  CHECK_THAT(error_of(std::string(kMinimal) + "thresholds:\n  - {variant: a}\n"), Contains("missing 'limit'"));
  CHECK_THAT(error_of(std::string(kMinimal) + "thresholds: p99 < 50ms\n"), Contains("t.yaml:6:") &&
                                                                            Contains("a list of limits"));
  CHECK_THAT(error_of(std::string(kMinimal) + "thresholds:\n  - {limit: errors == 0, when: always}\n"),
             Contains("when"));
}
