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

// Per test and level, variants from fastest to slowest with their share of the fastest's requests/s.
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
      if (ranked.size() < 2) continue;  // one variant: nothing to rank
      std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.rps > b.rps; });
      Grid grid{{"#", "Variant", "Requests/s", "Relative"}, {true, false, true, true}, {}};
      for (size_t i = 0; i < ranked.size(); ++i) {
        grid.rows.push_back({std::to_string(i + 1), ranked[i].variant, human_value(Unit::per_second, ranked[i].rps),
                             ranked[0].rps > 0 ? fmt::format("{:.1f}%", 100 * ranked[i].rps / ranked[0].rps) : "-"});
      }
      out += fmt::format("\nRanking, {} {}\n\n", test, level_label(level)) + text_table(grid);
    }
  }
  return out;
}

// "Placement: client 0, database 1, servers 1 (auto)" from results' `placement` (topology::to_json); empty if none.
std::string placement_line(const nlohmann::json& placement) {
  if (!placement.is_object()) return "";
  const auto text = [&](const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : ""; };
  std::string roles;
  const auto add = [&](const std::string& role, const nlohmann::json& value) {
    if (const std::string cpus = text(value); !cpus.empty()) roles += (roles.empty() ? "" : ", ") + role + " " + cpus;
  };
  for (const char* role : {"client", "database", "servers"}) add(role, placement.value(role, nlohmann::json()));
  if (const auto per = placement.find("per_server"); per != placement.end() && per->is_object())
    for (const auto& [name, value] : per->items()) add(name, value);
  return fmt::format("Placement: {} ({})\n\n", roles.empty() ? "none" : roles,
                     text(placement.value("rule", nlohmann::json())));
}

}  // namespace

std::string summary_table(const Run& run) {
  const Table table = combine({run});
  std::string out = "Summary\n\n" + placement_line(run.placement) + text_table(summary_grid(table));
  out += ranking(table);
  for (const auto& ladder : ladders(table)) {
    if (!has_steps(ladder)) continue;  // every step "-": no layer's cost to show
    out += "\nCost per rung, " + ladder.level.test + " " + level_label(ladder.level) + "\n\n" + text_table(rung_grid(ladder));
  }
  for (const auto& variant : table.variant_info) {
    if (variant.status != "ok") out += fmt::format("\n{} {}: {}", variant.name, variant.status, variant.reason);
  }
  if (!table.variant_info.empty() && out.back() != '\n') out += "\n";
  return out;
}

}  // namespace bench::report
