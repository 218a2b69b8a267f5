#pragma once
// The verifier: TechEmpower's response checks, run against one endpoint before it is measured (issue #3,
// "Verification before load"). Every check ends as a Finding (pass, warn or fail with the reason), so a run can
// report what was checked and why a variant was rejected. The rules follow TFB's toolset/test_types/verifications.py
// as summarised in docs/techempower-rules.md. Independent of the load engine: plain libcurl easy requests.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench::verify {

// How bad a finding is. Ordered: pass < warn < fail, so the worst of a report is a max.
enum class Level { pass, warn, fail };
std::string_view to_string(Level level);

// The TechEmpower test types. scenario/ has its own enum for the YAML; the run maps one onto the other.
enum class TestKind { json, db, queries, fortunes, updates, plaintext };
std::string_view to_string(TestKind kind);

// One check's outcome. `test` names the test type ("json", "queries", ...) or "date" for the Date-header check;
// `url` is the exact URL that was requested, so a reader can repeat it with curl.
struct Finding {
  std::string test;
  std::string url;
  Level level = Level::pass;
  std::string message;
};

// All findings of one verification, in the order the checks ran.
struct Report {
  std::vector<Finding> findings;
  // The most severe level among the findings (pass when there are none).
  Level worst() const;
  // True when any finding is a fail: the variant must not be measured for this test.
  bool failed() const;
  // Appends another report's findings (the run merges verify() and verify_date_header()).
  void append(const Report& other);
};

// Cumulative statement counters from pg_stat_statements, summed over the statements that name each table
// (TFB's accounting). The verifier only ever looks at the difference between two snapshots.
struct QueryCounts {
  int64_t select_world_calls = 0;
  int64_t select_world_rows = 0;
  int64_t update_world_calls = 0;
  int64_t update_world_rows = 0;
  int64_t select_fortune_calls = 0;
  int64_t select_fortune_rows = 0;
};
// Field-by-field difference (after - before).
QueryCounts operator-(const QueryCounts& after, const QueryCounts& before);

// One distinct statement text as pg_stat_statements tracks it (constants already replaced by $1, $2, ...), with its
// cumulative calls and rows. Lets the verifier name the statements a server sends beyond what a test needs.
struct StatementCalls {
  std::string text;
  int64_t calls = 0;
  int64_t rows = 0;
};

// The database side, behind an interface so tests can fake it. verify/database_probe.h implements it over
// database::Client for bench run.
class DbProbe {
 public:
  virtual ~DbProbe() = default;
  // The whole World table: id -> randomNumber. Used to see whether /updates really writes.
  virtual std::map<int, int> world_snapshot() = 0;
  // Current cumulative counters (see QueryCounts).
  virtual QueryCounts query_counts() = 0;
  // Why query_counts() cannot work on this database (e.g. no pg_stat_statements), or nullopt when it can: the
  // query-count checks are then skipped with one warn saying so, not failed.
  virtual std::optional<std::string> counts_unavailable() const { return std::nullopt; }
  // Every statement the servers sent so far, cumulative, the harness's own left out. The default (no list) skips
  // the extra-statement check; verify/statements.h reads it from pg_stat_statements.
  virtual std::vector<StatementCalls> statements() { return {}; }
};

// Tunables of one verification, with TFB-like defaults.
struct Options {
  // Per-request timeout (connect + transfer).
  std::chrono::milliseconds timeout{5000};
  // Requests in the query-count burst: TechEmpower's count (its highest concurrency, 512, one repetition, for every
  // test type), so that one skipped statement in 10,240 is caught here exactly as TechEmpower's toolset catches it.
  int burst_requests = 512;
  // Connections the burst is spread over, each sending its share back to back. TechEmpower sends all 512 at once
  // (siege -c 512); a few concurrent connections are enough to exercise a server's pool and keep the check quick.
  int burst_connections = 8;
  // The queries/updates parameter used during the burst (TechEmpower's 20).
  int burst_queries = 20;
};

// Verifies one test type at base_url + path. `path` is the scenario's path ("/json", "/queries?queries="); for
// queries and updates the verifier appends its own values ("", "0", "foo", "2", "501", ...).
// `db` may be null: the database-dependent checks (updates changed rows, query counts) then become one warn
// "not checked: no database access". Never throws for a misbehaving server: that is a fail finding.
Report verify(TestKind kind, const std::string& base_url, const std::string& path, DbProbe* db,
              const Options& options = {});

// TFB's cached-Date check, done once per variant rather than per test because it has to wait: asks for
// base_url + path, then asks again after `first_wait` (default 1.1 s, just over the header's 1 s resolution) and, while
// the Date is unchanged, every 0.5 s until `deadline` (default 3 s, TFB's wait) has passed since the first answer.
// Each later ask goes both over a new connection (TFB's check: unchanged there fails) and over the first request's
// kept-alive connection (unchanged only there warns: some servers fix the Date per connection, which a keep-alive
// benchmark client then sees). So a server with a live or per-second cached Date passes in ~1.1 s.
Report verify_date_header(const std::string& base_url, const std::string& path,
                          std::chrono::milliseconds first_wait = std::chrono::milliseconds(1100),
                          std::chrono::milliseconds deadline = std::chrono::milliseconds(3000),
                          const Options& options = {});

}  // namespace bench::verify
