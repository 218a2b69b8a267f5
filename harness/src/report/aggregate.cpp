#include "report/aggregate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "stats/statistics.h"

namespace bench::report {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

size_t position(const std::vector<std::string>& list, const std::string& name) {
  return static_cast<size_t>(std::find(list.begin(), list.end(), name) - list.begin());
}

void merge_variant(std::vector<Variant>& info, const Variant& variant) {
  auto it = std::find_if(info.begin(), info.end(), [&](const Variant& v) { return v.name == variant.name; });
  if (it == info.end()) {
    info.push_back(variant);
  } else if (it->status == "ok" && variant.status != "ok") {
    *it = variant;  // a failure in any run is what the reader must see
  }
}

// A text field of a JSON object, "" when absent or not text.
std::string text_of(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Each server's ladder from one run's resolved scenario (Table::ladder); earlier runs keep theirs. Whether the
// scenario declares any ladder.
bool add_ladders(std::map<std::string, std::string>& ladder, const nlohmann::json& scenario) {
  if (!scenario.is_object() || !scenario.contains("servers") || !scenario["servers"].is_array()) return false;
  static const nlohmann::json kNoMeta = nlohmann::json::object();
  const auto meta_of = [](const nlohmann::json& server) -> const nlohmann::json& {
    const auto it = server.find("meta");
    return it != server.end() && it->is_object() ? *it : kNoMeta;
  };
  bool declared = false;
  for (const auto& server : scenario["servers"])
    if (server.is_object() && !text_of(meta_of(server), "ladder").empty()) declared = true;
  for (const auto& server : scenario["servers"]) {
    if (!server.is_object() || text_of(server, "name").empty()) continue;
    const std::string name = text_of(server, "name");
    const auto& meta = meta_of(server);
    if (declared) {
      if (!text_of(meta, "ladder").empty()) ladder.emplace(name, text_of(meta, "ladder"));
      continue;
    }
    // No ladder declared (older results): one per code base. What the scenario says the variant is (meta:
    // language and framework) names it best; without meta, where the code lives (url, cwd), which one folder may
    // share.
    if (!text_of(meta, "framework").empty()) {
      ladder.emplace(name, text_of(meta, "language") + "/" + text_of(meta, "framework"));
    } else if (!text_of(server, "url").empty()) {
      ladder.emplace(name, text_of(server, "url"));
    } else if (!text_of(server, "cwd").empty()) {
      ladder.emplace(name, text_of(server, "cwd"));
    }
  }
  return declared;
}

}  // namespace

std::string level_label(const Key& key) {
  return key.queries > 0 ? fmt::format("c={} q={}", key.connections, key.queries) : fmt::format("c={}", key.connections);
}

Key key_of(const Cell& cell) { return {cell.variant, cell.test, cell.connections, cell.queries}; }

std::vector<double> values(const Row& row, const Field& field) {
  std::vector<double> out;
  if (!field.number) return out;
  for (const auto& cell : row.samples) {
    if (auto value = field.number(cell)) out.push_back(*value);
  }
  return out;
}

std::optional<Estimate> estimate(const Row& row, const Field& field) {
  const auto v = values(row, field);
  if (v.empty()) return std::nullopt;
  const auto interval = stats::median_interval(v);
  return Estimate{stats::median(v), interval.low, interval.high, interval.confidence, v.size()};
}

Table combine(const std::vector<Run>& runs) {
  Table table;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> versions;  // in the order runs reported them
  bool declared = false;  // whether any run's scenario declares a ladder
  for (const auto& run : runs) {
    for (const auto& variant : run.variants) {
      add_unique(table.variants, variant.name);
      merge_variant(table.variant_info, variant);
      for (const auto& [component, version] : variant.versions) add_unique(versions[variant.name][component], version);
    }
    declared = add_ladders(table.ladder, run.scenario) || declared;
  }
  for (const auto& [variant, components] : versions) {
    for (const auto& [component, seen] : components) {
      std::string joined;
      for (const auto& version : seen) joined += (joined.empty() ? "" : ", ") + version;
      table.versions[variant][component] = joined;
    }
  }
  std::map<Key, Row> rows;
  std::set<std::string> warnings;
  for (const auto& run : runs) {
    for (const auto& cell : run.cells) {
      add_unique(table.tests, cell.test);
      add_unique(table.variants, cell.variant);
      Row& row = rows[key_of(cell)];
      row.key = key_of(cell);
      if (cell.status == "ok") {
        row.samples.push_back(cell);
      } else {
        ++row.not_ok;
        if (cell.status == "interrupted") ++row.interrupted;
      }
      // One line per row and warning code (repeats say the same thing in other numbers); free text has no code
      // to group by, so it is told apart by its words.
      for (const auto& warning : cell.warnings) {
        const bool coded = warning.code != WarningCode::other && warning.code != WarningCode::load;
        const std::string identity = fmt::format("{} {} {}: {}", cell.variant, cell.test, level_label(row.key),
                                                 coded ? warning_code_name(warning.code) : warning.message);
        if (warnings.insert(identity).second) {
          table.warnings.push_back(
              fmt::format("{} {} {}: {}", cell.variant, cell.test, level_label(row.key), warning.message));
        }
      }
    }
  }
  // Without declared ladders, a variant whose code base is unknown (no scenario servers) shares one with the others.
  if (!declared)
    for (const auto& variant : table.variants) table.ladder.emplace(variant, "");
  for (auto& [key, row] : rows) table.rows.push_back(std::move(row));
  std::stable_sort(table.rows.begin(), table.rows.end(), [&](const Row& a, const Row& b) {
    const auto rank = [&](const Row& r) {
      return std::tuple(position(table.tests, r.key.test), position(table.variants, r.key.variant),
                        r.key.connections, r.key.queries);
    };
    return rank(a) < rank(b);
  });
  return table;
}

std::vector<const Row*> rows_of(const Table& table, const std::string& test) {
  std::vector<const Row*> out;
  for (const auto& row : table.rows) {
    if (row.key.test == test) out.push_back(&row);
  }
  return out;
}

}  // namespace bench::report
