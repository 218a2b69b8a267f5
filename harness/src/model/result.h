#pragma once
// The one result model. `bench run` fills a Run and saves it after every level; the console summary, every
// exporter and `bench compare` read it (report/result.h: files). Nothing re-derives figures on its own.
// docs/results.md documents the JSON form field by field; result_test.cpp checks it against the writer's keys.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "model/contention.h"
#include "model/describe.h"
#include "model/load_figures.h"
#include "model/warning.h"

namespace bench::model {

// Bumped whenever a field changes meaning or is removed; readers refuse versions they do not know.
inline constexpr int kSchemaVersion = 1;

// One measurement: variant x test x level (connections, queries) x repeat: its load figures (LoadFigures), what
// the probes saw, and the warnings.
struct Cell : LoadFigures {
  std::string variant, test;
  int connections = 0;
  int queries = 0;     // query level (queries/updates tests), 0 when the test has none
  int repeat = 0;      // 0-based repeat index
  std::string status;  // "ok", "failed", "interrupted"
  std::optional<double> db_queries_per_request, db_rows_per_request;           // from pg_stat_statements
  std::optional<double> server_cpu_us_per_request, client_cpu_us_per_request;  // user+system CPU
  std::optional<double> db_cpu_us_per_request;    // the embedded PostgreSQL's postmaster and backends, user+system
  std::optional<uint64_t> server_peak_rss_bytes;  // whole process group
  std::vector<Warning> warnings;                  // why this figure may not be trustworthy, at most one per code
  std::optional<Contention> contention;           // absent where /proc/stat could not be read
  bool operator==(const Cell&) const = default;
};

template <typename V, typename C, if_same<C, Cell> = 0>
void describe(V& v, C& c) {
  v("variant", c.variant);
  v("test", c.test);
  v("connections", c.connections);
  v("queries", c.queries);
  v("repeat", c.repeat);
  v("status", c.status);
  describe(v, static_cast<std::conditional_t<std::is_const_v<C>, const LoadFigures&, LoadFigures&>>(c));
  v("db_queries_per_request", c.db_queries_per_request);
  v("db_rows_per_request", c.db_rows_per_request);
  v("server_cpu_us_per_request", c.server_cpu_us_per_request);
  v("client_cpu_us_per_request", c.client_cpu_us_per_request);
  v("db_cpu_us_per_request", c.db_cpu_us_per_request);
  v("server_peak_rss_bytes", c.server_peak_rss_bytes);
  v("warnings", c.warnings);
  v("contention", c.contention);
}

// One verification finding for a variant.
struct Check {
  std::string test;
  std::string level;  // "pass", "warn", "fail"
  std::string message;
  bool operator==(const Check&) const = default;
};

template <typename V, typename C, if_same<C, Check> = 0>
void describe(V& v, C& c) {
  v("test", c.test);
  v("level", c.level);
  v("message", c.message);
}

// One server variant of the scenario and what became of it.
struct Variant {
  std::string name;
  std::string status;  // "ok", "failed", "skipped", "interrupted" (Ctrl-C before all its cells were measured)
  std::string reason;  // why it failed, was skipped or interrupted
  std::string log_tail;
  std::string log_file;
  std::vector<Check> checks;
  double build_seconds = 0;
  std::map<std::string, std::string> versions;  // what the server reported about itself (scenario `versions:`)
  std::vector<std::string> warnings;  // about the variant as a whole: killed with SIGKILL at stop, escaped processes
  // `bench run --revisions`: the revision's label (Revision::label) this copy of a server ran at, and the server's
  // name in the scenario (the variant is named "<base>@<label>"); both empty in a run without --revisions.
  std::string revision, base;
  bool operator==(const Variant&) const = default;
};

template <typename V, typename T, if_same<T, Variant> = 0>
void describe(V& v, T& t) {
  v("name", t.name);
  v("status", t.status);
  v("reason", t.reason);
  v("log_tail", t.log_tail);
  v("log_file", t.log_file);
  v("checks", t.checks);
  v("build_seconds", t.build_seconds);
  v("versions", t.versions);
  v("warnings", t.warnings);
  v("revision", t.revision);
  v("base", t.base);
}

// Where the run happened, so figures from different machines are not compared unknowingly.
struct Environment {
  std::string cpu_model;
  int cores = 0;
  std::string kernel, postgres_version, compiler, libcurl_version, bench_version, bench_commit, hostname;
  std::map<std::string, std::string> frameworks;  // framework -> version, where known
  // Why the database's query counts could not be read (e.g. a dsn: database without pg_stat_statements); empty
  // when they could. Cells then have no db_queries_per_request.
  std::string query_counts_unavailable;
  std::string cpu_frequency_driver, cpu_governor;  // cpufreq's scaling_driver and scaling_governor of cpu0, if any
  bool operator==(const Environment&) const = default;
};

template <typename V, typename E, if_same<E, Environment> = 0>
void describe(V& v, E& e) {
  v("cpu_model", e.cpu_model);
  v("cores", e.cores);
  v("cpu_frequency_driver", e.cpu_frequency_driver);
  v("cpu_governor", e.cpu_governor);
  v("kernel", e.kernel);
  v("postgres_version", e.postgres_version);
  v("compiler", e.compiler);
  v("libcurl_version", e.libcurl_version);
  v("bench_version", e.bench_version);
  v("bench_commit", e.bench_commit);
  v("hostname", e.hostname);
  v("frameworks", e.frameworks);
  v("query_counts_unavailable", e.query_counts_unavailable);
}

// One revision of the code under test measured by `bench run --revisions` (docs/ci.md).
struct Revision {
  std::string label;          // what variant names carry after '@': the revision as given, a full hash shortened to 12
  std::string commit;         // the full hash (for the working tree: HEAD's, the tree it started from)
  std::string subject;        // the commit's subject line
  bool working_tree = false;  // the working tree (--revisions WORKTREE), uncommitted changes included
  bool dirty = false;         // working tree only: it had uncommitted changes (tracked or untracked files)
  bool operator==(const Revision&) const = default;
};

template <typename V, typename R, if_same<R, Revision> = 0>
void describe(V& v, R& r) {
  v("label", r.label);
  v("commit", r.commit);
  v("subject", r.subject);
  v("working_tree", r.working_tree);
  v("dirty", r.dirty);
}

// One results file: a whole `bench run`.
struct Run {
  int schema_version = kSchemaVersion;
  std::string scenario_name;
  nlohmann::json scenario;  // the resolved scenario, every default applied
  Environment environment;
  nlohmann::json placement;             // null: nothing pinned; else topology::to_json (which CPUs each role ran on)
  std::string started_at, finished_at;  // ISO 8601 UTC, "2026-11-26T10:30:00Z"
  std::string status;                   // "running", "complete", "interrupted", "failed"
  std::vector<Variant> variants;        // in scenario order (the order of the cost ladder)
  std::vector<Revision> revisions;      // `--revisions`, in the order given; empty otherwise
  std::vector<Cell> cells;              // in measurement order
  bool operator==(const Run&) const = default;
};

template <typename V, typename R, if_same<R, Run> = 0>
void describe(V& v, R& r) {
  v("schema_version", r.schema_version);
  v("scenario_name", r.scenario_name);
  v("scenario", r.scenario);
  v("environment", r.environment);
  v("started_at", r.started_at);
  v("finished_at", r.finished_at);
  v("status", r.status);
  v("variants", r.variants);
  v("revisions", r.revisions);
  v("cells", r.cells);
  v("placement", r.placement);  // null (left out) when nothing was pinned
}

}  // namespace bench::model
