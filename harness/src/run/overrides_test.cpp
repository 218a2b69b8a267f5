#include "run/overrides.h"
#include "run/progress.h"

#include <catch2/catch.hpp>

using namespace bench;
using namespace std::chrono_literals;

namespace {

const char* kScenario = R"(
name: overrides
database: embedded
servers:
  raw: {command: "true"}
  orm: {command: "true"}
tests:
  json: /json
  db: {path: /db, connections: [4]}
  queries: {path: "/queries?queries=", levels: [1, 20]}
load: {connections: [8, 32], duration: 10s, warmup: 5s}
)";

scenario::Scenario parse() { return scenario::parse_string(kScenario, "/tmp/overrides_test.yaml"); }

std::string usage_error(const run::Overrides& o) {
  auto s = parse();
  try {
    run::apply_overrides(s, o);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("overrides replace the scenario's load and say what they changed", "[overrides]") {
  auto s = parse();
  run::Overrides o;
  o.duration = "2s";
  o.warmup = "0s";
  o.connections = {16, 64};
  o.rate = 500;
  o.only = {"orm"};
  const auto applied = run::apply_overrides(s, o);
  CHECK(applied == std::vector<std::string>{"duration=2s", "warmup=0s", "connections=16,64", "rate=500", "only=orm"});
  CHECK(s.load.duration == 2s);
  CHECK(s.load.warmup == 0s);
  CHECK(s.load.rate == 500);
  CHECK(s.load.connections == std::vector<int>{16, 64});
  // -c means every test: db's own level is gone, so db is measured at 16 and 64 too.
  CHECK(scenario::connection_levels(s, *s.test(scenario::TestType::db)) == std::vector<int>{16, 64});
  // The scenario as recorded in the results carries the overridden values.
  CHECK(scenario::to_json(s)["load"]["duration"] == "2s");
}

TEST_CASE("no overrides leave the scenario as it was", "[overrides]") {
  auto s = parse();
  CHECK(run::apply_overrides(s, {}).empty());
  CHECK(s.load.duration == 10s);
  CHECK(s.test(scenario::TestType::db)->connections == std::vector<int>{4});
}

TEST_CASE("bad overrides name their flag", "[overrides]") {
  run::Overrides o;
  o.duration = "0s";
  CHECK(usage_error(o) == "-d/--duration: must be more than 0");
  o.duration = "ten";
  CHECK_THAT(usage_error(o), Catch::StartsWith("-d/--duration: 'ten': "));
  run::Overrides w;
  w.warmup = "-1s";
  CHECK_THAT(usage_error(w), Catch::StartsWith("--warmup: '-1s': "));
  run::Overrides c;
  c.connections = {8, 0};
  CHECK(usage_error(c) == "-c/--connections: 0 is out of range 1..100000");
  run::Overrides r;
  r.rate = -5;
  CHECK(usage_error(r) == "-R/--rate: -5 must be 0 (closed loop) or more");
  run::Overrides only;
  only.only = {"orm", "rwa"};
  CHECK(usage_error(only) == "--only: no server named 'rwa' in /tmp/overrides_test.yaml; did you mean 'raw'?");
}

TEST_CASE("the expected time counts every cell's warmup and duration plus each start", "[progress]") {
  const auto s = parse();
  const auto plan = run::make_plan(s);
  // Per server: json at 8 and 32, db at 4, queries 1 and 20 = 5 cells of 15 s; one pass each, both first passes.
  REQUIRE(plan.size() == 2);
  const Nanos per_pass = 5 * 15s + run::kPassAllowance + run::kVerifyAllowance;
  CHECK(run::expected_time(plan, s.load) == 2 * per_pass);
  CHECK(run::expected_time(plan, s.load, 1) == per_pass);
  CHECK(run::expected_time(plan, s.load, 2) == 0s);
}
