// The scenario schema: which keys exist, their types, ranges and defaults. docs/scenario.md describes the same
// schema for users; keep the two in step.
#include "scenario/node_reader.h"
#include "scenario/scenario.h"
#include "scenario/suggest.h"
#include "scenario/threshold.h"
#include "scenario/yaml_document.h"
#include "topology/cpu_list.h"
#include "util/number.h"

#include <fmt/core.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

namespace bench::scenario {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTopKeys[] = {"name", "description", "database", "servers", "tests", "load", "placement",
                                         "listen", "thresholds"};
constexpr std::string_view kDatabaseKeys[] = {"dsn", "seed"};
constexpr std::string_view kDatabaseWords[] = {"embedded", "none"};
constexpr std::string_view kServerKeys[] = {"build", "command", "cwd", "env", "port", "ready", "stop_grace", "tests",
                                            "url", "meta", "versions"};
constexpr std::string_view kExternalForbidden[] = {"build", "command", "cwd", "env", "port", "stop_grace", "versions"};
constexpr std::string_view kMetaKeys[] = {"language", "framework", "access", "rung", "ladder"};
constexpr std::string_view kReadyKeys[] = {"path", "timeout"};
constexpr std::string_view kTestKeys[] = {"path", "levels", "connections", "pipeline"};
constexpr std::string_view kLoadKeys[] = {"connections", "threads", "duration", "warmup", "rate", "timeout", "repeat",
                                               "ranks", "hosts", "launcher"};
constexpr std::string_view kPlacementKeys[] = {"client", "database", "servers"};
constexpr std::string_view kTestNames[] = {"json", "db", "queries", "fortunes", "updates", "plaintext"};

// Ranges: wide enough for any real experiment, narrow enough to catch a stray digit.
constexpr int kMaxConnections = 100000;
constexpr int kMaxThreads = 1024;
constexpr int kMinQueryLevel = 1;
constexpr int kMaxQueryLevel = 500;  // TechEmpower clamps queries to 1..500
constexpr int kMaxRepeat = 1000;
constexpr int kMaxPipeline = 256;  // as load::kMaxPipeline
constexpr int kMaxPort = 65535;

// TechEmpower's query levels, used when queries or updates is given as a plain path.
const std::vector<int> kDefaultQueryLevels = {1, 5, 10, 15, 20};

// Names end up in folder and file names (results/<time>-<scenario>/<server>.log).
bool is_safe_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

// The default name, from the file's stem, made safe: a file may be called anything (`ok name ü;$(touch x).yaml`),
// but the name goes into folder names and shell-visible paths. Each run of other characters becomes one '-'.
std::string name_from_stem(std::string_view stem) {
  constexpr std::size_t kMaxDefaultName = 64;
  std::string out;
  for (const char c : stem) {
    if (is_safe_name(std::string_view(&c, 1))) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
    if (out.size() >= kMaxDefaultName) break;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  return out.empty() ? "scenario" : out;
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string names_of(const std::vector<TestSpec>& tests) {
  std::string out;
  for (const auto& test : tests) out += (out.empty() ? "" : ", ") + std::string(to_string(test.type));
  return out;
}

// Checks a DSN with libpq's own parser, so anything libpq accepts is accepted; returns libpq's complaint.
std::optional<std::string> dsn_problem(const std::string& dsn) {
  char* raw_error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(dsn.c_str(), &raw_error),
                                                                        &PQconninfoFree);
  if (options) return std::nullopt;
  std::unique_ptr<char, decltype(&PQfreemem)> error(raw_error, &PQfreemem);
  std::string message = error ? error.get() : "not a valid connection string";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// Reads one document's fields into a Scenario; tests and load first, since servers refer to them.
class ScenarioParser {
 public:
  explicit ScenarioParser(const fs::path& file)
      : reader_(file.string()), file_(fs::absolute(file).lexically_normal()), folder_(file_.parent_path()) {}

  Scenario parse(const YAML::Node& root) {
    const Field top{"", YAML::Node(), root};
    if (!root.IsDefined() || root.IsNull()) {
      reader_.fail(reader_.at(root), "empty scenario; expected a mapping with 'servers' and 'tests'");
    }
    if (!root.IsMap()) reader_.expected({"scenario", YAML::Node(), root}, "a mapping with 'servers' and 'tests'");

    std::optional<Field> servers, tests, load, database, placement, thresholds;
    Scenario scenario;
    scenario.file = file_;
    scenario.name = name_from_stem(file_.stem().string());
    for (const auto& field : reader_.entries(top, kTopKeys)) {
      if (field.path == "name") {
        scenario.name = reader_.string(field);
        if (!is_safe_name(scenario.name)) reader_.fail(field, "use only letters, digits, '.', '_' and '-'");
      } else if (field.path == "description") {
        scenario.description = reader_.string(field, true);
      } else if (field.path == "database") {
        database = field;
      } else if (field.path == "servers") {
        servers = field;
      } else if (field.path == "tests") {
        tests = field;
      } else if (field.path == "load") {
        load = field;
      } else if (field.path == "placement") {
        placement = field;
      } else if (field.path == "listen") {
        scenario.listen = parse_listen(field);
      } else if (field.path == "thresholds") {
        thresholds = field;
      }
    }
    if (!servers) reader_.fail(reader_.at(root), "missing 'servers' (the server variants to measure)");
    if (!tests) reader_.fail(reader_.at(root), "missing 'tests' (the TechEmpower tests and their paths)");

    if (database) scenario.database = parse_database(*database);
    scenario.tests = parse_tests(*tests, scenario.database);
    if (load && !load->value.IsNull()) scenario.load = parse_load(*load);  // `load:` alone keeps the defaults
    check_threads(scenario);
    scenario.servers = parse_servers(*servers, scenario);
    if (placement && !placement->value.IsNull()) scenario.placement = parse_placement(*placement, scenario);
    if (thresholds) scenario.thresholds = parse_thresholds(reader_, *thresholds, scenario);
    return scenario;
  }

 private:
  ListenSpec parse_listen(const Field& field) const {
    try {
      return {util::parse_listen_address(reader_.string(field)), reader_.at(field)};
    } catch (const std::invalid_argument& e) {
      reader_.fail(field, e.what());
    }
  }

  DatabaseSpec parse_database(const Field& field) const {
    DatabaseSpec spec;
    if (field.value.IsScalar()) {
      const std::string& word = field.value.Scalar();
      if (word == "embedded") return spec;
      if (word == "none") {
        spec.mode = DatabaseSpec::Mode::none;
        spec.seed = false;
        return spec;
      }
      std::string message = "expected 'embedded', 'none' or a mapping with dsn (and seed), got '" + word + "'";
      if (const auto match = closest_match(word, kDatabaseWords)) message += "; did you mean '" + *match + "'?";
      reader_.fail(field, message);
    }
    if (!field.value.IsMap()) reader_.expected(field, "'embedded', 'none' or a mapping with dsn (and seed)");
    spec.mode = DatabaseSpec::Mode::dsn;
    spec.seed = false;
    bool has_dsn = false;
    for (const auto& entry : reader_.entries(field, kDatabaseKeys)) {
      if (entry.key.Scalar() == "dsn") {
        spec.dsn = reader_.string(entry);
        if (const auto problem = dsn_problem(spec.dsn)) reader_.fail(entry, "not a valid connection string: " + *problem);
        has_dsn = true;
      } else {
        spec.seed = reader_.boolean(entry);
      }
    }
    if (!has_dsn) reader_.fail(field, "missing 'dsn' (postgresql://user:password@host:port/dbname)");
    return spec;
  }

  std::vector<TestSpec> parse_tests(const Field& field, const DatabaseSpec& database) const {
    std::vector<TestSpec> tests;
    for (const auto& entry : reader_.entries(field)) {
      const std::string& name = entry.key.Scalar();
      const auto type = test_type_from_string(name);
      if (!type) {
        std::string message = "unknown test type";
        if (const auto match = closest_match(name, kTestNames)) message += "; did you mean '" + *match + "'?";
        reader_.fail(reader_.at(entry.key), entry.path + ": " + message + " (expected one of: json, db, queries, "
                                                                           "fortunes, updates, plaintext)");
      }
      if (database.mode == DatabaseSpec::Mode::none && *type != TestType::json && *type != TestType::plaintext) {
        reader_.fail(reader_.at(entry.key), entry.path + ": needs a database, but database is 'none'");
      }
      tests.push_back(parse_test(entry, *type));
    }
    if (tests.empty()) reader_.fail(field, "expected at least one test (json: /json, ...)");
    return tests;
  }

  TestSpec parse_test(const Field& field, TestType type) const {
    TestSpec spec{type, "", {}, {}};
    if (field.value.IsScalar()) {
      spec.path = parse_path(field);
    } else {
      if (!field.value.IsMap()) {
        reader_.expected(field, "a path (/json) or a mapping with path, levels, connections, pipeline");
      }
      bool has_path = false;
      for (const auto& entry : reader_.entries(field, kTestKeys)) {
        const std::string& key = entry.key.Scalar();
        if (key == "path") {
          spec.path = parse_path(entry);
          has_path = true;
        } else if (key == "levels") {
          if (!takes_query_levels(type)) reader_.fail(entry, "levels apply only to queries and updates");
          spec.levels = reader_.integer_list(entry, kMinQueryLevel, kMaxQueryLevel);
        } else if (key == "pipeline") {
          spec.pipeline = reader_.integer(entry, 1, kMaxPipeline);
        } else {
          spec.connections = reader_.integer_list(entry, 1, kMaxConnections);
        }
      }
      if (!has_path) reader_.fail(field, "missing 'path'");
    }
    if (takes_query_levels(type) && spec.levels.empty()) spec.levels = kDefaultQueryLevels;
    return spec;
  }

  std::string parse_path(const Field& field) const {
    std::string path = reader_.string(field);
    if (path.front() != '/') reader_.fail(field, "expected a path starting with '/', got '" + path + "'");
    if (path.find_first_of(" \t\r\n") != std::string::npos) reader_.fail(field, "a path cannot contain spaces");
    return path;
  }

  // Requests/s as `bench load -R` reads them (util/number.h): 0, 500, 20k, 1.5M, at most kMaxRate.
  double parse_rate_field(const Field& field) const {
    if (!field.value.IsScalar()) reader_.expected(field, "a rate in requests/s (0, 500, 20k, 1.5M)");
    try {
      return parse_rate(field.value.Scalar());
    } catch (const std::invalid_argument& e) {
      reader_.fail(field, e.what());
    }
  }

  LoadSpec parse_load(const Field& field) {
    LoadSpec load;
    for (const auto& entry : reader_.entries(field, kLoadKeys)) {
      const std::string& key = entry.key.Scalar();
      if (key == "connections") {
        load.connections = reader_.integer_list(entry, 1, kMaxConnections);
      } else if (key == "threads") {
        threads_ = entry;
        load.threads = reader_.auto_or_integer(entry, 1, kMaxThreads).value_or(0);
      } else if (key == "duration") {
        load.duration = reader_.duration(entry, true);
      } else if (key == "warmup") {
        load.warmup = reader_.duration(entry, false);
      } else if (key == "rate") {
        load.rate = parse_rate_field(entry);
      } else if (key == "timeout") {
        load.timeout = reader_.duration(entry, true);
      } else if (key == "ranks") {
        load.ranks = reader_.integer(entry, 1, kMaxThreads);
      } else if (key == "hosts") {
        for (const auto& item : reader_.items(entry)) {
          load.hosts.push_back(reader_.string(item));
          if (load.hosts.back().find_first_of(" \t,'\"") != std::string::npos) reader_.fail(item, "not a host name");
        }
      } else if (key == "launcher") {
        load.launcher = reader_.string(entry);
      } else {
        load.repeat = reader_.integer(entry, 1, kMaxRepeat);
      }
    }
    return load;
  }

  // Every thread needs at least one connection, at every connection level the run will use.
  void check_threads(const Scenario& scenario) const {
    if (!threads_ || scenario.load.threads == 0) return;
    for (const auto& test : scenario.tests) {
      for (const int connections : connection_levels(scenario, test)) {
        if (scenario.load.threads > connections) {
          reader_.fail(*threads_, fmt::format("{} threads is more than {} connections (used by {}); each thread "
                                              "needs at least one connection",
                                              scenario.load.threads, connections, to_string(test.type)));
        }
      }
    }
  }

  std::vector<ServerSpec> parse_servers(const Field& field, const Scenario& scenario) const {
    std::vector<ServerSpec> servers;
    for (const auto& entry : reader_.entries(field)) servers.push_back(parse_server(entry, scenario));
    if (servers.empty()) reader_.fail(field, "expected at least one server");
    check_ladders(servers);
    return servers;
  }

  // A ladder of one variant has nothing to difference against: most likely a misspelt name.
  void check_ladders(const std::vector<ServerSpec>& servers) const {
    std::map<std::string, int> members;
    for (const auto& server : servers)
      if (!server.meta.ladder.empty()) ++members[server.meta.ladder];
    std::vector<std::string> shared;
    for (const auto& [name, count] : members)
      if (count > 1) shared.push_back(name);
    for (const auto& server : servers) {
      if (server.meta.ladder.empty() || members[server.meta.ladder] > 1) continue;
      std::vector<std::string_view> candidates(shared.begin(), shared.end());
      const auto close = closest_match(server.meta.ladder, candidates);
      reader_.fail(server.meta.ladder_where,
                   fmt::format("servers.{}.meta.ladder: no other variant is on ladder '{}'; a ladder needs at least "
                               "two rungs{}",
                               server.name, server.meta.ladder,
                               close ? " (did you mean '" + *close + "'?)" : std::string(" (leave it out: a variant "
                                                                                       "on no ladder is not differenced)")));
    }
  }

  ServerSpec parse_server(const Field& field, const Scenario& scenario) const {
    ServerSpec server;
    server.name = field.key.Scalar();
    server.where = reader_.at(field.key);
    server.cwd = folder_;
    if (!is_safe_name(server.name)) {
      reader_.fail(server.where, field.path + ": use only letters, digits, '.', '_' and '-' in server names");
    }
    if (!field.value.IsMap()) reader_.expected(field, "a mapping with command (or url) and optional keys");
    const auto entries = reader_.entries(field, kServerKeys);
    const auto url = std::find_if(entries.begin(), entries.end(), [](const Field& e) { return e.key.Scalar() == "url"; });
    bool has_command = false;
    bool has_tests = false;
    std::optional<Field> ready;
    std::optional<Field> url_field;
    for (const auto& entry : entries) {
      const std::string& key = entry.key.Scalar();
      if (url != entries.end() && std::find(std::begin(kExternalForbidden), std::end(kExternalForbidden), key) !=
                                      std::end(kExternalForbidden)) {
        reader_.fail(reader_.at(entry.key), entry.path + ": not allowed together with url (a server that runs "
                                                         "elsewhere is only measured)");
      }
      if (key == "build") {
        server.build = reader_.string(entry);
      } else if (key == "command") {
        server.command = reader_.string(entry);
        has_command = true;
      } else if (key == "cwd") {
        server.cwd = parse_cwd(entry);
      } else if (key == "env") {
        server.env = parse_env(entry);
      } else if (key == "port") {
        server.port = reader_.auto_or_integer(entry, 1, kMaxPort);
      } else if (key == "ready") {
        ready = entry;
      } else if (key == "stop_grace") {
        server.stop_grace = reader_.duration(entry, true);
        if (server.stop_grace > std::chrono::minutes(10)) reader_.fail(entry, "at most 10m");
      } else if (key == "tests") {
        server.tests = parse_server_tests(entry, scenario);
        has_tests = true;
      } else if (key == "meta") {
        server.meta = parse_meta(entry);
      } else if (key == "versions") {
        server.versions = reader_.string(entry);
      } else {
        server.url = parse_url(entry);
        url_field = entry;
      }
    }
    if (!has_command && server.url.empty()) {
      reader_.fail(server.where, field.path + ": missing 'command' (or 'url' for a server that runs elsewhere)");
    }
    if (!has_tests) {
      for (const auto& test : scenario.tests) server.tests.push_back(test.type);
    }
    if (url_field && server.url.rfind("http://", 0) != 0) {
      for (const auto& test : scenario.tests) {
        const bool served = std::find(server.tests.begin(), server.tests.end(), test.type) != server.tests.end();
        if (served && test.pipeline > 1) {
          reader_.fail(*url_field, fmt::format("{} is pipelined (pipeline: {}), which needs an http:// server",
                                               to_string(test.type), test.pipeline));
        }
      }
    }
    server.ready.path = default_ready_path(server, scenario);
    if (ready) parse_ready(*ready, server.ready);
    return server;
  }

  fs::path parse_cwd(const Field& field) const {
    fs::path cwd = (folder_ / reader_.string(field)).lexically_normal();
    if (!cwd.has_filename() && cwd.has_parent_path() && cwd != cwd.root_path()) cwd = cwd.parent_path();
    std::error_code error;
    if (!fs::is_directory(cwd, error)) reader_.fail(field, "no such folder: " + cwd.string());
    return cwd;
  }

  std::map<std::string, std::string> parse_env(const Field& field) const {
    std::map<std::string, std::string> env;
    for (const auto& entry : reader_.entries(field)) {
      const std::string& name = entry.key.Scalar();
      if (!is_env_name(name)) reader_.fail(reader_.at(entry.key), entry.path + ": not a valid environment variable name");
      if (name == "PORT") reader_.fail(reader_.at(entry.key), entry.path + ": set the server's 'port' instead");
      if (name == "BENCH_HOST") reader_.fail(reader_.at(entry.key), entry.path + ": set the scenario's 'listen' instead");
      env[name] = reader_.string(entry, true);
    }
    return env;
  }

  VariantMeta parse_meta(const Field& field) const {
    VariantMeta meta;
    for (const auto& entry : reader_.entries(field, kMetaKeys)) {
      const std::string& key = entry.key.Scalar();
      std::string value = reader_.string(entry);
      if (key == "language") {
        meta.language = std::move(value);
      } else if (key == "framework") {
        meta.framework = std::move(value);
      } else if (key == "rung") {
        meta.rung = std::move(value);
      } else if (key == "ladder") {
        meta.ladder = std::move(value);
        meta.ladder_where = reader_.at(entry.value);
      } else {
        if (std::find(std::begin(kAccessClasses), std::end(kAccessClasses), value) == std::end(kAccessClasses)) {
          reader_.fail(entry, "unknown data-access class '" + value + "' (expected one of: none, raw, micro, full)");
        }
        meta.access = std::move(value);
      }
    }
    return meta;
  }

  std::vector<TestType> parse_server_tests(const Field& field, const Scenario& scenario) const {
    std::vector<TestType> types;
    const auto items = reader_.items(field);
    if (items.empty()) reader_.fail(field, "expected at least one test");
    for (const auto& item : items) {
      const std::string name = reader_.string(item);
      const auto type = test_type_from_string(name);
      if (!type) {
        std::string message = "unknown test type '" + name + "'";
        if (const auto match = closest_match(name, kTestNames)) message += "; did you mean '" + *match + "'?";
        reader_.fail(item, message + " (expected one of: json, db, queries, fortunes, updates, plaintext)");
      }
      if (!scenario.test(*type)) {
        reader_.fail(item, "test '" + name + "' is not defined under tests (defined: " + names_of(scenario.tests) + ")");
      }
      if (std::find(types.begin(), types.end(), *type) != types.end()) reader_.fail(item, "'" + name + "' is listed twice");
      types.push_back(*type);
    }
    return types;
  }

  std::string parse_url(const Field& field) const {
    std::string url = reader_.string(field);
    const bool http = url.rfind("http://", 0) == 0;
    const bool https = url.rfind("https://", 0) == 0;
    const size_t scheme = http ? 7 : 8;
    if ((!http && !https) || url.size() <= scheme || url[scheme] == '/') {
      reader_.fail(field, "expected an http:// or https:// URL with a host (http://127.0.0.1:8080), got '" + url + "'");
    }
    while (url.back() == '/') url.pop_back();
    return url;
  }

  // The first test the server serves, with its first query level, so that the probe is a valid request.
  static std::string default_ready_path(const ServerSpec& server, const Scenario& scenario) {
    if (server.tests.empty()) return "/";
    const TestSpec* test = scenario.test(server.tests.front());
    if (!test) return "/";
    if (takes_query_levels(test->type) && !test->levels.empty()) return test->path + std::to_string(test->levels.front());
    return test->path;
  }

  void parse_ready(const Field& field, ReadyProbe& ready) const {
    if (field.value.IsScalar()) {
      ready.path = parse_path(field);
      return;
    }
    if (!field.value.IsMap()) reader_.expected(field, "a path (/json) or a mapping with path and timeout");
    for (const auto& entry : reader_.entries(field, kReadyKeys)) {
      if (entry.key.Scalar() == "path") {
        ready.path = parse_path(entry);
      } else {
        ready.timeout = reader_.duration(entry, true);
      }
    }
  }

  // `placement: auto` or {client, database, servers}; servers is one list or {variant: list}.
  PlacementSpec parse_placement(const Field& field, const Scenario& scenario) const {
    PlacementSpec spec;
    spec.where = reader_.at(field.key);
    if (field.value.IsScalar()) {
      if (field.value.Scalar() != "auto") reader_.expected(field, "'auto' or a mapping with client, database, servers");
      spec.automatic = true;
      return spec;
    }
    if (!field.value.IsMap()) reader_.expected(field, "'auto' or a mapping with client, database, servers");
    for (const auto& entry : reader_.entries(field, kPlacementKeys)) {
      const std::string& key = entry.key.Scalar();
      if (key == "client") {
        spec.client = cpu_list(entry);
      } else if (key == "database") {
        if (scenario.database.mode != DatabaseSpec::Mode::embedded)
          reader_.fail(reader_.at(entry.key), entry.path + ": only the embedded database can be placed");
        spec.database = cpu_list(entry);
      } else if (entry.value.IsMap()) {
        for (const auto& server : reader_.entries(entry)) {
          const std::string& name = server.key.Scalar();
          const auto known = std::find_if(scenario.servers.begin(), scenario.servers.end(),
                                          [&](const ServerSpec& s) { return s.name == name; });
          if (known == scenario.servers.end())
            reader_.fail(reader_.at(server.key), server.path + ": no server named '" + name + "'");
          if (known->external())
            reader_.fail(reader_.at(server.key), server.path + ": '" + name + "' runs elsewhere (url); it cannot be placed");
          spec.per_server[name] = cpu_list(server);
        }
      } else {
        spec.servers = cpu_list(entry);
      }
    }
    return spec;
  }

  CpuListSpec cpu_list(const Field& field) const {
    if (!field.value.IsScalar()) reader_.expected(field, "a CPU list such as \"0-3,5\"");
    try {
      return {topology::parse_cpu_list(field.value.Scalar()), field.path, reader_.at(field)};
    } catch (const std::invalid_argument& e) {
      reader_.fail(field, e.what());
    }
  }

  NodeReader reader_;
  fs::path file_;
  fs::path folder_;
  std::optional<Field> threads_;  // where load.threads is written, for the threads-vs-connections check
};

std::string read_capped(const fs::path& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError({name, 0, 0}, std::string("cannot open: ") + std::strerror(errno));
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw ScenarioError({name, 0, 0}, "cannot read the file");
  text.resize(static_cast<size_t>(in.gcount()));
  return text;  // load_document rejects it if it reached kMaxFileBytes + 1
}

}  // namespace

Scenario parse_string(std::string_view yaml, const fs::path& file_for_messages) {
  const YAML::Node root = load_document(yaml, file_for_messages.string());
  return ScenarioParser(file_for_messages).parse(root);
}

Scenario parse_file(const fs::path& file) {
  const std::string name = file.string();
  std::error_code error;
  const fs::file_status status = fs::status(file, error);
  if (!fs::exists(status)) throw ScenarioError({name, 0, 0}, "no such file");
  if (fs::is_directory(status)) throw ScenarioError({name, 0, 0}, "is a folder; expected a scenario file");
  if (!fs::is_regular_file(status)) throw ScenarioError({name, 0, 0}, "not a regular file");
  const auto size = fs::file_size(file, error);
  if (!error && size > kMaxFileBytes) {
    throw ScenarioError({name, 0, 0}, fmt::format("file too large ({} bytes; the limit is {} bytes)", size,
                                                  kMaxFileBytes));
  }
  return parse_string(read_capped(file, name), file);
}

}  // namespace bench::scenario
