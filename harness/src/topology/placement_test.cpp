#include "topology/placement.h"

#include <catch2/catch.hpp>

using namespace bench::topology;
using bench::scenario::parse_string;
using bench::scenario::ScenarioError;

namespace {

const char* kBase = R"(
servers:
  raw: {command: "./raw"}
  orm: {command: "./orm"}
  far: {url: "http://127.0.0.1:9"}
tests:
  json: /json
)";

bench::scenario::Scenario with(const std::string& placement) {
  return parse_string(std::string(kBase) + placement, "/tmp/s.yaml");
}

std::string error_of(const std::string& placement) {
  try {
    with(placement);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("no placement pins nothing and leaves the resolved scenario unchanged") {
  const auto scenario = parse_string(kBase, "/tmp/s.yaml");
  CHECK_FALSE(scenario.placement.pinned());
  CHECK_FALSE(bench::scenario::to_json(scenario).contains("placement"));
  const auto placement = resolve_placement(scenario, {0, 1});
  CHECK_FALSE(placement.pinned());
  CHECK(placement.server_cpus("raw").empty());
  CHECK(placed_cpus(placement) == CpuList{0, 1});  // nothing pinned: every allowed CPU is ours
  CHECK(describe(placement) == "none");
}

TEST_CASE("placement lists per role, servers for all or per variant") {
  const auto scenario = with(R"(placement: {client: "0", database: "1", servers: {raw: "1", orm: "0-1"}})");
  CHECK(scenario.placement.client->cpus == CpuList{0});
  CHECK(scenario.placement.client->key == "placement.client");
  CHECK(scenario.placement.client->where.line == 8);
  CHECK(bench::scenario::to_json(scenario)["placement"]["servers"]["orm"] == "0-1");
  const auto placement = resolve_placement(scenario, {0, 1});
  CHECK(placement.rule == "scenario");
  CHECK(placement.server_cpus("raw") == CpuList{1});
  CHECK(placement.server_cpus("orm") == CpuList{0, 1});
  CHECK(placed_cpus(placement) == CpuList{0, 1});
  CHECK(describe(placement) == "client 0, database 1, orm 0-1, raw 1 (scenario)");
  // Overlaps are warnings, not errors.
  CHECK(placement.warnings.size() == 3);  // client/orm, database/raw, database/orm
  const auto json = to_json(placement);
  CHECK(json["client"] == "0");
  CHECK(json["per_server"]["raw"] == "1");
  CHECK(json["allowed"] == "0-1");
}

TEST_CASE("placement: auto applies the split rule to the allowed CPUs") {
  const auto placement = resolve_placement(with("placement: auto"), {0, 1, 2, 3});
  CHECK(placement.rule == "auto");
  CHECK(placement.client == CpuList{0});
  CHECK(placement.database == CpuList{1});
  CHECK(placement.server_cpus("raw") == CpuList{2, 3});
  CHECK(placement.warnings.empty());
  CHECK(unplaced_cpus(placement).empty());
  const auto two = resolve_placement(with("placement: auto"), {0, 1});
  CHECK(two.warnings.size() == 1);  // database and servers share CPU 1
}

TEST_CASE("a CPU outside the cpuset is an error at its key") {
  const auto scenario = with(R"(placement: {client: "0", servers: "1-3"})");
  try {
    resolve_placement(scenario, {0, 1});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "/tmp/s.yaml:8:35: placement.servers: CPU 2 is not available to bench (allowed: 0-1)");
  }
}

TEST_CASE("bad placement keys are errors with file:line:column") {
  CHECK_THAT(error_of("placement: everywhere"), Catch::Contains("/tmp/s.yaml:8:12: placement: expected 'auto'"));
  CHECK_THAT(error_of(R"(placement: {client: "3-1"})"),
             Catch::Contains("8:21: placement.client: '3-1' is a descending"));
  CHECK_THAT(error_of(R"(placement: {cliant: "0"})"), Catch::Contains("did you mean 'client'"));
  CHECK_THAT(error_of(R"(placement: {servers: {nope: "0"}})"), Catch::Contains("no server named 'nope'"));
  CHECK_THAT(error_of(R"(placement: {servers: {far: "0"}})"), Catch::Contains("runs elsewhere"));
  CHECK_THAT(error_of(R"(placement: {client: [0, 1]})"), Catch::Contains("expected a CPU list"));
  CHECK_THAT(error_of("database: none\nplacement: {database: \"0\"}"),
             Catch::Contains("only the embedded database can be placed"));
}
