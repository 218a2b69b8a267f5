#include "run/plan.h"

#include <algorithm>

namespace bench::run {

using scenario::Scenario;
using scenario::ServerSpec;
using scenario::TestSpec;

std::string CellPlan::path() const {
  if (queries == 0) return test->path;
  return test->path + std::to_string(queries);
}

namespace {

bool wanted(const ServerSpec& server, const std::vector<std::string>& only) {
  return only.empty() || std::find(only.begin(), only.end(), server.name) != only.end();
}

std::vector<CellPlan> cells_of(const Scenario& scenario, const ServerSpec& server, int repeat) {
  std::vector<CellPlan> cells;
  for (const auto type : server.tests) {
    const TestSpec* test = scenario.test(type);
    if (test == nullptr) continue;  // the parser rejects this; keep the plan safe anyway
    const auto levels = scenario::connection_levels(scenario, *test);
    if (scenario::takes_query_levels(type)) {
      for (const int queries : test->levels) cells.push_back({test, levels.back(), queries, repeat});
    } else {
      for (const int connections : levels) cells.push_back({test, connections, 0, repeat});
    }
  }
  return cells;
}

}  // namespace

std::vector<Pass> make_plan(const Scenario& scenario, int repeat, const std::vector<std::string>& only) {
  const int repeats = repeat > 0 ? repeat : scenario.load.repeat;
  std::vector<Pass> plan;
  for (int r = 0; r < repeats; ++r) {
    for (const auto& server : scenario.servers) {
      if (!wanted(server, only)) continue;
      plan.push_back({&server, r, r == 0, cells_of(scenario, server, r)});
    }
  }
  return plan;
}

std::vector<std::string> unknown_servers(const Scenario& scenario, const std::vector<std::string>& only) {
  std::vector<std::string> unknown;
  for (const auto& name : only) {
    const bool known = std::any_of(scenario.servers.begin(), scenario.servers.end(),
                                   [&](const ServerSpec& s) { return s.name == name; });
    if (!known) unknown.push_back(name);
  }
  return unknown;
}

int threads_for(const scenario::LoadSpec& load, int connections, int cores) {
  const int wanted_threads = load.threads > 0 ? load.threads : std::max(1, cores);
  return std::clamp(wanted_threads, 1, std::max(1, connections));
}

}  // namespace bench::run
