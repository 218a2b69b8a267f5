#pragma once
// A scenario file, parsed and validated: plain structs with every default applied, so that nothing downstream
// (plan, supervisor, load engine, results) has to know the YAML schema or its defaults. docs/scenario.md is the
// user-facing description of the schema; parse.cpp is the one place that reads it.

#include "util/address.h"
#include "util/duration.h"
#include "util/errors.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bench::scenario {

// TechEmpower's six test types, in TechEmpower's order.
enum class TestType { json, db, queries, fortunes, updates, plaintext };

// Every test type, in the order above (for loops and for "expected one of" messages).
inline constexpr TestType kAllTestTypes[] = {TestType::json,     TestType::db,      TestType::queries,
                                             TestType::fortunes, TestType::updates, TestType::plaintext};

// The name used in YAML, JSON and reports: "json", "db", ...
std::string_view to_string(TestType type);

// The inverse of to_string; nullopt for an unknown name (exact, lower-case match).
std::optional<TestType> test_type_from_string(std::string_view name);

// Whether the test takes a number of queries per request (queries, updates): those are measured per level.
bool takes_query_levels(TestType type);

// A place in a scenario file, 1-based. line == 0 means "the file as a whole" (missing, too big, unreadable).
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

// A scenario that cannot be used: what() is "file:line:column: message" (or "file: message" when line == 0).
// It is a UsageError, so main maps it to exit code 2 like any other bad input.
class ScenarioError : public bench::UsageError {
 public:
  ScenarioError(Location where, std::string message);
  const Location& where() const { return where_; }
  const std::string& message() const { return message_; }  // without the location prefix

 private:
  Location where_;
  std::string message_;
};

// Where the TechEmpower database comes from.
struct DatabaseSpec {
  enum class Mode {
    embedded,  // a throwaway PostgreSQL cluster created, seeded and removed by the harness
    dsn,       // an existing database at `dsn`
    none,      // no database: db, queries, fortunes and updates cannot be measured
  };
  Mode mode = Mode::embedded;
  std::string dsn;   // set for Mode::dsn only
  bool seed = true;  // load the World and Fortune tables: always true for embedded, default false for dsn
};

// How the harness decides that a started server is ready: GET `path` answers before `timeout` runs out.
struct ReadyProbe {
  std::string path;     // default: the path of the server's first test (first query level appended)
  Nanos timeout = std::chrono::seconds(30);  // > 0
};

// What a variant is, as the scenario declares it (`meta:`), so results and reports can group ladders across
// languages. Every field is optional free text except access, which is one of kAccessClasses or empty.
struct VariantMeta {
  std::string language;   // "go", "python", "node"
  std::string framework;  // "net/http", "fastapi", "django"
  std::string access;     // data-access class, TechEmpower's: raw, micro, full; or none (no database)
  std::string rung;       // the layer this variant adds to the one below it on its ladder ("+ sqlx")
  // The ladder it is a rung of ("python-fastapi"): reports difference each rung's cost against the ladder's
  // previous variant in scenario order, and never across ladders; empty = on no ladder (no difference shown).
  // A ladder has at least two variants.
  std::string ladder;
  Location ladder_where;  // where `ladder` is written, for messages
  bool empty() const {
    return language.empty() && framework.empty() && access.empty() && rung.empty() && ladder.empty();
  }
};
inline constexpr std::string_view kAccessClasses[] = {"none", "raw", "micro", "full"};

// One named variant. Either started by the harness (command) or only measured (url).
struct ServerSpec {
  std::string name;                        // the key under `servers:`; [A-Za-z0-9._-]+, unique
  std::optional<std::string> build;        // shell command run once in cwd before the first start
  std::string command;                     // shell command (/bin/sh -c) that starts the server; empty if external
  std::filesystem::path cwd;               // absolute, resolved against the scenario file's folder
  std::map<std::string, std::string> env;  // extra environment, on top of the harness's PORT, DATABASE_URL, ...
  std::optional<int> port;                 // nullopt = auto: the harness picks a free port
  ReadyProbe ready;
  std::vector<TestType> tests;  // in the order given (default: every test of the scenario, in file order)
  std::string url;              // non-empty = external server ("http://host:port", no trailing slash), only measured
  // Between SIGTERM and SIGKILL when the harness stops the server. Generous by default: a server closing a pool of
  // hundreds of database connections (SQLAlchemy, 520) needs 12-15 s, and a clean exit is cheap to wait for.
  Nanos stop_grace = std::chrono::seconds(30);
  Location where;               // where the server's name is written, for messages about this variant
  VariantMeta meta;             // `meta:`, empty unless declared
  std::optional<std::string> versions;  // shell command (in cwd, the server's env) printing one JSON object
                                        // {"component": "version", ...}; its answer is kept in the results
  // Set by `bench run --revisions` (revisions/revisions.h) on each copy of a server it makes, one per revision:
  // `name` is then "<base_name>@<revision>" and cwd lies in that revision's checkout. Empty otherwise.
  std::string revision, base_name;

  bool external() const { return !url.empty(); }
};

