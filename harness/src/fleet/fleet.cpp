#include "fleet/fleet.h"

#include "fleet/merge.h"
#include "fleet/share.h"
#include "load/result_json.h"
#include "load/wrk_output.h"
#include "stats/histogram.h"
#include "util/errors.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef BENCH_HAVE_MPI
#include <mpi.h>
#endif

namespace bench::fleet {

#ifdef BENCH_HAVE_MPI

namespace {

// MPI_Finalize on every way out, exceptions included.
struct MpiSession {
  MpiSession() {
    if (MPI_Init(nullptr, nullptr) != MPI_SUCCESS) throw std::runtime_error("MPI_Init failed");
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

std::string processor_name() {
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  MPI_Get_processor_name(name, &length);
  return std::string(name, static_cast<size_t>(std::max(0, length)));
}

// Every rank's report on rank 0 (empty elsewhere): the lengths first, then the bytes (MPI_Gatherv).
std::vector<std::string> gather_reports(const std::string& mine, int rank, int ranks) {
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(static_cast<size_t>(rank == 0 ? ranks : 0));
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(lengths.size());
  if (rank == 0 && !lengths.empty()) std::exclusive_scan(lengths.begin(), lengths.end(), offsets.begin(), 0);
  std::vector<char> all(rank == 0 ? static_cast<size_t>(std::accumulate(lengths.begin(), lengths.end(), 0)) : 0);
  MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0,
              MPI_COMM_WORLD);
  std::vector<std::string> reports;
  for (size_t i = 0; i < lengths.size(); ++i)
    reports.emplace_back(all.data() + offsets[i], static_cast<size_t>(lengths[i]));
  return reports;
}

}  // namespace

bool launched_by_mpirun() { return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr; }

int run_fleet_load(const load::Options& total, const Output& output, const std::atomic<bool>* stop) {
  MpiSession session;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  load::Options share;
  try {
    share = rank_share(total, rank, ranks);  // the same on every rank: all of them refuse, or none
    share.drain = true;
    load::validate(share);
  } catch (const UsageError&) {
    if (rank == 0) throw;
    return exit_code::usage;
  }

  // Every rank starts its window when the slowest one is ready to: the windows overlap to within the barrier's
  // latency (microseconds on a LAN), not the spread of process start-up times.
  MPI_Barrier(MPI_COMM_WORLD);
  load::Result result;
  result.options = share;
  std::string failure;
  try {
    result = load::run(share, stop);
  } catch (const std::exception& e) {
    failure = e.what();  // still report, so that rank 0 is not left waiting and says which rank failed
  }
  const auto reports = gather_reports(rank_report(rank, processor_name(), result, failure), rank, ranks);
  if (rank != 0) return exit_code::ok;

  std::vector<RankSummary> summaries;
  const load::Result merged = merge_reports(total, reports, summaries);
  if (output.json) {
    nlohmann::json json = load::result_to_json(merged);
    json["fleet"] = ranks_to_json(summaries);
    fmt::print("{}\n", json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}{}", load::format_wrk(merged, output.latency), format_ranks(summaries));
  }
  std::fflush(stdout);
  const bool failed = std::any_of(summaries.begin(), summaries.end(), [](const auto& r) { return !r.failure.empty(); });
  if (merged.interrupted) return exit_code::interrupted;
  return failed ? exit_code::failure : exit_code::ok;
}

#else  // built without MPI

bool launched_by_mpirun() {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr)
    fmt::print(stderr, "bench: built without MPI (libopenmpi-dev): this rank runs the whole load on its own\n");
  return false;
}

int run_fleet_load(const load::Options&, const Output&, const std::atomic<bool>*) {
  throw std::logic_error("bench was built without MPI");
}

#endif

}  // namespace bench::fleet
