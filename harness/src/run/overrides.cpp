#include "run/overrides.h"

#include "scenario/suggest.h"
#include "util/errors.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace bench::run {

namespace {

// The same ceiling as the scenario's own connection levels would need: beyond it file descriptors run out.
constexpr int kMaxConnections = 100000;

Nanos duration_flag(const std::string& flag, const std::string& text, bool zero_ok) {
  Nanos value{};
  try {
    value = parse_duration(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("{}: '{}': {}", flag, text, e.what()));
  }
  if (!zero_ok && value.count() == 0) throw UsageError(fmt::format("{}: must be more than 0", flag));
  return value;
}

}  // namespace

std::vector<std::string> apply_overrides(scenario::Scenario& scenario, const Overrides& o) {
  std::vector<std::string> applied;
  if (o.duration) {
    scenario.load.duration = duration_flag("-d/--duration", *o.duration, false);
    applied.push_back("duration=" + format_duration(scenario.load.duration));
  }
  if (o.warmup) {
    scenario.load.warmup = duration_flag("--warmup", *o.warmup, true);
    applied.push_back("warmup=" + format_duration(scenario.load.warmup));
  }
  if (!o.connections.empty()) {
    for (const int c : o.connections) {
      if (c < 1 || c > kMaxConnections)
        throw UsageError(fmt::format("-c/--connections: {} is out of range 1..{}", c, kMaxConnections));
    }
    scenario.load.connections = o.connections;
    for (auto& test : scenario.tests) test.connections.clear();  // the flag means every test, at these levels
    applied.push_back(fmt::format("connections={}", fmt::join(o.connections, ",")));
  }
  if (o.rate) {
    if (!(*o.rate >= 0)) throw UsageError(fmt::format("-R/--rate: {} must be 0 (closed loop) or more", *o.rate));
    scenario.load.rate = *o.rate;
    applied.push_back(fmt::format("rate={}", *o.rate));
  }
  if (!o.only.empty()) {
    std::vector<std::string_view> names;
    for (const auto& server : scenario.servers) names.push_back(server.name);
    for (const auto& wanted : o.only) {
      if (std::find(names.begin(), names.end(), wanted) != names.end()) continue;
      const auto guess = scenario::closest_match(wanted, names);
      throw UsageError(fmt::format("--only: no server named '{}' in {}{}", wanted, scenario.file.string(),
                                   guess ? fmt::format("; did you mean '{}'?", *guess) : ""));
    }
    applied.push_back(fmt::format("only={}", fmt::join(o.only, ",")));
  }
  return applied;
}

}  // namespace bench::run