// One TechEmpower test as the scenario defines it.
struct TestSpec {
  TestType type;
  std::string path;              // starts with '/'; for queries/updates the level is appended to it
  std::vector<int> levels;       // query levels (1..500), empty unless takes_query_levels(type)
  std::vector<int> connections;  // empty = load.connections
  int pipeline = 1;              // requests each connection sends at once (HTTP/1.1 pipelining), 1..256;
                                 // TechEmpower's plaintext test uses 16
};

// How hard and how long to load each cell.
struct LoadSpec {
  std::vector<int> connections{50};  // a sweep: every non-query test is measured at each level, in this order
  int threads = 0;                   // 0 = auto: min(connections, cores)
  Nanos duration = std::chrono::seconds(10);  // measured time per cell, > 0
  Nanos warmup = std::chrono::seconds(5);     // unmeasured load before each cell, >= 0
  double rate = 0;                   // total requests/s (open model); 0 = closed loop
  Nanos timeout = std::chrono::seconds(8);    // per request, > 0
  int repeat = 1;                    // >= 1; repeats are interleaved A B A B
  int ranks = 0;                     // > 0: each cell is measured by a client fleet of this many mpirun ranks
  std::vector<std::string> hosts;    // the fleet's hosts (mpirun --host); empty: mpirun's default
  std::string launcher;              // instead of "mpirun -np ranks --host hosts": this command (docs/distributed.md)
};

// One role's CPUs under `placement:`, as written ("0-3,5" parsed), with where, for messages about it.
struct CpuListSpec {
  std::vector<int> cpus;  // sorted, distinct
  std::string key;        // "placement.client", "placement.servers.raw"
  Location where;
};

// Which CPUs each role may run on (docs/scenario.md, placement). Nothing set: nothing is pinned (the default).
struct PlacementSpec {
  bool automatic = false;  // `placement: auto`: topology/split.h's rule over the CPUs bench may use
  std::optional<CpuListSpec> client;    // bench's own load threads
  std::optional<CpuListSpec> database;  // the embedded PostgreSQL (postmaster, hence its backends)
  std::optional<CpuListSpec> servers;   // every started server, unless per_server names it
  std::map<std::string, CpuListSpec> per_server;  // `servers: {name: list}`
  Location where;  // the `placement` key

  bool pinned() const { return automatic || client || database || servers || !per_server.empty(); }
};

// Where the started servers and the embedded database listen (`listen:`): one address of this machine, loopback
// unless the scenario says otherwise (docs/scenario.md, listen; docs/distributed.md).
struct ListenSpec {
  util::IpAddress address = util::loopback_ipv4();
  Location where;  // the `listen` key; line 0 when the scenario does not write it

  bool written() const { return where.line != 0; }
};

// An absolute limit on the results (`thresholds:`, scenario/threshold.h parses and check/limits.h checks them).
struct Threshold {
  std::string text;     // as written: "p99 < 50ms"
  std::string metric;   // the results field it limits: "latency_p99_us", "requests_per_sec", "errors", ...
  std::string op;       // "<", "<=", ">", ">=", "==" or "!="
  double value = 0;     // in the field's unit: microseconds for latencies
  std::string variant;  // "" = every variant
  std::string test;     // "" = every test
  Location where;       // where the limit is written
};

// The whole experiment.
struct Scenario {
  std::string name;  // default: the file's stem
  std::string description;
  std::filesystem::path file;  // absolute
  DatabaseSpec database;
  std::vector<ServerSpec> servers;  // file order, which is also the run ("ladder") order
  std::vector<TestSpec> tests;      // file order
  LoadSpec load;
  PlacementSpec placement;
  ListenSpec listen;
  std::vector<Threshold> thresholds;  // file order

  // The test of that type, or nullptr if the scenario does not define it.
  const TestSpec* test(TestType type) const;
};

// Connection levels a test is measured at: its own override or load.connections; for query tests only the
// largest of those (TechEmpower measures query levels at the highest concurrency).
std::vector<int> connection_levels(const Scenario& scenario, const TestSpec& test);

// Number of cells one repeat of `test` takes: query levels for queries/updates, else connection levels.
int cells_per_repeat(const Scenario& scenario, const TestSpec& test);

// Number of measured cells in the whole run: sum over servers and their tests, times load.repeat.
int cell_count(const Scenario& scenario);

// Largest connection level anywhere in the scenario (load.connections and per-test overrides).
int max_connections(const Scenario& scenario);

// Limits on hostile input, checked before yaml-cpp builds a node tree.
inline constexpr std::uintmax_t kMaxFileBytes = 1 << 20;  // 1 MiB; real scenarios are a few KiB
inline constexpr int kMaxNodes = 20000;                   // YAML nodes in the document
inline constexpr int kMaxDepth = 32;                      // nesting of mappings and sequences

// Reads, parses and validates a scenario file. Throws ScenarioError (missing file, too big, YAML syntax,
// aliases, schema violations), always with the file and, where there is one, the line and column.
Scenario parse_file(const std::filesystem::path& file);

// The same from a string; `file_for_messages` names the file in errors and is the base for relative paths.
Scenario parse_string(std::string_view yaml, const std::filesystem::path& file_for_messages);

// The resolved scenario (every default applied) as stored in results files. Servers and tests are arrays so
// their order survives; the DSN's password is replaced by "***".
nlohmann::json to_json(const Scenario& scenario);

}  // namespace bench::scenario
