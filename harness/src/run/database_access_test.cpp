// bench run and its databases, end to end: the real bench binary, real servers, real PostgreSQL clusters.
// - While a run holds the embedded database, another account on the machine cannot log in; the run's password
//   reaches the servers but no console line and no results file.
// - An external database (dsn:) on an ordinary PostgreSQL, without pg_stat_statements and with a role that is not a
//   superuser, is still seeded, verified and measured; query counts are absent and said so once.
// - `--dsn garbage` is refused before anything is created.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "database/client.h"
#include "database/embedded_postgres.h"
#include "report/result.h"
#include "supervisor/process.h"
#include "supervisor/test_support.h"

#ifndef BENCH_PATH
#error "BENCH_PATH must name the bench executable"
#endif

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using bench::supervisor::Process;
using bench::supervisor::testing::eventually;
using bench::supervisor::testing::read_file;

namespace {

// A folder others may enter (PostgreSQL's account creates clusters inside it), removed at the end.
struct TempDir : bench::supervisor::testing::TempDir {
  const fs::path& path = bench::supervisor::testing::TempDir::path();
  TempDir() { fs::permissions(path, fs::perms(0755)); }
};

Process start_bench(const TempDir& dir, const std::vector<std::string>& args) {
  bench::supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "run"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.argv.insert(spec.argv.end(), {"-o", (dir.path / "results").string()});  // not -q: tests wait for log lines
  spec.log = dir.path / "bench.log";
  spec.env["TMPDIR"] = dir.path.string();
  return Process::spawn(spec);
}

int wait_for_exit(Process& process, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (auto code = process.exit_code()) return *code;
    std::this_thread::sleep_for(20ms);
  }
  FAIL("bench did not finish in time");
  return -1;
}

fs::path results_file(const TempDir& dir) {
  for (const auto& entry : fs::directory_iterator(dir.path / "results"))
    if (fs::exists(entry.path() / "results.json")) return entry.path() / "results.json";
  FAIL("no results.json written");
  return {};
}

fs::path write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// Every file under `root` (results, logs) and whether any holds `secret`.
bool any_file_holds(const fs::path& root, const std::string& secret) {
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file() && read_file(entry.path()).find(secret) != std::string::npos) return true;
  return false;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// psql as `account` (nullopt: this process's own), one statement, never prompting for a password.
bool psql_as(const std::optional<std::string>& account, const std::string& conninfo, std::string& output) {
  bench::supervisor::testing::TempDir dir;
  const auto outcome = bench::supervisor::run_to_completion(
      {.argv = {(bench::database::kPostgresBinDir / "psql").string(), "-X", "-w", "-At", "-d", conninfo, "-c",
                "SELECT current_user"},
       .cwd = "/",
       .env = {{"PGPASSFILE", "/dev/null"}, {"PGCONNECT_TIMEOUT", "5"}},
       .log = dir / "psql.log",
       .run_as_user = account},
      30s);
  output = read_file(dir / "psql.log");
  return outcome.ok();
}

// KEY=value lines -> map.
std::map<std::string, std::string> parse_env(const std::string& text) {
  std::map<std::string, std::string> env;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (const auto eq = line.find('='); eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  return env;
}

}  // namespace

TEST_CASE("while a run holds the embedded database nobody else logs in, and its password is never written",
          "[integration][security]") {
  TempDir dir;
  const fs::path env_file = dir.path / "server-env.txt";
  const std::string token = fmt::format("dbaccess-{}", ::getpid());
  // The server notes the database environment it was given, then serves /json for the whole measurement.
  const auto scenario = write_file(dir.path / "scenario.yaml", fmt::format(R"(
name: access-test
database: embedded
servers:
  noter:
    command: "env | grep -E '^(PG|DATABASE_URL)' > {} && exec /usr/bin/python3 {} --token {}"
    ready: {{path: /json, timeout: 30s}}
    tests: [json]
tests:
  json: /json
load: {{connections: 2, threads: 1, duration: 3s, warmup: 0s}}
)",
                                                                           env_file.string(), TINY_SERVER_PATH, token));
  auto bench = start_bench(dir, {scenario.string()});
  REQUIRE(eventually([&] { return read_file(dir.path / "bench.log").find("verified") != std::string::npos; }, 120s));
  const auto env = parse_env(read_file(env_file));
  INFO(read_file(dir.path / "bench.log"));
  REQUIRE(env.count("PGPASSWORD") == 1);
  const std::string password = env.at("PGPASSWORD");
  CHECK(password.size() == 32);
  CHECK(password != "benchmarkdbpass");
  CHECK(env.at("PGUSER") == "benchmarkdbuser");
  CHECK(env.at("DATABASE_URL").find(password) != std::string::npos);

  const std::optional<std::string> other =
      ::geteuid() == 0 ? std::optional<std::string>("nobody") : std::optional<std::string>();
  const std::string target = fmt::format("host=127.0.0.1 port={} dbname=hello_world", env.at("PGPORT"));
  std::string output;
  // The control: with the run's password the same account gets in (psql runs, the port is reachable)...
  CHECK(psql_as(other, target + " user=benchmarkdbuser password=" + password, output));
  INFO(output);
  // ...and without it, as no role does it.
  for (const char* user : {"benchmarkdbuser", "bench_admin", "postgres"}) {
    INFO(user);
    CHECK_FALSE(psql_as(other, target + " user=" + user, output));
    CHECK_FALSE(psql_as(other, target + " user=" + std::string(user) + " password=benchmarkdbpass", output));
  }

  CHECK(wait_for_exit(bench, 120s) == 0);
  const auto results = bench::report::load(results_file(dir));
  CHECK(results.status == "complete");
  CHECK_FALSE(any_file_holds(dir.path / "results", password));
  CHECK(read_file(dir.path / "bench.log").find(password) == std::string::npos);
  // Nothing of the cluster is left in TMPDIR: no folder, no postgres-XXXXXX.log.
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    INFO(entry.path());
    CHECK(entry.path().filename().string().rfind("postgres-", 0) != 0);
  }
}

