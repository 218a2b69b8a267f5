#include "report/rung_cost.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace bench::report {

std::vector<Ladder> ladders(const Table& table) {
  const Field& rps = field_named("requests_per_sec");
  const Field& cpu = field_named("server_cpu_us_per_request");
  std::vector<Ladder> out;
  for (const auto& test : table.tests) {
    // Levels of this test in first-seen order; rows are already in variant order within the test.
    std::vector<Key> levels;
    std::map<std::tuple<int, int>, std::vector<const Row*>> by_level;
    for (const Row* row : rows_of(table, test)) {
      const auto level = std::tuple(row->key.connections, row->key.queries);
      if (by_level[level].empty()) levels.push_back({"", test, row->key.connections, row->key.queries});
      by_level[level].push_back(row);
    }
    std::sort(levels.begin(), levels.end());
    for (const auto& level : levels) {
      Ladder ladder{level, {}};
      using Name = std::optional<std::string>;      // nullopt: on no ladder
      std::vector<Name> order;                      // ladders by their first rung, in scenario order
      std::map<Name, std::vector<Rung>> by_ladder;
      std::map<std::string, double> previous;       // each ladder's last CPU figure
      for (const Row* row : by_level[std::tuple(level.connections, level.queries)]) {
        const auto r = estimate(*row, rps);
        if (!r) continue;
        const auto on = table.ladder.find(row->key.variant);
        const Name name = on == table.ladder.end() ? Name() : Name(on->second);
        Rung rung{row->key.variant, name.value_or(""), r->median, std::nullopt, std::nullopt};
        if (const auto c = estimate(*row, cpu)) {
          rung.cpu_us_per_request = c->median;
          // A rung is a layer added to the rungs before it on its ladder; across ladders a difference means nothing.
          if (name) {
            if (const auto it = previous.find(*name); it != previous.end()) rung.cpu_delta_us = c->median - it->second;
            previous[*name] = c->median;
          }
        }
        if (name && by_ladder[name].empty()) order.push_back(name);
        by_ladder[name].push_back(std::move(rung));
      }
      order.push_back(std::nullopt);  // variants on no ladder last
      for (const auto& name : order)
        for (auto& rung : by_ladder[name]) ladder.rungs.push_back(std::move(rung));
      if (ladder.rungs.size() >= 2) out.push_back(std::move(ladder));
    }
  }
  return out;
}

bool has_steps(const Ladder& ladder) {
  for (const auto& rung : ladder.rungs)
    if (rung.cpu_delta_us) return true;
  return false;
}

}  // namespace bench::report
