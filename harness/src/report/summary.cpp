#include "report/summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/aggregate.h"
#include "report/grid.h"
#include "report/rung_cost.h"

namespace bench::report {
namespace {

struct Ranked {
  std::string variant;
  double rps;
};

// "json c=64: 1. raw 45,123 req/s  2. orm 12,345 req/s (27.4%)"
std::string ranking(const Table& table) {
  const Field& rps = field_named("requests_per_sec");
  std::string out;
  for (const auto& test : table.tests) {
    std::vector<Key> levels;
    for (const Row* row : rows_of(table, test)) {
      Key level{"", test, row->key.connections, row->key.queries};
      if (std::find(levels.begin(), levels.end(), level) == levels.end()) levels.push_back(level);
    }
    std::sort(levels.begin(), levels.end());
    for (const auto& level : levels) {
      std::vector<Ranked> ranked;
      for (const Row* row : rows_of(table, test)) {
        if (row->key.connections != level.connections || row->key.queries != level.queries) continue;
        if (const auto e = estimate(*row, rps)) ranked.push_back({row->key.variant, e->median});
      }
      if (ranked.empty()) continue;
      std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.rps > b.rps; });
      std::string line = fmt::format("{} {}:", test, level_label(level));
      for (size_t i = 0; i < ranked.size(); ++i) {
        line += fmt::format("  {}. {} {} req/s", i + 1, ranked[i].variant, human_value(Unit::per_second, ranked[i].rps));
        if (i > 0 && ranked[0].rps > 0) line += fmt::format(" ({:.1f}%)", 100 * ranked[i].rps / ranked[0].rps);
      }
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace

std::string summary_table(const Run& run) {
  const Table table = combine({run});
  std::string out = "Summary\n\n" + text_table(summary_grid(table));
  const std::string ranks = ranking(table);
  if (!ranks.empty()) out += "\nRanking\n\n" + ranks;
  for (const auto& ladder : ladders(table)) {
    out += "\nCost per rung, " + ladder.level.test + " " + level_label(ladder.level) + "\n\n" + text_table(rung_grid(ladder));
  }
  for (const auto& variant : table.variant_info) {
    if (variant.status != "ok") out += fmt::format("\n{} {}: {}", variant.name, variant.status, variant.reason);
  }
  if (!table.variant_info.empty() && out.back() != '\n') out += "\n";
  return out;
}

}  // namespace bench::report
