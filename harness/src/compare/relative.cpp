#include "compare/relative.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "compare/metric.h"
#include "util/errors.h"

namespace bench::compare {

std::vector<report::Run> relative_runs(const std::vector<report::Run>& runs, const std::string& relative_to,
                                       std::string_view metric, std::set<report::Key>* without_control) {
  const auto slash = relative_to.find('/');
  const std::string control = relative_to.substr(0, slash);
  const std::string control_test = slash == std::string::npos ? "" : relative_to.substr(slash + 1);
  if (control.empty() || (slash != std::string::npos && control_test.empty())) {
    throw UsageError("--relative-to: expected VARIANT or VARIANT/TEST, got \"" + relative_to + "\"");
  }
  metric_field(metric);  // an unknown metric is refused before any run is read
  std::vector<report::Run> out;
  bool found = false;
  for (const auto& run : runs) {
    // The control's figure per (test, connections, queries, repeat), from ok cells only.
    std::map<std::tuple<std::string, int, int, int>, double> controls;
    for (const auto& cell : run.cells) {
      if (cell.variant != control || cell.status != "ok") continue;
      if (!control_test.empty() && cell.test != control_test) continue;
      report::Cell copy = cell;
      const double value = *metric_slot(copy, metric);
      if (value > 0) controls[{cell.test, cell.connections, cell.queries, cell.repeat}] = value;
    }
    found = found || !controls.empty();
    report::Run relative = run;
    relative.cells.clear();
    for (const auto& cell : run.cells) {
      const std::string test = control_test.empty() ? cell.test : control_test;
      auto it = controls.find({test, cell.connections, cell.queries, cell.repeat});
      if (it == controls.end()) {
        // A control test without query levels (json) stands for every query level of the cell's.
        it = std::find_if(controls.begin(), controls.end(), [&](const auto& entry) {
          const auto& [t, connections, queries, repeat] = entry.first;
          return t == test && connections == cell.connections && repeat == cell.repeat && queries == 0;
        });
      }
      if (cell.status == "ok" && it == controls.end()) {  // nothing to divide by: listed, never silently dropped
        if (without_control != nullptr) without_control->insert(report::key_of(cell));
        continue;
      }
      report::Cell copy = cell;
      if (cell.status == "ok") *metric_slot(copy, metric) /= it->second;
      relative.cells.push_back(std::move(copy));
    }
    out.push_back(std::move(relative));
  }
  if (!found) {
    throw UsageError("--relative-to: no run measured " + relative_to + " (the control must be in the same runs)");
  }
  return out;
}

}  // namespace bench::compare
