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

// A server is named by its name, or (a copy made by --revisions) by the name of the server it copies.
bool named(const ServerSpec& server, const std::string& name) {
  return server.name == name || (!server.base_name.empty() && server.base_name == name);
}

bool wanted(const ServerSpec& server, const std::vector<std::string>& only) {
  return only.empty() || std::any_of(only.begin(), only.end(), [&](const std::string& n) { return named(server, n); });
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

// The servers in the order repeat r measures them: scenario order, except that copies of one server at several
// revisions (`--revisions`, adjacent in the scenario) run in reverse order on odd repeats: A B, B A, A B, ...
// Paired repeats then sit side by side in time, and a drift that is linear over a pair of repeats hits both alike.
std::vector<const ServerSpec*> order_of_repeat(const Scenario& scenario, int r) {
  std::vector<const ServerSpec*> order;
  for (const auto& server : scenario.servers) order.push_back(&server);
  if (r % 2 == 0) return order;
  for (auto group = order.begin(); group != order.end();) {
    auto end = group + 1;
    if (!(*group)->base_name.empty()) {
      while (end != order.end() && (*end)->base_name == (*group)->base_name) ++end;
      std::reverse(group, end);
    }
    group = end;
  }
  return order;
}

}  // namespace

std::vector<Pass> make_plan(const Scenario& scenario, int repeat, const std::vector<std::string>& only) {
  const int repeats = repeat > 0 ? repeat : scenario.load.repeat;
  std::vector<Pass> plan;
  for (int r = 0; r < repeats; ++r) {
    for (const ServerSpec* server : order_of_repeat(scenario, r)) {
      if (!wanted(*server, only)) continue;
      plan.push_back({server, r, r == 0, cells_of(scenario, *server, r)});
    }
  }
  return plan;
}

std::vector<std::string> unknown_servers(const Scenario& scenario, const std::vector<std::string>& only) {
  std::vector<std::string> unknown;
  for (const auto& name : only) {
    const bool known = std::any_of(scenario.servers.begin(), scenario.servers.end(),
                                   [&](const ServerSpec& s) { return named(s, name); });
    if (!known) unknown.push_back(name);
  }
  return unknown;
}

int threads_for(const scenario::LoadSpec& load, int connections, int cores) {
  const int wanted_threads = load.threads > 0 ? load.threads : std::max(1, cores);
  return std::clamp(wanted_threads, 1, std::max(1, connections));
}

}  // namespace bench::run
