#pragma once
// bench history: many results files of one scenario (nightly runs) as series, one per machine, variant, test and
// level, each point one run's median; change points found in each (change_point.h); the verdict for a nightly
// gate. docs/history.md describes the method and the output.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "history/change_point.h"
#include "report/aggregate.h"
#include "report/fields.h"
#include "report/result.h"

namespace bench::history {

// How runs are grouped into machines: never mixed into one series.
enum class GroupBy {
  host,  // CPU model, cores and hostname: one machine
  cpu,   // CPU model and cores: machines of one type (runners from one pool)
};

// One results file, as a point on the time axis.
struct RunInfo {
  std::string file;        // as given
  std::string started_at;  // ISO 8601 UTC; runs are ordered by it, then by file
  std::string commit;      // the bench commit the run recorded (environment.bench_commit)
  std::string status;      // the run's status: complete, interrupted, failed
};

// One variant x test x level across the runs of a group.
struct Series {
  report::Key key;
  std::vector<std::optional<double>> values;  // one per run of the group: the median of its ok cells, or none
  std::vector<ChangePoint> changes;           // indices are run indices of the group
  // The last change, when it is for the worse (by the metric's direction): the latest run is past it.
  bool worse_now = false;
};

struct Group {
  std::string scenario;        // the runs' scenario name
  std::string machine;         // "AMD EPYC 7B13, 2 cores, host-1" (GroupBy::cpu leaves the host out)
  std::vector<RunInfo> runs;   // ordered by started_at, then file
  std::vector<Series> series;  // in key order
};

struct History {
  std::string metric;                    // the --metric name ("rps")
  const report::Field* field = nullptr;  // what it reads, with its unit and direction
  ChangePointOptions options;
  std::vector<Group> groups;  // ordered by scenario, then machine
  bool worse_now() const;     // any series' last change is for the worse
};

// Whether a change (after / before - 1) of the field is for the worse: lower where higher is better, and the other
// way round.
bool is_worse(const report::Field& field, double change);

// Sorts `runs` (paired with their file names) into groups and series and finds the change points. Throws
// UsageError naming --metric for an unknown metric.
History build_history(const std::vector<report::Run>& runs, const std::vector<std::string>& files,
                      const std::string& metric, GroupBy group_by, const ChangePointOptions& options);

// The results files of a folder: its *.json files (not recursive), sorted by name. Throws UsageError when the
// folder cannot be read or holds more than kMaxHistoryFiles of them.
inline constexpr std::size_t kMaxHistoryFiles = 2'000;  // five years of nightly runs; the search is O(runs^2)
std::vector<std::string> results_files_in(const std::string& folder);

// Renderings: markdown (changes first, then each group's runs and a table of every series across its runs), CSV (a
// row per series and run) and HTML (the markdown's tables with a chart per series, offline).
std::string render_markdown(const History& history);
std::string render_csv(const History& history);
std::string render_html(const History& history);

}  // namespace bench::history
