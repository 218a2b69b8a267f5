#pragma once
// `bench run`'s command-line overrides of the scenario (-d, --warmup, -c, -R, --only): applied once, after the
// scenario is parsed and validated, with the same limits the YAML has; an error names the flag (exit 2).
// What was overridden is kept as text ("duration=2s") so the results can say what was run.

#include "scenario/scenario.h"

#include <optional>
#include <string>
#include <vector>

namespace bench::run {

// As typed on the command line; empty / nullopt = keep the scenario's value.
struct Overrides {
  std::optional<std::string> duration;  // -d: "10s", "2m"
  std::optional<std::string> warmup;    // --warmup: "0s" turns it off
  std::vector<int> connections;         // -c 16,64: replaces load.connections and every test's own levels
  std::optional<double> rate;           // -R: total requests/s, 0 = closed loop
  std::vector<std::string> only;        // --only a,b: the variants to run
};

// Applies the overrides to `scenario` (throws UsageError naming the flag for a bad value or an unknown variant,
// with the closest name as a suggestion). Returns one "key=value" per override, for the results.
std::vector<std::string> apply_overrides(scenario::Scenario& scenario, const Overrides& overrides);

}  // namespace bench::run
