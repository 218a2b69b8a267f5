#pragma once
// bench run's side of a fleet: one cell's measurement as `mpirun ... bench load --json ...` (or a scenario's own
// launcher command), read back from rank 0's JSON into the load engine's Result, so the rest of bench run (cells,
// warnings, results) does not know the load came from many hosts.

#include "load/engine.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace bench::fleet {

// Where and how the fleet runs (a scenario's load.ranks / load.hosts / load.launcher).
struct FleetSpec {
  int ranks = 0;                   // mpirun -np; 0 with an empty launcher = no fleet (the in-process engine)
  std::vector<std::string> hosts;  // mpirun --host a,b (empty: mpirun's default, e.g. a Slurm allocation)
  std::string launcher;            // replaces "mpirun -np N --host ...": split at spaces, no shell quoting
  bool enabled() const { return ranks > 0 || !launcher.empty(); }
};

// The command line: launcher (or mpirun with --allow-run-as-root when root, --oversubscribe, -np, --host), then
// `bench load --json` with the options' flags (-c -t -d --timeout -R --pipeline -H -m --body --warmup) and the URL.
std::vector<std::string> fleet_command(const FleetSpec& fleet, const load::Options& options,
                                       const std::filesystem::path& bench);

// Rank 0's --json (run_fleet_load) as a Result; `options` are the ones asked for. Throws std::runtime_error when it
// is not a fleet report.
load::Result result_from_fleet_json(const nlohmann::json& json, const load::Options& options);

// Rank 0's report out of what the fleet's command wrote on stdout: the JSON document from a line "{" to the last
// line "}" (rank 0 prints it indented), so a line the launcher or a remote daemon printed before or after it does not
// hide it. Throws std::runtime_error quoting the start of the output when there is no such document.
nlohmann::json fleet_report_from_output(const std::string& output);

// Runs the command under the supervisor (its output in `log`, stdout in `log`.json), waits, stops it when *stop
// becomes true, and returns the fleet's result. Throws std::runtime_error naming the exit code and the log when the
// fleet produced no report (a rank died, mpirun could not start the ranks).
load::Result run_on_fleet(const FleetSpec& fleet, const load::Options& options, const std::filesystem::path& log,
                          const std::atomic<bool>* stop);

}  // namespace bench::fleet
