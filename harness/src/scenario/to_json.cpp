#include "scenario/scenario.h"
#include "topology/cpu_list.h"

namespace bench::scenario {

namespace {

using nlohmann::json;

std::string_view mode_name(DatabaseSpec::Mode mode) {
  switch (mode) {
    case DatabaseSpec::Mode::embedded: return "embedded";
    case DatabaseSpec::Mode::dsn: return "dsn";
    case DatabaseSpec::Mode::none: return "none";
  }
  return "unknown";
}

// Results files get shared and committed: keep the password out of them, in both DSN forms
// (postgresql://user:secret@host/db and "host=... password=secret").
std::string redact_dsn(std::string dsn) {
  const size_t scheme = dsn.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = dsn.find('@', start);
    const size_t colon = dsn.find(':', start);
    if (at != std::string::npos && colon != std::string::npos && colon < at) dsn.replace(colon + 1, at - colon - 1, "***");
  }
  const size_t key = dsn.find("password=");
  if (key != std::string::npos) {
    const size_t start = key + 9;
    size_t end = dsn.find(' ', start);
    if (end == std::string::npos) end = dsn.size();
    if (dsn.compare(start, 1, "'") == 0) {
      const size_t close = dsn.find('\'', start + 1);
      end = close == std::string::npos ? dsn.size() : close + 1;
    }
    dsn.replace(start, end - start, "***");
  }
  return dsn;
}

json test_names(const std::vector<TestType>& types) {
  json out = json::array();
  for (const TestType type : types) out.push_back(to_string(type));
  return out;
}

json server_json(const ServerSpec& server) {
  json out = {{"name", server.name}};
  if (server.external()) {
    out["url"] = server.url;
  } else {
    out["build"] = server.build ? json(*server.build) : json(nullptr);
    out["command"] = server.command;
    out["cwd"] = server.cwd.string();
    out["env"] = server.env;
    out["port"] = server.port ? json(*server.port) : json("auto");
  }
  out["ready"] = {{"path", server.ready.path}, {"timeout", format_duration(server.ready.timeout)}};
  if (!server.external()) out["stop_grace"] = format_duration(server.stop_grace);
  out["tests"] = test_names(server.tests);
  if (!server.meta.empty()) {
    out["meta"] = {{"language", server.meta.language}, {"framework", server.meta.framework},
                   {"access", server.meta.access}, {"rung", server.meta.rung}};
    if (!server.meta.ladder.empty()) out["meta"]["ladder"] = server.meta.ladder;
  }
  if (server.versions) out["versions"] = *server.versions;
  return out;
}

json test_json(const TestSpec& test) {
  json out = {{"type", to_string(test.type)}, {"path", test.path}};
  if (takes_query_levels(test.type)) out["levels"] = test.levels;
  out["connections"] = test.connections;  // empty = load.connections
  out["pipeline"] = test.pipeline;
  return out;
}

json load_json(const LoadSpec& load) {
  json out = {{"connections", load.connections},
          {"threads", load.threads == 0 ? json("auto") : json(load.threads)},
          {"duration", format_duration(load.duration)},
          {"warmup", format_duration(load.warmup)},
          {"rate", load.rate},
          {"timeout", format_duration(load.timeout)},
          {"repeat", load.repeat}};
  if (load.ranks > 0 || !load.launcher.empty()) {  // a client fleet (absent otherwise: unchanged files)
    out["ranks"] = load.ranks;
    out["hosts"] = load.hosts;
    out["launcher"] = load.launcher;
  }
  return out;
}

// As written; bench run records what it resolved (auto) in the results' `placement`.
json placement_json(const PlacementSpec& placement) {
  if (!placement.pinned()) return nullptr;
  if (placement.automatic) return "auto";
  json out = json::object();
  const auto list = [](const CpuListSpec& spec) { return topology::format_cpu_list(spec.cpus); };
  if (placement.client) out["client"] = list(*placement.client);
  if (placement.database) out["database"] = list(*placement.database);
  if (placement.servers) out["servers"] = list(*placement.servers);
  for (const auto& [name, spec] : placement.per_server) out["servers"][name] = list(spec);
  return out;
}

json thresholds_json(const std::vector<Threshold>& thresholds) {
  json out = json::array();
  for (const auto& t : thresholds) {
    out.push_back({{"limit", t.text}, {"metric", t.metric}, {"op", t.op}, {"value", t.value},
                   {"variant", t.variant}, {"test", t.test}});
  }
  return out;
}

}  // namespace

json to_json(const Scenario& scenario) {
  json database = {{"mode", mode_name(scenario.database.mode)}, {"seed", scenario.database.seed}};
  if (scenario.database.mode == DatabaseSpec::Mode::dsn) database["dsn"] = redact_dsn(scenario.database.dsn);
  json servers = json::array();
  for (const auto& server : scenario.servers) servers.push_back(server_json(server));
  json tests = json::array();
  for (const auto& test : scenario.tests) tests.push_back(test_json(test));
  json out = {{"name", scenario.name},
              {"description", scenario.description},
              {"file", scenario.file.string()},
              {"database", database},
              {"servers", servers},
              {"tests", tests},
              {"load", load_json(scenario.load)},
              {"thresholds", thresholds_json(scenario.thresholds)},  // check/limits.h reads them back from results
              {"cells", cell_count(scenario)}};
  if (scenario.placement.pinned()) out["placement"] = placement_json(scenario.placement);  // absent: unchanged files
  if (scenario.listen.written()) out["listen"] = scenario.listen.address.text;              // likewise
  return out;
}

}  // namespace bench::scenario
