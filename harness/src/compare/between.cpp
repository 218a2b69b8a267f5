#include "compare/between.h"

#include "util/errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace bench::compare {

namespace {

// The label of the one revision in `run` that `given` names, or "" when none does. Throws when several do.
std::string label_in(const report::Run& run, const std::string& given, const char* side) {
  std::vector<std::string> found;
  for (const auto& revision : run.revisions) {
    const bool by_label = revision.label == given;
    const bool by_hash = given.size() >= 4 && revision.commit.rfind(given, 0) == 0;
    if (by_label || by_hash) found.push_back(revision.label);
  }
  // A label is exact: it wins over a hash prefix that happens to match another revision too.
  if (std::find(found.begin(), found.end(), given) != found.end()) return given;
  if (found.size() > 1) {
    throw UsageError(fmt::format("--between: {} '{}' names several revisions of {}: {}", side, given,
                                 run.scenario_name, fmt::join(found, ", ")));
  }
  return found.empty() ? "" : found.front();
}

// The run's cells and variants of one revision, renamed to their scenario names, repeats made unique per run.
report::Run side_of(const report::Run& run, const std::string& label, int run_index) {
  report::Run out = run;
  out.variants.clear();
  out.cells.clear();
  std::set<std::string> names;  // "<base>@<label>" of this revision
  for (const auto& variant : run.variants) {
    if (variant.revision != label) continue;
    names.insert(variant.name);
    report::Variant copy = variant;
    copy.name = variant.base.empty() ? variant.name : variant.base;
    out.variants.push_back(std::move(copy));
  }
  for (const auto& cell : run.cells) {
    if (!names.count(cell.variant)) continue;
    report::Cell copy = cell;
    copy.variant = cell.variant.substr(0, cell.variant.rfind('@'));
    copy.repeat = run_index * kRepeatsPerRun + cell.repeat;
    out.cells.push_back(std::move(copy));
  }
  return out;
}

}  // namespace

Sides between(const std::vector<report::Run>& runs, const std::string& a, const std::string& b) {
  Sides sides;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& run = runs[i];
    if (run.revisions.empty()) {
      throw UsageError(fmt::format("--between: the run of {} started {} measured no revisions (bench run --revisions "
                                   "A,B makes such a run)",
                                   run.scenario_name, run.started_at));
    }
    std::vector<std::string> labels;
    for (const auto& revision : run.revisions) labels.push_back(revision.label);
    const std::string label_a = label_in(run, a, "A");
    const std::string label_b = label_in(run, b, "B");
    for (const auto& [given, label] : {std::pair{a, label_a}, std::pair{b, label_b}}) {
      if (label.empty()) {
        throw UsageError(fmt::format("--between: no revision '{}' in the run of {} started {} (it has {})", given,
                                     run.scenario_name, run.started_at, fmt::join(labels, ", ")));
      }
    }
    if (label_a == label_b) throw UsageError("--between: A and B are the same revision (" + label_a + ")");
    if (i == 0) {
      sides.baseline_label = label_a;
      sides.current_label = label_b;
    }
    sides.baseline.push_back(side_of(run, label_a, static_cast<int>(i)));
    sides.current.push_back(side_of(run, label_b, static_cast<int>(i)));
  }
  return sides;
}

}  // namespace bench::compare
