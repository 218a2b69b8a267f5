#include "compare/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "stats/statistics.h"
#include "util/errors.h"

namespace bench::compare {
namespace {

using report::Row;

// The current run's record of a variant that failed (build, start, verification), or null.
const report::Variant* failed_variant(const report::Table& table, const std::string& name) {
  for (const auto& variant : table.variant_info) {
    if (variant.name == name && variant.status == "failed") return &variant;
  }
  return nullptr;
}

std::string scenario_names(const std::vector<report::Run>& runs) {
  std::string names;
  for (const auto& run : runs) {
    if (names.find(run.scenario_name) == std::string::npos) names += (names.empty() ? "" : ", ") + run.scenario_name;
  }
  return names;
}

// A row of the baseline judged against the current run's row of the same key (null when the current run has none).
RowComparison baseline_row(const Row& row, const Row* current_row, const report::Table& current,
                           const report::Field& field, const Options& options, bool higher_is_better) {
  RowComparison r;
  r.key = row.key;
  const auto base_values = report::values(row, field);
  r.baseline_n = base_values.size();
  if (!base_values.empty()) r.baseline = stats::median(base_values);
  if (current_row == nullptr) {
    if (const auto* broken = failed_variant(current, row.key.variant)) {
      r.verdict = Verdict::failed;  // the variant broke before measuring: no cells, but not a smaller scenario
      r.note = "the variant failed in the current run: " + broken->reason;
    } else {
      r.verdict = Verdict::only_baseline;
    }
    return r;
  }
  const auto cur_values = report::values(*current_row, field);
  r.current_n = cur_values.size();
  if (base_values.empty() && cur_values.empty()) {
    r.verdict = Verdict::no_samples;
    r.note = "no successful measurement on either side";
  } else if (cur_values.empty()) {
    r.verdict = Verdict::failed;
    r.note = "no successful measurement in the current run";
  } else if (base_values.empty()) {
    r.current = stats::median(cur_values);
    r.verdict = Verdict::only_current;
    r.note = "no successful measurement in the baseline";
  } else if (options.paired) {
    const auto pairs = pairs_of(row, *current_row, field);
    judge_paired(r, pairs, options, higher_is_better);
    if (pairs.size() < std::max(base_values.size(), cur_values.size())) {
      r.note += fmt::format("{}{} of {} and {} samples paired by repeat", r.note.empty() ? "" : "; ", pairs.size(),
                            base_values.size(), cur_values.size());
    }
    note_contention(r, &row, current_row);
  } else {
    judge(r, base_values, cur_values, options, higher_is_better);
    note_contention(r, &row, current_row);
  }
  return r;
}

// A row only the current run measured.
RowComparison current_only_row(const Row& row, const report::Field& field) {
  RowComparison r;
  r.key = row.key;
  const auto cur_values = report::values(row, field);
  r.current_n = cur_values.size();
  if (!cur_values.empty()) r.current = stats::median(cur_values);
  r.verdict = Verdict::only_current;
  return r;
}

// File-level remarks: rows not judged or without control, inconclusive rows, incomplete runs, other scenarios.
void add_notes(Comparison& out, const std::vector<report::Run>& baseline, const std::vector<report::Run>& current,
               const Options& options) {
  if (out.not_judged() > 0) {
    out.notes.push_back(
        fmt::format("{} row(s) could not be judged (one side only, or no successful sample): the "
                    "comparison is incomplete",
                    out.not_judged()));
  }
  if (out.without_control() > 0) {
    out.notes.push_back(
        fmt::format("{} row(s) have no measured control {}: name a control measured at every test "
                    "compared (VARIANT/TEST divides every test by one)",
                    out.without_control(), options.relative_to));
  }
  if (out.inconclusive() > 0) {
    out.notes.push_back(
        fmt::format("{} row(s) changed beyond the threshold but the samples cannot decide: run both "
                    "sides with --repeat {} (or pass --threshold-only to let the threshold alone "
                    "decide)",
                    out.inconclusive(), out.repeats_needed()));
  }
  for (const auto* side : {&baseline, &current}) {
    for (const auto& run : *side) {
      if (run.status != "complete") {
        out.notes.push_back(fmt::format("{} run of {} started {} is {}, not complete: some cells may be missing",
                                        side == &baseline ? "the baseline" : "the current", run.scenario_name,
                                        run.started_at, run.status.empty() ? "of unknown status" : run.status));
      }
    }
  }
  if (scenario_names(baseline) != scenario_names(current)) {
    out.notes.push_back(fmt::format("different scenario names: baseline {}, current {}", scenario_names(baseline),
                                    scenario_names(current)));
  }
}

}  // namespace

int Comparison::regressions() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::regression || row.verdict == Verdict::failed;
  return n;
}

