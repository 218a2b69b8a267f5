#include "scenario/scenario.h"

#include <catch2/catch.hpp>

namespace bench::scenario {

TEST_CASE("test types round-trip through their names") {
  for (const TestType type : kAllTestTypes) CHECK(test_type_from_string(to_string(type)) == type);
  CHECK(to_string(TestType::plaintext) == "plaintext");
  CHECK_FALSE(test_type_from_string("JSON"));
  CHECK_FALSE(test_type_from_string(""));
  CHECK(takes_query_levels(TestType::queries));
  CHECK(takes_query_levels(TestType::updates));
  CHECK_FALSE(takes_query_levels(TestType::db));
}

TEST_CASE("ScenarioError formats file:line:column: message") {
  const ScenarioError located({"s.yaml", 3, 7}, "bad");
  CHECK(std::string(located.what()) == "s.yaml:3:7: bad");
  CHECK(located.where().line == 3);
  CHECK(located.message() == "bad");
  const ScenarioError whole_file({"s.yaml", 0, 0}, "no such file");
  CHECK(std::string(whole_file.what()) == "s.yaml: no such file");
  // A usage error, so main turns it into exit code 2.
  const bench::UsageError& usage = located;
  CHECK(std::string(usage.what()) == "s.yaml:3:7: bad");
}

TEST_CASE("cells: servers x tests x levels x repeat, query levels at the largest connection level") {
  Scenario s;
  s.load.connections = {16, 64, 256};
  s.load.repeat = 2;
  s.tests = {{TestType::json, "/json", {}, {}},
             {TestType::queries, "/queries?queries=", {1, 5, 10, 20}, {}},
             {TestType::plaintext, "/plaintext", {}, {128, 512}}};
  ServerSpec a;
  a.tests = {TestType::json, TestType::queries, TestType::plaintext};
  ServerSpec b;
  b.tests = {TestType::json};
  s.servers = {a, b};

  CHECK(connection_levels(s, s.tests[0]) == std::vector<int>{16, 64, 256});
  CHECK(connection_levels(s, s.tests[1]) == std::vector<int>{256});
  CHECK(connection_levels(s, s.tests[2]) == std::vector<int>{128, 512});
  CHECK(cells_per_repeat(s, s.tests[1]) == 4);
  // a: 3 + 4 + 2, b: 3; twice.
  CHECK(cell_count(s) == (9 + 3) * 2);
  CHECK(max_connections(s) == 512);
  CHECK(s.test(TestType::queries) == &s.tests[1]);
  CHECK(s.test(TestType::fortunes) == nullptr);
}

}  // namespace bench::scenario
