#pragma once
// One measured cell as the result model stores it: the load engine's figures, what the probes saw around the
// measured phase (database statements, the server's process group), and the warnings that say when a figure
// should not be trusted.

#include "database/query_stats.h"
#include "load/engine.h"
#include "report/result.h"
#include "run/contention.h"
#include "supervisor/group_monitor.h"

#include <optional>
#include <string>

namespace bench::run {

// Above this share of failed or non-2xx/3xx requests a cell is flagged (issue #3: 0.1%).
inline constexpr double kErrorShareWarning = 0.001;
// Client CPU above this share of its threads' time means the load generator itself may be the bottleneck.
inline constexpr double kClientSaturationWarning = 0.9;

// What the probes measured over the measured phase; each part is absent when it could not be measured.
struct ProbeFigures {
  std::optional<database::QueryCounts> queries;  // pg_stat_statements delta
  std::optional<supervisor::GroupStats> server;  // the server's process group
  std::optional<supervisor::GroupStats> database;  // the embedded PostgreSQL: postmaster and its children
  bool server_exited = false;                    // the server was gone at the end of the cell
  std::optional<model::Contention> contention;   // the machine's CPU used by others in the window
};

// Identity of the cell in the run.
struct CellKey {
  std::string variant, test;
  int connections = 0, queries = 0, repeat = 0;
};

// Builds the stored cell: load figures, per-request database and CPU costs, and every warning that applies.
report::Cell make_cell(const CellKey& key, const load::Result& result, const ProbeFigures& probes);

// The warnings alone (also used by tests): error share, client saturation, rate shortfall, server death or restart,
// plus the load engine's own.
std::vector<report::Warning> trust_warnings(const load::Result& result, const ProbeFigures& probes);

}  // namespace bench::run
