#pragma once
// The one result model. `bench run` fills a Run and saves it after every level; the console summary, every
// exporter and `bench compare` read it. Nothing re-derives figures on its own. docs/results.md documents the
// JSON form field by field.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/errors.h"

namespace bench::report {

// Bumped whenever a field changes meaning or is removed; readers refuse versions they do not know.
inline constexpr int kSchemaVersion = 1;

// Limits on a results file read back (results are data and may be hostile, as scenarios are): a real run of a
// few hundred cells is well under 1 MiB, and its deepest nesting (the resolved scenario) is under 10 levels.
inline constexpr std::uintmax_t kMaxResultsBytes = 32u << 20;  // 32 MiB
inline constexpr int kMaxResultsDepth = 64;
// Bounds on the work of reading one (issue 25: four copies of a file with one very wide object took over 20 s and
// 100 MB without output). The widest object of a real run is a status-code map or a scenario's servers (dozens of
// keys); the longest array its cells (hundreds).
inline constexpr std::size_t kMaxResultsObjectKeys = 10'000;    // keys in any one object
inline constexpr std::size_t kMaxResultsArrayItems = 100'000;   // items in any one array
inline constexpr std::size_t kMaxReportCells = 200'000;         // cells of all the files one command reads together

// A results file that cannot be used: missing, not JSON, not a results file, unknown schema version.
// A UsageError, so every command that reads results ends with exit code 2 and this message.
class ResultsError : public UsageError {
 public:
  using UsageError::UsageError;
};

// Latency of one measured cell, in microseconds.
struct Latency {
  double mean_us = 0, stdev_us = 0, min_us = 0, max_us = 0;
  double p50_us = 0, p75_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, p9999_us = 0;
  std::vector<std::pair<double, double>> curve;  // percentile (0..100) -> us, for log-scale percentile charts
};

// Socket-level errors by kind, as wrk counts them.
struct Errors {
  uint64_t connect = 0, read = 0, write = 0, timeout = 0, other = 0;
  uint64_t total() const { return connect + read + write + timeout + other; }
};

// A cell is flagged as measured under contention when other work and the hypervisor together took more than this
// share of the machine's CPU (others_cpu_share + steal_share). Below it the figure is recorded without a warning.
// 5%: from 5% up every cell measured on this 2-core machine left the spread of quiet repeats, below it few did
// (scripts/bench-revisions --contention; the figures are in docs/results.md).
inline constexpr double kContendedShare = 0.05;

// How busy the machine was with work that is not bench's during a cell's window (run/contention.h).
struct Contention {
  double others_cpu_share = 0;    // CPU used by other processes / (cores x window)
  double machine_busy_share = 0;  // all busy CPU / (cores x window)
  double steal_share = 0;         // steal time / (cores x window)
  double others_cpu_s = 0, own_cpu_s = 0;  // seconds; own = bench + server + embedded database
  double load_average_1m = 0;     // /proc/loadavg at the end of the window
};

// Why a cell's figures may not be trustworthy. The code is what tools act on and what reports group by (stored
// as its name, docs/results.md lists them); the message says what this cell saw.
enum class WarningCode {
  other,             // free text without a code (results written before codes existed)
  no_requests,       // no request completed
  errors,            // socket errors or non-2xx/3xx answers above the tolerated share
  client_saturated,  // the load generator used nearly all its threads' CPU: it may be the bottleneck
  rate_shortfall,    // open loop: the achieved rate fell short of the target
  interrupted,       // the measurement was cut short (Ctrl-C)
  server_died,       // the server's leader process died during the measurement
  server_restarted,  // the server's processes changed during the measurement
  server_exited,     // the server was not running at the end of the measurement
  contention,        // other work on the machine used a material share of the CPU during the measurement
  load,              // any other warning of the load generator
};

// "rate_shortfall"; warning_code_named returns nullopt for a name this version does not know.
std::string_view warning_code_name(WarningCode code);
std::optional<WarningCode> warning_code_named(std::string_view name);

struct Warning {
  WarningCode code = WarningCode::other;
  std::string message;

