#include "report/report_header.h"

#include <fmt/format.h>

#include <algorithm>

namespace bench::report {

std::string report_title(const std::vector<Run>& runs) {
  std::vector<std::string> names;
  for (const auto& run : runs) {
    if (std::find(names.begin(), names.end(), run.scenario_name) == names.end()) names.push_back(run.scenario_name);
  }
  std::string title = "bench report:";
  for (size_t i = 0; i < names.size(); ++i) title += (i == 0 ? " " : ", ") + names[i];
  return title;
}

std::vector<std::string> run_descriptions(const std::vector<Run>& runs) {
  std::vector<std::string> out;
  for (const auto& run : runs) {
    const auto& e = run.environment;
    std::vector<std::string> parts = {run.scenario_name, run.started_at, run.status};
    if (!e.cpu_model.empty()) parts.push_back(fmt::format("{} cores {}", e.cores, e.cpu_model));
    if (!e.kernel.empty()) parts.push_back(e.kernel);
    if (!e.postgres_version.empty()) parts.push_back("PostgreSQL " + e.postgres_version);
    if (!e.bench_version.empty()) {
      parts.push_back("bench " + e.bench_version + (e.bench_commit.empty() ? "" : " (" + e.bench_commit + ")"));
    }
    // bench run --revisions: which code each NAME@LABEL ran, the short hash beside the label the user gave.
    for (const auto& r : run.revisions) {
      parts.push_back(fmt::format("@{} = {}{} \"{}\"", r.label, r.commit.substr(0, 12),
                                  r.working_tree ? (r.dirty ? " + uncommitted changes" : " (working tree)") : "",
                                  r.subject));
    }
    // A variant that failed, was skipped or interrupted has no (or too few) cells: the header says why.
    for (const auto& v : run.variants)
      if (!v.status.empty() && v.status != "ok") parts.push_back(fmt::format("{} {}: {}", v.name, v.status, v.reason));
    std::string line;
    for (const auto& part : parts) {
      if (!part.empty()) line += (line.empty() ? "" : ", ") + part;
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace bench::report