int Comparison::inconclusive() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::inconclusive;
  return n;
}

std::size_t Comparison::repeats_needed() const {
  std::size_t n = 0;
  for (const auto& row : rows) n = std::max(n, row.repeats_needed);
  return n;
}

int Comparison::not_judged() const {
  int n = 0;
  for (const auto& row : rows)
    n += row.verdict == Verdict::only_baseline || row.verdict == Verdict::only_current ||
         row.verdict == Verdict::no_samples;
  return n;
}

int Comparison::without_control() const {
  int n = 0;
  for (const auto& row : rows) n += row.verdict == Verdict::no_control;
  return n;
}

int Comparison::exit_code() const {
  if (without_control() > 0) return bench::exit_code::usage;
  if (regressions() > 0) return bench::exit_code::failure;
  if (inconclusive() > 0 || not_judged() > 0) return compare::exit_code::inconclusive;
  return bench::exit_code::ok;
}

Comparison compare(const std::vector<report::Run>& baseline_runs, const std::vector<report::Run>& current_runs,
                   const Options& options) {
  const report::Field& field = metric_field(options.metric);
  Comparison out;
  out.metric = options.metric;
  out.metric_header = field.header;
  out.higher_is_better = field.better == report::Better::higher;
  out.threshold = options.threshold;
  out.threshold_only = options.threshold_only;
  out.relative_to = options.relative_to;
  out.paired = options.paired;

  std::set<report::Key> without_control;
  const auto& baseline = options.relative_to.empty()
                             ? baseline_runs
                             : relative_runs(baseline_runs, options.relative_to, options.metric, &without_control);
  const auto& current = options.relative_to.empty()
                            ? current_runs
                            : relative_runs(current_runs, options.relative_to, options.metric, &without_control);

  const report::Table base = report::combine(baseline);
  const report::Table cur = report::combine(current);
  std::map<report::Key, const Row*> current_rows;
  for (const auto& row : cur.rows) current_rows[row.key] = &row;

  int common = 0;  // rows both sides speak of (a variant failed in the current run counts)
  for (const auto& row : base.rows) {
    const auto it = current_rows.find(row.key);
    const Row* current_row = it == current_rows.end() ? nullptr : it->second;
    if (current_row != nullptr) current_rows.erase(it);
    out.rows.push_back(baseline_row(row, current_row, cur, field, options, out.higher_is_better));
    common += out.rows.back().verdict != Verdict::only_baseline;
  }
  for (const auto& row : cur.rows) {
    if (current_rows.count(row.key)) out.rows.push_back(current_only_row(row, field));
  }
  // Rows whose every cell lacked the control: listed with the reason, never dropped.
  std::set<report::Key> listed;
  for (const auto& r : out.rows) listed.insert(r.key);
  for (const auto& key : without_control) {
    if (listed.count(key)) continue;
    RowComparison r;
    r.key = key;
    r.verdict = Verdict::no_control;
    r.note = fmt::format("{} has no measurement at this test and level to divide by", options.relative_to);
    out.rows.push_back(std::move(r));
    ++common;
  }
  if (common == 0) {
    throw UsageError(
        fmt::format("the scenarios do not match: baseline ({}) and current ({}) have no variant x test x "
                    "level in common, nothing to compare",
                    scenario_names(baseline), scenario_names(current)));
  }
  add_notes(out, baseline, current, options);
  out.environment = environment_differences(baseline, current);
  return out;
}

}  // namespace bench::compare
