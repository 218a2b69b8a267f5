#pragma once
// Realistic synthetic results for tests (never linked into bench): a ladder of variants whose figures follow
// Little's law (latency = connections / throughput), single-core CPU cost and a seeded multiplicative noise, so
// report and compare tests know exactly which differences they planted.

#include <cstdint>
#include <string>
#include <vector>

#include "report/result.h"

namespace bench::report::testing {

struct SyntheticVariant {
  std::string name;
  double db_rps;       // requests/s on /db; /queries?queries=20 runs at db_rps / 8
  double factor = 1.0; // multiplies every throughput of this variant (plant a regression with 0.8)
};

struct SyntheticSpec {
  std::string scenario_name = "orm-ladder";
  std::vector<SyntheticVariant> variants = {
      {"raw", 9100}, {"text", 3900}, {"core", 3300}, {"baked", 2720}, {"orm", 2070}};
  std::vector<int> connections = {64};
  int repeats = 5;
  double noise = 0.03;  // each sample is multiplied by a uniform factor in [1 - noise, 1 + noise]
  uint64_t seed = 1;
  double speed = 1.0;   // the machine: multiplies every throughput (0.7: a 30% slower runner)
  double drift = 0.0;   // each repeat's throughputs share one factor in [1 - drift, 1 + drift] (a busy minute)
  double p99_factor = 1.0;  // multiplies every p99 (a tail regression that leaves throughput alone)
};

// The seed's ladder by default: tests db (no query level) and queries (q=20), one level, `repeats` repeats
// interleaved as bench run measures them.
Run synthetic_run(const SyntheticSpec& spec);

}  // namespace bench::report::testing
