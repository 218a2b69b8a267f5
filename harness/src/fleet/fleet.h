#pragma once
// `mpirun -np N [--host ...] bench load ... URL`: a client fleet on Open MPI (docs/distributed.md). Every rank runs
// the load engine on its share of the connections and rate (share.h), all start their window together after a
// barrier, and rank 0 gathers every rank's counters and histograms (merge.h) and prints one report for the fleet.
// Open MPI does the launching (ssh, Slurm, Kubernetes' MPI Operator), the barrier and the gathering: no home-made
// agent protocol.

#include "load/engine.h"

#include <atomic>

namespace bench::fleet {

// Whether this process is a rank started by mpirun (Open MPI sets OMPI_COMM_WORLD_SIZE in every rank). In a build
// without MPI (no libopenmpi-dev at configure time) it says on stderr that each rank runs the whole load alone, and
// returns false.
bool launched_by_mpirun();

// What rank 0 prints.
struct Output {
  bool json = false;     // load::result_to_json for the fleet, plus "fleet": ranks_to_json
  bool latency = false;  // wrk's --latency distribution
};

// Runs this rank's share of `total` and, on rank 0, prints the fleet's report in wrk's layout followed by the
// per-rank table (or the JSON). Every rank drains its requests in flight at the end (load::Options::drain), so the
// fleet's requests + drained_requests is what the servers answered. Returns the exit code: on rank 0 130 when
// interrupted, 1 when a rank failed, else 0; other ranks 0. Throws bench::UsageError (rank 0 only; the others
// return 2 quietly) for options no rank can run.
int run_fleet_load(const load::Options& total, const Output& output, const std::atomic<bool>* stop);

}  // namespace bench::fleet
