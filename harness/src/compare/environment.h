#pragma once
// What differs between the machines and software the two sides were measured on: the first suspects of a change
// the code did not make.

#include <string>
#include <vector>

#include "report/result.h"

namespace bench::compare {

// A field of the environment that differs between the sides (CPU model, cores, kernel, a framework's version).
struct EnvironmentDifference {
  std::string field;              // "cpu_model", "frameworks.fastapi"
  std::string baseline, current;  // the values (several joined by ", "; "" when not recorded)
};

// What differs between the environments the two sides were measured in; the servers' reported versions
// (versions.<variant>.<component>, an older run's frameworks.<name>) come first, and the renderings list them
// before the table, as the first suspects of a change.
std::vector<EnvironmentDifference> environment_differences(const std::vector<report::Run>& baseline,
                                                           const std::vector<report::Run>& current);

// A component a server reported (versions.<variant>.<component>, or an older run's frameworks.<name>).
bool is_version(const EnvironmentDifference& difference);

}  // namespace bench::compare
