#include "history/history.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report/synthetic.h"
#include "util/errors.h"

namespace {

using bench::history::build_history;
using bench::history::GroupBy;
using bench::report::Run;
using bench::report::testing::synthetic_run;
using bench::report::testing::SyntheticSpec;

// Ten nightly runs of the seed's ladder on one machine; from run `slow_from` (1-based) on, "orm" is `factor` as fast.
struct Nightlies {
  std::vector<Run> runs;
  std::vector<std::string> files;
};

Nightlies nightlies(int slow_from, double factor, int count = 10) {
  Nightlies out;
  for (int i = 1; i <= count; ++i) {
    SyntheticSpec spec;
    spec.seed = static_cast<std::uint64_t>(i);
    spec.noise = 0.02;
    if (i >= slow_from) spec.variants[4].factor = factor;  // orm
    auto run = synthetic_run(spec);
    run.started_at = fmt::format("2026-11-{:02}T02:00:00Z", i);
    out.runs.push_back(std::move(run));
    out.files.push_back(fmt::format("nightly-{:02}.json", i));
  }
  return out;
}

}  // namespace

TEST_CASE("history: a 15% step in one variant is named at its run, the others stay flat") {
  auto n = nightlies(6, 0.85);
  // Files given out of order: runs are placed by their start time.
  std::swap(n.runs[0], n.runs[9]);
  std::swap(n.files[0], n.files[9]);
  const auto history = build_history(n.runs, n.files, "rps", GroupBy::host, {});
  REQUIRE(history.groups.size() == 1);
  const auto& group = history.groups[0];
  REQUIRE(group.runs.size() == 10);
  REQUIRE(group.runs[0].file == "nightly-01.json");
  std::size_t with_changes = 0;
  for (const auto& series : group.series) {
    if (series.changes.empty()) continue;
    ++with_changes;
    CAPTURE(series.key.variant, series.key.test);
    REQUIRE(series.key.variant == "orm");
    REQUIRE(series.changes.size() == 1);
    REQUIRE(series.changes[0].index == 5);  // run #6
    REQUIRE(series.changes[0].change == Approx(-0.15).margin(0.03));
    REQUIRE(series.worse_now);
  }
  REQUIRE(with_changes == 2);  // orm's db and queries rows
  REQUIRE(history.worse_now());
  const auto markdown = bench::history::render_markdown(history);
  CAPTURE(markdown);
  REQUIRE(markdown.find("| #6 |") != std::string::npos);
  REQUIRE(markdown.find("**WORSE**") != std::string::npos);
  REQUIRE(markdown.find("▼ ") != std::string::npos);
}

TEST_CASE("history: noise only names no change and does not gate") {
  const auto n = nightlies(99, 1.0);
  const auto history = build_history(n.runs, n.files, "rps", GroupBy::host, {});
  for (const auto& series : history.groups.at(0).series) REQUIRE(series.changes.empty());
  REQUIRE_FALSE(history.worse_now());
  REQUIRE(bench::history::render_markdown(history).find("No change found.") != std::string::npos);
}

TEST_CASE("history: a step for the better does not gate, and latency's direction is lower-is-better") {
  const auto faster = nightlies(6, 1.25);
  const auto rps = build_history(faster.runs, faster.files, "rps", GroupBy::host, {});
  REQUIRE_FALSE(rps.worse_now());
  // Faster throughput at the same connections is lower latency (Little's law): better on p99 as well.
  const auto p99 = build_history(faster.runs, faster.files, "p99", GroupBy::host, {});
  bool found = false;
  for (const auto& series : p99.groups.at(0).series) found = found || !series.changes.empty();
  REQUIRE(found);
  REQUIRE_FALSE(p99.worse_now());
  const auto slower = nightlies(6, 0.8);
  REQUIRE(build_history(slower.runs, slower.files, "p99", GroupBy::host, {}).worse_now());
}

TEST_CASE("history: a regression that was fixed no longer gates") {
  auto n = nightlies(4, 0.8, 12);
  for (int i = 8; i < 12; ++i) {  // runs 9 to 12 are back to the old speed
    SyntheticSpec spec;
    spec.seed = static_cast<std::uint64_t>(i + 1);
    spec.noise = 0.02;
    auto run = synthetic_run(spec);
    run.started_at = n.runs[static_cast<std::size_t>(i)].started_at;
    n.runs[static_cast<std::size_t>(i)] = std::move(run);
  }
  const auto history = build_history(n.runs, n.files, "rps", GroupBy::host, {});
  bool two_changes = false;
  for (const auto& series : history.groups.at(0).series) two_changes = two_changes || series.changes.size() == 2;
  REQUIRE(two_changes);
  REQUIRE_FALSE(history.worse_now());
}

TEST_CASE("history: runs from different machines are grouped apart, never one series") {
  auto n = nightlies(6, 0.85);
  // Runs 6 to 10 were made on another host: each machine's series is flat, so no change.
  for (std::size_t i = 5; i < 10; ++i) {
    SyntheticSpec spec;
    spec.seed = 100 + i;
    spec.noise = 0.02;
    spec.speed = 0.5;  // a machine at half the speed
    auto run = synthetic_run(spec);
    run.environment.hostname = "other-host";
    run.started_at = n.runs[i].started_at;
    n.runs[i] = std::move(run);
  }
  const auto by_host = build_history(n.runs, n.files, "rps", GroupBy::host, {});
  REQUIRE(by_host.groups.size() == 2);
  REQUIRE_FALSE(by_host.worse_now());
  // Grouped by machine type, the same runs are one series per row, and the halving is a change.
  const auto by_type = build_history(n.runs, n.files, "rps", GroupBy::cpu, {});
  REQUIRE(by_type.groups.size() == 1);
  REQUIRE(by_type.worse_now());
}

TEST_CASE("history: failed cells leave a gap, and the CSV and HTML carry every point") {
  auto n = nightlies(6, 0.85);
  for (auto& cell : n.runs[2].cells) {
    if (cell.variant == "orm") cell.status = "failed";
  }
  const auto history = build_history(n.runs, n.files, "rps", GroupBy::host, {});
  bool gap = false;
  for (const auto& series : history.groups.at(0).series) {
    if (series.key.variant != "orm") continue;
    gap = !series.values[2].has_value();
    REQUIRE(series.changes.size() == 1);
    REQUIRE(series.changes[0].index == 5);
  }
  REQUIRE(gap);
  const auto csv = bench::history::render_csv(history);
  // A header and a line per series and run: 5 variants x 2 tests x 10 runs.
  REQUIRE(std::count(csv.begin(), csv.end(), '\n') == 1 + 5 * 2 * 10);
  REQUIRE(csv.find(",6,2026-11-06T02:00:00Z,") != std::string::npos);
  const auto html = bench::history::render_html(history);
  REQUIRE(html.find("<svg class=\"chart\"") != std::string::npos);
  REQUIRE(html.find("line class=\"worse\"") != std::string::npos);
  REQUIRE(html.find("<script") == std::string::npos);  // offline: no script, nothing fetched
  REQUIRE(html.find("http") == std::string::npos);
}

TEST_CASE("history: an unknown metric is a usage error naming --metric") {
  const auto n = nightlies(6, 0.85, 2);
  REQUIRE_THROWS_WITH(build_history(n.runs, n.files, "speed", GroupBy::host, {}), Catch::Contains("--metric"));
}
