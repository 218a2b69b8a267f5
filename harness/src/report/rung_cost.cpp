#include "report/rung_cost.h"

#include <map>
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
      std::optional<double> previous_cpu;
      std::optional<std::string> previous_codebase;
      const auto codebase_of = [&](const std::string& variant) {
        const auto it = table.codebase.find(variant);
        return it == table.codebase.end() ? std::string() : it->second;
      };
      for (const Row* row : by_level[std::tuple(level.connections, level.queries)]) {
        const auto r = estimate(*row, rps);
        if (!r) continue;
        Rung rung{row->key.variant, r->median, std::nullopt, std::nullopt};
        // A rung is a layer added to the same code; across code bases (frameworks) a difference means nothing.
        const std::string codebase = codebase_of(row->key.variant);
        if (previous_codebase && *previous_codebase != codebase) previous_cpu.reset();
        previous_codebase = codebase;
        if (const auto c = estimate(*row, cpu)) {
          rung.cpu_us_per_request = c->median;
          if (previous_cpu) rung.cpu_delta_us = c->median - *previous_cpu;
          previous_cpu = c->median;
        }
        ladder.rungs.push_back(std::move(rung));
      }
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