TEST_CASE("an external database without pg_stat_statements and without a superuser is still measured",
          "[integration][servers]") {
  TempDir dir;
  // An ordinary PostgreSQL: the library is not preloaded, the role is not a superuser but may create tables.
  bench::database::EmbeddedOptions options;
  options.query_stats = false;
  auto database = bench::database::EmbeddedPostgres::start(dir.path / "external", nullptr, options);
  {
    bench::database::Client admin(database->admin_info());
    admin.exec("GRANT CREATE ON SCHEMA public TO benchmarkdbuser");
  }
  const std::string dsn = database->info().url();
  const std::string password = database->info().password;
  const auto server_dir = fs::path(SOURCE_DIR) / "servers" / "python-fastapi";
  const auto scenario = write_file(dir.path / "scenario.yaml", fmt::format(R"(
name: dsn-test
database: {{dsn: "{}", seed: true}}
servers:
  raw:
    command: "exec /usr/bin/python3 run.py"
    cwd: {}
    env: {{BENCH_VARIANT: raw}}
    ready: {{path: /json, timeout: 60s}}
    tests: [db, queries]
tests:
  db: /db
  queries: {{path: "/queries?queries=", levels: [2]}}
load: {{connections: 4, threads: 1, duration: 1s, warmup: 0s}}
)",
                                                                           dsn, server_dir.string()));
  auto bench = start_bench(dir, {scenario.string()});
  const int code = wait_for_exit(bench, 300s);
  const std::string output = read_file(dir.path / "bench.log");
  INFO(output);
  CHECK(code == 0);
  const auto results = bench::report::load(results_file(dir));
  CHECK(results.status == "complete");
  CHECK_THAT(results.environment.query_counts_unavailable,
             Catch::Contains("pg_stat_statements") && Catch::Contains("permission denied"));
  CHECK(occurrences(output, "no query counts in this run") == 1);  // said once
  REQUIRE(results.variants.size() == 1);
  const auto& variant = results.variants.front();
  CHECK(variant.status == "ok");
  CHECK(std::none_of(variant.checks.begin(), variant.checks.end(), [](const auto& c) { return c.level == "fail"; }));
  CHECK(std::any_of(variant.checks.begin(), variant.checks.end(), [](const auto& c) {
    return c.level == "warn" && c.message.find("query counts not checked: pg_stat_statements") != std::string::npos;
  }));
  CHECK(std::any_of(variant.checks.begin(), variant.checks.end(), [](const auto& c) { return c.level == "pass"; }));
  REQUIRE(results.cells.size() == 2);
  for (const auto& cell : results.cells) {
    INFO(cell.test);
    CHECK(cell.status == "ok");
    CHECK(cell.requests > 0);
    CHECK(cell.non_2xx_3xx == 0);
    CHECK_FALSE(cell.db_queries_per_request.has_value());
  }
  CHECK_FALSE(any_file_holds(dir.path / "results", password));
  CHECK(output.find(password) == std::string::npos);
}

TEST_CASE("run refuses a --dsn that does not parse before anything is created", "[integration]") {
  TempDir dir;
  const auto scenario = write_file(dir.path / "scenario.yaml", R"(
name: garbage-dsn
database: embedded
servers:
  s: {command: "exit 1"}
tests:
  json: /json
)");
  auto bench = start_bench(dir, {scenario.string(), "--dsn", "garbage"});
  CHECK(wait_for_exit(bench, 30s) == 2);
  const std::string output = read_file(dir.path / "bench.log");
  INFO(output);
  CHECK_THAT(output, Catch::Contains("--dsn"));
  CHECK_FALSE(fs::exists(dir.path / "results"));
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    INFO(entry.path());
    CHECK(entry.path().filename().string().rfind("postgres-", 0) != 0);
  }
}
