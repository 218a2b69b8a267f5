#include "report/json_exporter.h"

#include <nlohmann/json.hpp>

#include "report/aggregate.h"
#include "report/rung_cost.h"

namespace bench::report {
namespace {

using nlohmann::json;

json row_json(const Row& row) {
  json figures = json::object();
  for (const auto& field : cell_fields()) {
    if (!field.number || field.name == "connections" || field.name == "queries" || field.name == "repeat") continue;
    if (const auto e = estimate(row, field)) {
      figures[field.name] = {{"median", e->median}, {"low", e->low}, {"high", e->high},
                             {"confidence", e->confidence}, {"n", e->n}};
    }
  }
  return {{"variant", row.key.variant},     {"test", row.key.test},     {"connections", row.key.connections},
          {"queries", row.key.queries},     {"samples", row.samples.size()}, {"not_ok", row.not_ok},
          {"figures", std::move(figures)}};
}

json ladder_json(const Ladder& ladder) {
  json rungs = json::array();
  for (const auto& rung : ladder.rungs) {
    rungs.push_back({{"variant", rung.variant},
                     {"ladder", rung.ladder},
                     {"requests_per_sec", rung.requests_per_sec},
                     {"server_cpu_us_per_request", rung.cpu_us_per_request ? json(*rung.cpu_us_per_request) : json()},
                     {"cpu_us_delta", rung.cpu_delta_us ? json(*rung.cpu_delta_us) : json()}});
  }
  return {{"test", ladder.level.test}, {"connections", ladder.level.connections},
          {"queries", ladder.level.queries}, {"rungs", std::move(rungs)}};
}

}  // namespace

std::string JsonExporter::render(const std::vector<Run>& runs) const {
  const Table table = combine(runs);
  json out = {{"report_version", 1}};
  json run_list = json::array();
  for (const auto& run : runs) {
    json meta = to_json(run);
    meta.erase("cells");  // the cells are summarised in rows; the results files hold them in full
    run_list.push_back(std::move(meta));
  }
  out["runs"] = std::move(run_list);
  json rows = json::array();
  for (const auto& row : table.rows) rows.push_back(row_json(row));
  out["rows"] = std::move(rows);
  json ladder_list = json::array();
  for (const auto& ladder : ladders(table)) ladder_list.push_back(ladder_json(ladder));
  out["ladders"] = std::move(ladder_list);
  out["warnings"] = table.warnings;
  return out.dump(2) + "\n";
}

}  // namespace bench::report
