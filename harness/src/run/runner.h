#pragma once
// `bench run`: one whole experiment, unattended. For each pass of the plan (plan.h): build the variant once, start
// it, wait until it answers, verify it once, warm up and measure each cell, stop it; around each measurement the
// probes record database statements and the server's CPU and memory. The results file is rewritten atomically
// after every cell, so neither a crash nor Ctrl-C loses what was measured.
//
// Failures are results: a variant that fails to build, start or verify is marked failed (reason and log tail) and
// the others still run. Ctrl-C / SIGTERM stop everything started (servers, builds, PostgreSQL) and the run is
// saved as interrupted.

#include "report/result.h"
#include "run/console.h"
#include "scenario/scenario.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bench::run {

struct RunOptions {
  std::filesystem::path results_root = "results";  // the run writes results_root/<timestamp>-<scenario>/
  int repeat = 0;                                   // > 0 overrides load.repeat
  std::vector<std::string> only;                    // run only these servers (empty: all)
  std::optional<std::string> dsn;                   // use this existing database instead of the scenario's
  bool seed = false;                                // with dsn: load the TechEmpower tables there
  bool print_cells = true;                          // print the wrk-like block of each cell
  std::vector<std::string> overrides;               // command-line overrides applied ("duration=2s"), recorded
  std::vector<report::Revision> revisions;          // --revisions: recorded in the results (revisions/revisions.h)
};

struct RunSummary {
  int exit_code = 0;                   // util/errors.h: ok, failure (a variant or cell failed), interrupted
  std::filesystem::path results_file;
};

// Servers get the port and the address to listen on in these variables (and the database in DATABASE_URL, PG*;
// see docs/scenario.md).
inline constexpr const char* kPortVariable = "PORT";
inline constexpr const char* kHostVariable = "BENCH_HOST";
inline constexpr const char* kPoolSizeVariable = "BENCH_DB_POOL_SIZE";
inline constexpr const char* kVariantVariable = "BENCH_VARIANT";
// How long a build may take. (How long a server gets between SIGTERM and SIGKILL is its `stop_grace:`.)
inline constexpr auto kBuildTimeout = std::chrono::minutes(10);

// Runs the scenario. Throws UsageError for bad options (unknown --server, unwritable results folder) before
// anything starts; everything after that is reported in the results, not thrown.
RunSummary run_scenario(const scenario::Scenario& scenario, const RunOptions& options, Console& console);

}  // namespace bench::run
