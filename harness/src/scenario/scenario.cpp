#include "scenario/scenario.h"

#include <algorithm>

namespace bench::scenario {

namespace {

std::string format_error(const Location& where, const std::string& message) {
  if (where.line <= 0) return where.file + ": " + message;
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " + message;
}

}  // namespace

std::string_view to_string(TestType type) {
  switch (type) {
    case TestType::json: return "json";
    case TestType::db: return "db";
    case TestType::queries: return "queries";
    case TestType::fortunes: return "fortunes";
    case TestType::updates: return "updates";
    case TestType::plaintext: return "plaintext";
  }
  return "unknown";
}

std::optional<TestType> test_type_from_string(std::string_view name) {
  for (const TestType type : kAllTestTypes) {
    if (to_string(type) == name) return type;
  }
  return std::nullopt;
}

bool takes_query_levels(TestType type) { return type == TestType::queries || type == TestType::updates; }

ScenarioError::ScenarioError(Location where, std::string message)
    : bench::UsageError(format_error(where, message)), where_(std::move(where)), message_(std::move(message)) {}

const TestSpec* Scenario::test(TestType type) const {
  for (const auto& spec : tests) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

std::vector<int> connection_levels(const Scenario& scenario, const TestSpec& test) {
  const std::vector<int>& levels = test.connections.empty() ? scenario.load.connections : test.connections;
  if (takes_query_levels(test.type) && !levels.empty()) return {*std::max_element(levels.begin(), levels.end())};
  return levels;
}

int cells_per_repeat(const Scenario& scenario, const TestSpec& test) {
  if (takes_query_levels(test.type)) return static_cast<int>(test.levels.size());
  return static_cast<int>(connection_levels(scenario, test).size());
}

int cell_count(const Scenario& scenario) {
  int cells = 0;
  for (const auto& server : scenario.servers) {
    for (const TestType type : server.tests) {
      if (const TestSpec* spec = scenario.test(type)) cells += cells_per_repeat(scenario, *spec);
    }
  }
  return cells * scenario.load.repeat;
}

int max_connections(const Scenario& scenario) {
  int most = 0;
  for (const int c : scenario.load.connections) most = std::max(most, c);
  for (const auto& test : scenario.tests) {
    for (const int c : test.connections) most = std::max(most, c);
  }
  return most;
}

}  // namespace bench::scenario
