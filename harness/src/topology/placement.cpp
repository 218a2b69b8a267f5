#include "topology/placement.h"

#include "topology/affinity.h"
#include "topology/split.h"

#include <fmt/core.h>

#include <algorithm>

namespace bench::topology {

namespace {

using scenario::CpuListSpec;

void check_available(const CpuListSpec& spec, const CpuList& allowed) {
  if (const auto cpu = first_unavailable(spec.cpus, allowed))
    throw scenario::ScenarioError(spec.where, spec.key + ": " + unavailable_message(*cpu, allowed));
}

// Overlap is allowed (two cores cannot give three roles a core each) but said, since it changes what is measured.
void warn_overlap(Placement& placement, const std::string& a, const CpuList& first, const std::string& b,
                  const CpuList& second) {
  const CpuList shared = cpu_intersection(first, second);
  if (shared.empty()) return;
  placement.warnings.push_back(
      fmt::format("{} and {} share CPU {}: they compete for it", a, b, format_cpu_list(shared)));
}

}  // namespace

const CpuList& Placement::server_cpus(const std::string& server) const {
  const auto found = per_server.find(server);
  return found != per_server.end() ? found->second : servers;
}

Placement resolve_placement(const scenario::Scenario& scenario, const CpuList& allowed) {
  Placement placement;
  placement.allowed = allowed;
  const auto& spec = scenario.placement;
  if (!spec.pinned()) return placement;
  if (spec.automatic) {
    const bool embedded = scenario.database.mode == scenario::DatabaseSpec::Mode::embedded;
    const Split split = auto_split(allowed, embedded);
    placement.rule = "auto";
    placement.client = split.client;
    placement.database = split.database;
    placement.servers = split.servers;
  } else {
    placement.rule = "scenario";
    for (const auto* role : {&spec.client, &spec.database, &spec.servers})
      if (*role) check_available(**role, allowed);
    for (const auto& [name, list] : spec.per_server) check_available(list, allowed);
    if (spec.client) placement.client = spec.client->cpus;
    if (spec.database) placement.database = spec.database->cpus;
    if (spec.servers) placement.servers = spec.servers->cpus;
    for (const auto& [name, list] : spec.per_server) placement.per_server[name] = list.cpus;
  }
  warn_overlap(placement, "client", placement.client, "database", placement.database);
  warn_overlap(placement, "client", placement.client, "servers", placement.servers);
  warn_overlap(placement, "database", placement.database, "servers", placement.servers);
  for (const auto& [name, list] : placement.per_server) {
    warn_overlap(placement, "client", placement.client, "server " + name, list);
    warn_overlap(placement, "database", placement.database, "server " + name, list);
  }
  return placement;
}

CpuList placed_cpus(const Placement& placement) {
  if (!placement.pinned()) return placement.allowed;
  CpuList ours = cpu_union(cpu_union(placement.client, placement.database), placement.servers);
  for (const auto& [name, list] : placement.per_server) ours = cpu_union(ours, list);
  return ours;
}

CpuList unplaced_cpus(const Placement& placement) {
  CpuList out;
  const CpuList ours = placed_cpus(placement);
  for (const int cpu : placement.allowed)
    if (!std::binary_search(ours.begin(), ours.end(), cpu)) out.push_back(cpu);
  return out;
}

nlohmann::json to_json(const Placement& placement) {
  nlohmann::json per_server = nlohmann::json::object();
  for (const auto& [name, list] : placement.per_server) per_server[name] = format_cpu_list(list);
  return {{"rule", placement.rule},
          {"allowed", format_cpu_list(placement.allowed)},
          {"client", format_cpu_list(placement.client)},
          {"database", format_cpu_list(placement.database)},
          {"servers", format_cpu_list(placement.servers)},
          {"per_server", per_server},
          {"warnings", placement.warnings}};
}

std::string describe(const Placement& placement) {
  if (!placement.pinned()) return "none";
  std::string out;
  const auto add = [&](const std::string& role, const CpuList& cpus) {
    if (cpus.empty()) return;
    out += (out.empty() ? "" : ", ") + role + " " + format_cpu_list(cpus);
  };
  add("client", placement.client);
  add("database", placement.database);
  add("servers", placement.servers);
  for (const auto& [name, list] : placement.per_server) add(name, list);
  return out + " (" + placement.rule + ")";
}

}  // namespace bench::topology
