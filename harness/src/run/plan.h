#pragma once
// The run's order of work: a scenario expanded into passes (one server start each) and the cells measured in
// each pass. Pure: no I/O, so the order can be tested from a scenario string.
//
// Repeats are interleaved (A B A B ...): repeat r of every variant runs before repeat r+1 of any, so that drift of
// the machine hits all variants alike; copies of one server at several revisions (--revisions) alternate their
// order, A B then B A, so each pair of repeats is measured side by side (docs/ci.md). Within a pass a variant's tests run in the server's order, connection
// levels in the scenario's order, query levels (queries, updates) at the largest connection level.

#include "scenario/scenario.h"

#include <string>
#include <vector>

namespace bench::run {

// One measurement to take.
struct CellPlan {
  const scenario::TestSpec* test = nullptr;
  int connections = 0;
  int queries = 0;  // query level for queries/updates, 0 otherwise
  int repeat = 0;   // 0-based

  // The request path: the test's path with the query level appended where it has one.
  std::string path() const;
};

// One start of one server, and what it measures before it is stopped.
struct Pass {
  const scenario::ServerSpec* server = nullptr;
  int repeat = 0;          // 0-based
  bool first = false;      // the variant's first pass: build and verify happen here
  std::vector<CellPlan> cells;
};

// Expands the scenario. `repeat` > 0 overrides load.repeat; `only` (if not empty) keeps only those servers,
// in scenario order (unknown names are the caller's to reject, see unknown_servers).
std::vector<Pass> make_plan(const scenario::Scenario& scenario, int repeat = 0,
                            const std::vector<std::string>& only = {});

// The names in `only` that the scenario has no server for.
std::vector<std::string> unknown_servers(const scenario::Scenario& scenario, const std::vector<std::string>& only);

// Threads for a level: load.threads when set (never above the connections), else min(connections, cores).
int threads_for(const scenario::LoadSpec& load, int connections, int cores);

}  // namespace bench::run