  Warning() = default;
  Warning(WarningCode c, std::string text) : code(c), message(std::move(text)) {}
  // Free text takes the code "other". Implicit, with the conversion back to text below, so code that treats
  // warnings as text (console lines, older tests) keeps reading them as such.
  Warning(std::string text) : message(std::move(text)) {}  // NOLINT(google-explicit-constructor)
  Warning(const char* text) : message(text) {}           // NOLINT(google-explicit-constructor)
  operator const std::string&() const { return message; }  // NOLINT(google-explicit-constructor)
  bool operator==(const Warning& other) const { return code == other.code && message == other.message; }
  // Exact overloads for text, so `w == "..."` and `w == some_string` do not go through the conversions above.
  bool operator==(std::string_view text) const { return message == text; }
  bool operator==(const std::string& text) const { return message == text; }
  bool operator==(const char* text) const { return message == text; }
};

// One measurement: variant x test x level (connections, queries) x repeat.
struct Cell {
  std::string variant, test;
  int connections = 0;
  int queries = 0;  // query level (queries/updates tests), 0 when the test has none
  int repeat = 0;   // 0-based repeat index
  std::string status;  // "ok", "failed", "interrupted"
  double duration_s = 0;
  uint64_t requests = 0;
  double requests_per_sec = 0;
  double transfer_bytes_per_sec = 0;
  double target_rate = 0;  // requests/s asked for in open-loop mode, 0 for closed loop
  // Open loop: requests the schedule owed by the end of the window that got no answer in it (load::OwedCounts);
  // each is also in `latency` with the time it had been owed. 0 in closed loop.
  uint64_t owed_unsent = 0, owed_unanswered = 0;
  std::string latency_statistics = "measured";  // what `latency` holds: "measured" or "wrk" (wrk 4.1's correction)
  Latency latency;  // corrected for coordinated omission when target_rate > 0
  std::optional<Latency> latency_uncorrected;  // service time only, open-loop runs
  Errors errors;
  std::map<int, uint64_t> status_codes;  // HTTP status -> responses
  uint64_t non_2xx_3xx = 0;
  std::optional<double> db_queries_per_request, db_rows_per_request;  // from pg_stat_statements
  std::optional<double> server_cpu_us_per_request, client_cpu_us_per_request;  // user+system CPU
  std::optional<double> db_cpu_us_per_request;  // the embedded PostgreSQL's postmaster and backends, user+system
  std::optional<uint64_t> server_peak_rss_bytes;  // whole process group
  std::vector<Warning> warnings;  // why this figure may not be trustworthy, at most one per code
  std::optional<Contention> contention;  // absent where /proc/stat could not be read
};

// One verification finding for a variant.
struct Check {
  std::string test;
  std::string level;  // "pass", "warn", "fail"
  std::string message;
};

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
};

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
};

// One revision of the code under test measured by `bench run --revisions` (docs/ci.md).
struct Revision {
  std::string label;    // what variant names carry after '@': the revision as given, a full hash shortened to 12
  std::string commit;   // the full hash (for the working tree: HEAD's, the tree it started from)
  std::string subject;  // the commit's subject line
  bool working_tree = false;  // the working tree (--revisions WORKTREE), uncommitted changes included
  bool dirty = false;         // working tree only: it had uncommitted changes (tracked or untracked files)
};

// One results file: a whole `bench run`.
struct Run {
  int schema_version = kSchemaVersion;
  std::string scenario_name;
  nlohmann::json scenario;  // the resolved scenario, every default applied
  Environment environment;
  nlohmann::json placement;  // null: nothing pinned; else topology::to_json (which CPUs each role ran on)
  std::string started_at, finished_at;  // ISO 8601 UTC, "2026-11-26T10:30:00Z"
  std::string status;  // "running", "complete", "interrupted", "failed"
  std::vector<Variant> variants;  // in scenario order (the order of the cost ladder)
  std::vector<Revision> revisions;  // `--revisions`, in the order given; empty otherwise
  std::vector<Cell> cells;  // in measurement order
};

// The JSON form of a run (docs/results.md).
nlohmann::json to_json(const Run& run);

// Reads the JSON form back. Throws ResultsError when schema_version is missing or unknown, or a field has the
// wrong type; `origin` names the file in the message.
Run run_from_json(const nlohmann::json& json, const std::string& origin = "results");

// Reads a results file. Throws ResultsError, one line naming the file: missing, a folder, larger than
// kMaxResultsBytes, nested deeper than kMaxResultsDepth, an object with more than kMaxResultsObjectKeys keys or an
// array with more than kMaxResultsArrayItems items, not JSON (or not UTF-8), not a results file, unknown
// schema, a field of the wrong type (named by its path: "cells[3].latency.p99_us").
Run load(const std::filesystem::path& path);

// Parses results text with the depth, keys-per-object and array-length limits (used by load; `origin` names the
// source in messages).
Run parse(const std::string& text, const std::string& origin);

// Reads several results files for one report, also bounding their cells together (kMaxReportCells). Throws
// ResultsError naming the file and the limit.
std::vector<Run> load_all(const std::vector<std::string>& paths);

// Writes file.tmp, fsyncs it, renames it over the target and fsyncs the folder: a crash never leaves a half
// file. Throws std::system_error when the file cannot be written.
void save_atomic(const Run& run, const std::filesystem::path& path);

}  // namespace bench::report

// Console lines and fmt::format print a warning as its message.
template <>
struct fmt::formatter<bench::report::Warning> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const bench::report::Warning& warning, Context& context) const {
    return fmt::formatter<std::string_view>::format(warning.message, context);
  }
};
