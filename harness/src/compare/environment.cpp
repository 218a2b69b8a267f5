#include "compare/environment.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

namespace bench::compare {
namespace {

std::string joined(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

}  // namespace

bool is_version(const EnvironmentDifference& d) {
  return d.field.rfind("versions.", 0) == 0 || d.field.rfind("frameworks.", 0) == 0;
}

std::vector<EnvironmentDifference> environment_differences(const std::vector<report::Run>& baseline,
                                                           const std::vector<report::Run>& current) {
  using Pick = std::function<std::string(const report::Environment&)>;
  std::vector<std::pair<std::string, Pick>> fields = {
      {"cpu_model", [](const report::Environment& e) { return e.cpu_model; }},
      {"cores", [](const report::Environment& e) { return e.cores > 0 ? std::to_string(e.cores) : ""; }},
      {"kernel", [](const report::Environment& e) { return e.kernel; }},
      {"postgres_version", [](const report::Environment& e) { return e.postgres_version; }},
  };
  std::set<std::string> frameworks;
  for (const auto* side : {&baseline, &current}) {
    for (const auto& run : *side) {
      for (const auto& [name, version] : run.environment.frameworks) frameworks.insert(name);
    }
  }
  for (const auto& name : frameworks) {
    fields.emplace_back("frameworks." + name, [name](const report::Environment& e) {
      const auto it = e.frameworks.find(name);
      return it == e.frameworks.end() ? std::string() : it->second;
    });
  }
  std::vector<EnvironmentDifference> out;
  for (const auto& [field, pick] : fields) {
    std::set<std::string> base, cur;
    for (const auto& run : baseline) base.insert(pick(run.environment));
    for (const auto& run : current) cur.insert(pick(run.environment));
    // A field one side did not record (an older bench) is not a difference: nothing says the machines differ.
    if (base == std::set<std::string>{""} || cur == std::set<std::string>{""}) continue;
    if (base != cur) out.push_back({field, joined(base), joined(cur)});
  }
  // What each server reported about itself (the scenario's `versions:`): "versions.<variant>.<component>". A
  // component one side did not report is not a difference.
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> reported;
  for (const auto* side : {&baseline, &current}) {
    for (const auto& run : *side) {
      for (const auto& variant : run.variants) {
        for (const auto& [component, version] : variant.versions) {
          auto& sides = reported["versions." + variant.name + "." + component];
          (side == &baseline ? sides.first : sides.second).insert(version);
        }
      }
    }
  }
  for (const auto& [field, sides] : reported) {
    if (!sides.first.empty() && !sides.second.empty() && sides.first != sides.second) {
      out.push_back({field, joined(sides.first), joined(sides.second)});
    }
  }
  std::stable_partition(out.begin(), out.end(), is_version);  // versions first: the first suspects of a change
  return out;
}

}  // namespace bench::compare
