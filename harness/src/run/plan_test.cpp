#include "run/plan.h"

#include <catch2/catch.hpp>

using namespace bench;

namespace {

scenario::Scenario parse(const std::string& yaml) {
  return scenario::parse_string(yaml, "/tmp/plan_test.yaml");
}

const char* kTwoServers = R"(
name: plan
database: embedded
servers:
  a: {command: "true", tests: [json, queries]}
  b: {command: "true", tests: [json]}
tests:
  json: /json
  queries: {path: "/queries?queries=", levels: [1, 20]}
load:
  connections: [8, 32]
  repeat: 2
)";

}  // namespace

TEST_CASE("the plan interleaves repeats and expands levels", "[plan]") {
  const auto s = parse(kTwoServers);
  const auto plan = run::make_plan(s);
  REQUIRE(plan.size() == 4);
  CHECK(plan[0].server->name == "a");
  CHECK(plan[1].server->name == "b");
  CHECK(plan[2].server->name == "a");
  CHECK(plan[3].server->name == "b");
  CHECK(plan[0].first);
  CHECK(plan[1].first);
  CHECK_FALSE(plan[2].first);
  CHECK(plan[2].repeat == 1);

  // a: json at 8 and 32, then queries 1 and 20 at the largest level (32).
  const auto& cells = plan[0].cells;
  REQUIRE(cells.size() == 4);
  CHECK(cells[0].path() == "/json");
  CHECK(cells[0].connections == 8);
  CHECK(cells[1].connections == 32);
  CHECK(cells[2].path() == "/queries?queries=1");
  CHECK(cells[2].connections == 32);
  CHECK(cells[3].path() == "/queries?queries=20");
  CHECK(plan[1].cells.size() == 2);
}

TEST_CASE("the plan honours --repeat and a server filter", "[plan]") {
  const auto s = parse(kTwoServers);
  const auto plan = run::make_plan(s, 3, {"b"});
  REQUIRE(plan.size() == 3);
  for (const auto& pass : plan) CHECK(pass.server->name == "b");
  CHECK(run::unknown_servers(s, {"b", "zzz"}) == std::vector<std::string>{"zzz"});
}

TEST_CASE("threads follow min(connections, cores) unless set", "[plan]") {
  scenario::LoadSpec load;
  CHECK(run::threads_for(load, 50, 2) == 2);
  CHECK(run::threads_for(load, 1, 2) == 1);
  load.threads = 4;
  CHECK(run::threads_for(load, 50, 2) == 4);
  CHECK(run::threads_for(load, 2, 2) == 2);
}

TEST_CASE("copies of a server at several revisions alternate their order: A B, B A, A B", "[plan]") {
  auto s = parse(kTwoServers);
  // As revisions::expand leaves them: each server once per revision, adjacent.
  std::vector<scenario::ServerSpec> servers;
  for (const auto& server : s.servers) {
    for (const char* revision : {"A", "B"}) {
      auto copy = server;
      copy.name = server.name + "@" + revision;
      copy.base_name = server.name;
      copy.revision = revision;
      servers.push_back(copy);
    }
  }
  s.servers = servers;
  const auto plan = run::make_plan(s, 3);
  std::vector<std::string> order;
  for (const auto& pass : plan) order.push_back(pass.server->name);
  CHECK(order == std::vector<std::string>{"a@A", "a@B", "b@A", "b@B",    // repeat 0
                                          "a@B", "a@A", "b@B", "b@A",    // repeat 1: reversed within each server
                                          "a@A", "a@B", "b@A", "b@B"});  // repeat 2
  CHECK(plan[0].first);
  CHECK(plan[1].first);
  CHECK_FALSE(plan[4].first);
  // --only and --server name a server by its scenario name: every revision of it.
  const auto only_b = run::make_plan(s, 1, {"b"});
  REQUIRE(only_b.size() == 2);
  CHECK(only_b[1].server->name == "b@B");
  CHECK(run::unknown_servers(s, {"b", "c"}) == std::vector<std::string>{"c"});
}
