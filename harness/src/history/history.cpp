// Runs into groups and series, and their change points (history.h).
#include "history/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <system_error>
#include <tuple>

#include "compare/compare.h"
#include "stats/statistics.h"
#include "util/errors.h"

namespace bench::history {
namespace {

std::string machine_of(const report::Environment& environment, GroupBy group_by) {
  std::string machine = environment.cpu_model.empty() ? "unknown CPU" : environment.cpu_model;
  machine += fmt::format(", {} cores", environment.cores);
  if (group_by == GroupBy::host)
    machine += ", " + (environment.hostname.empty() ? "unknown host" : environment.hostname);
  return machine;
}

// One run's figure for each key: the median over its ok cells (repeats) of the metric.
std::map<report::Key, double> figures_of(const report::Run& run, const report::Field& field) {
  std::map<report::Key, std::vector<double>> samples;
  for (const auto& cell : run.cells) {
    if (cell.status != "ok") continue;
    if (auto value = field.number(cell)) samples[report::key_of(cell)].push_back(*value);
  }
  std::map<report::Key, double> out;
  for (auto& [key, values] : samples) out[key] = stats::median(std::move(values));
  return out;
}

// The change points of a series with gaps: found on the points it has, their indices mapped back to runs.
std::vector<ChangePoint> changes_of(const std::vector<std::optional<double>>& values,
                                    const ChangePointOptions& options) {
  std::vector<double> present;
  std::vector<std::size_t> run_of;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    present.push_back(*values[i]);
    run_of.push_back(i);
  }
  auto changes = change_points(present, options);
  for (auto& change : changes) change.index = run_of[change.index];
  return changes;
}

}  // namespace

bool is_worse(const report::Field& field, double change) {
  return (field.better == report::Better::higher && change < 0) ||
         (field.better == report::Better::lower && change > 0);
}

bool History::worse_now() const {
  for (const auto& group : groups) {
    for (const auto& series : group.series) {
      if (series.worse_now) return true;
    }
  }
  return false;
}

History build_history(const std::vector<report::Run>& runs, const std::vector<std::string>& files,
                      const std::string& metric, GroupBy group_by, const ChangePointOptions& options) {
  History history;
  history.metric = metric;
  history.field = &compare::metric_field(metric);
  history.options = options;
  // Runs by group, each group's in time order.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    members[{runs[i].scenario_name, machine_of(runs[i].environment, group_by)}].push_back(i);
  }
  for (auto& [id, indices] : members) {
    std::sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(runs[a].started_at, files[a]) < std::tie(runs[b].started_at, files[b]);
    });
    Group group{id.first, id.second, {}, {}};
    std::map<report::Key, Series> series;
    for (std::size_t r = 0; r < indices.size(); ++r) {
      const auto& run = runs[indices[r]];
      group.runs.push_back({files[indices[r]], run.started_at, run.environment.bench_commit, run.status});
      for (const auto& [key, value] : figures_of(run, *history.field)) {
        auto& s = series[key];
        s.key = key;
        s.values.resize(indices.size());
        s.values[r] = value;
      }
    }
    for (auto& [key, s] : series) {
      s.values.resize(indices.size());
      s.changes = changes_of(s.values, options);
      s.worse_now = !s.changes.empty() && is_worse(*history.field, s.changes.back().change);
      group.series.push_back(std::move(s));
    }
    history.groups.push_back(std::move(group));
  }
  return history;
}

std::vector<std::string> results_files_in(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code error;
  std::filesystem::directory_iterator it(folder, error);
  if (error) throw UsageError(fmt::format("{}: cannot read the folder: {}", folder, error.message()));
  for (const auto& entry : it) {
    if (entry.path().extension() != ".json" || !entry.is_regular_file(error)) continue;
    files.push_back(entry.path().string());
    if (files.size() > kMaxHistoryFiles) {
      throw UsageError(
          fmt::format("{}: more than {} results files; give a folder with fewer", folder, kMaxHistoryFiles));
    }
  }
  if (files.empty()) throw UsageError(fmt::format("{}: no results files (*.json) in the folder", folder));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bench::history
