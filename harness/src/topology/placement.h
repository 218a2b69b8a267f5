#pragma once
// A scenario's `placement:` resolved against this machine: the CPU list of each role that bench run pins, checked
// (every CPU exists and is in bench's own cpuset; overlaps are warnings), and in the form results record.

#include "scenario/scenario.h"
#include "topology/cpu_list.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace bench::topology {

struct Placement {
  std::string rule = "none";  // "none" (nothing pinned), "scenario" (lists as written) or "auto" (split.h)
  CpuList client;             // bench's load threads; empty = not pinned
  CpuList database;           // the embedded PostgreSQL
  CpuList servers;            // every started server not in per_server
  std::map<std::string, CpuList> per_server;
  CpuList allowed;            // the CPUs bench may use (its cpuset), for the record and for the contention measure
  std::vector<std::string> warnings;  // overlaps between roles

  bool pinned() const { return rule != "none"; }
  // The list a started server runs on (per_server, else servers); empty = not pinned.
  const CpuList& server_cpus(const std::string& server) const;
};

// Resolves and checks the scenario's placement against `allowed` (allowed_cpus() in bench run). Throws
// scenario::ScenarioError at the key ("file:line:column: placement.client: CPU 5 is not available to bench
// (allowed: 0-1)"), so bench run exits 2 before anything starts.
Placement resolve_placement(const scenario::Scenario& scenario, const CpuList& allowed);

// The CPUs the placement gives to any role: "ours". The contention measure counts CPU time spent outside these as
// used by others; when nothing is pinned every allowed CPU is ours.
CpuList placed_cpus(const Placement& placement);

// The allowed CPUs no role was given: where only other processes should run.
CpuList unplaced_cpus(const Placement& placement);

// {"rule", "allowed", "client", "database", "servers", "per_server": {name: list}, "warnings": [...]}, lists in
// the Linux list format ("" = not pinned). Recorded in results.json as `placement`.
nlohmann::json to_json(const Placement& placement);

// One line for consoles and reports: "client 0, database 1, servers 1 (auto)"; "none" when nothing is pinned.
std::string describe(const Placement& placement);

}  // namespace bench::topology
