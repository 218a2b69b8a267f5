// End-to-end tests of `bench run`: the real bench binary, real server processes, a real embedded PostgreSQL.
#include "report/result.h"
#include "supervisor/port_owner.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/test_support.h"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef BENCH_PATH
#error "BENCH_PATH must name the bench executable"
#endif
#ifndef TINY_SERVER_PATH
#error "TINY_SERVER_PATH must name testdata/tiny_server.py"
#endif

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using bench::supervisor::Process;

namespace {

using bench::supervisor::testing::eventually;
using bench::supervisor::testing::read_file;

// A folder of its own per test, removed at the end; others may enter it, so that PostgreSQL's account can
// create the embedded cluster inside it (bench puts the cluster under TMPDIR).
struct TempDir : bench::supervisor::testing::TempDir {
  const fs::path& path = bench::supervisor::testing::TempDir::path();
  TempDir() {
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  }
};

// The command line of a tiny_server with a token no other process has, so leftovers can be found.
std::string tiny_server(const std::string& token, const std::string& flags = "") {
  return fmt::format("/usr/bin/python3 {} {} --token {}", TINY_SERVER_PATH, flags, token);
}

// Pids whose command line contains `needle` (a leftover server or postgres), this test process excepted.
std::vector<int> processes_containing(const std::string& needle) {
  std::vector<int> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::stoi(name);
    if (pid == getpid()) continue;
    std::string cmdline = read_file(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(needle) != std::string::npos && bench::supervisor::process_alive(pid)) found.push_back(pid);
  }
  return found;
}

// Leftovers may take a moment to be reaped; give them a short deadline, never a fixed sleep.
bool gone_within(const std::string& needle, std::chrono::milliseconds deadline) {
  return eventually([&] { return processes_containing(needle).empty(); }, deadline);
}

struct BenchRun {
  int exit_code = -1;
  std::string output;
  bench::report::Run results;
};

Process start_bench(const TempDir& dir, const fs::path& scenario, const std::vector<std::string>& extra = {}) {
  bench::supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "run", scenario.string(), "-o", (dir.path / "results").string()};
  spec.argv.insert(spec.argv.end(), extra.begin(), extra.end());
  spec.log = dir.path / "bench.log";
  spec.env["TMPDIR"] = dir.path.string();  // the embedded cluster goes here, so leftovers are easy to find
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

fs::path write_scenario(const TempDir& dir, const std::string& yaml) {
  const auto scenario = dir.path / "scenario.yaml";
  std::ofstream(scenario) << yaml;
  return scenario;
}

BenchRun run_bench(const TempDir& dir, const std::string& yaml, std::chrono::seconds deadline = 120s) {
  auto process = start_bench(dir, write_scenario(dir, yaml), {"-q"});
  BenchRun out;
  out.exit_code = wait_for_exit(process, deadline);
  out.output = read_file(dir.path / "bench.log");
  INFO(out.output);
  out.results = bench::report::load(results_file(dir));
  return out;
}

const bench::report::Variant& variant(const bench::report::Run& run, const std::string& name) {
  for (const auto& v : run.variants)
    if (v.name == name) return v;
  FAIL("no variant " << name);
  throw std::logic_error("unreachable");
}

std::string unique_token(const char* what) {
  return fmt::format("{}-{}-{}", what, getpid(), std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

TEST_CASE("bench run measures a good variant and reports one that fails verification", "[integration]") {
  TempDir dir;
  const auto token = unique_token("verify");
  const auto r = run_bench(dir, fmt::format(R"(
name: verify-test
database: none
servers:
  good: {{command: "{}", ready: {{path: /json, timeout: 20s}}, versions: "{} --versions"}}
  broken: {{command: "{}", ready: {{path: /json, timeout: 20s}}, versions: "echo not json; exit 3"}}
tests:
  json: /json
load: {{connections: 4, threads: 1, duration: 1s, warmup: 0s}}
)",
                                            tiny_server(token), tiny_server(token), tiny_server(token, "--bad-json")));
  INFO(r.output);
  CHECK(r.exit_code == 1);  // something failed
  CHECK(r.results.status == "complete");
  const auto& good = variant(r.results, "good");
  CHECK(good.status == "ok");
  CHECK(std::any_of(good.checks.begin(), good.checks.end(), [](const auto& c) { return c.level == "pass"; }));
  const auto& broken = variant(r.results, "broken");
  CHECK(broken.status == "failed");
  CHECK_THAT(broken.reason, Catch::Contains("verification failed"));
  CHECK(std::any_of(broken.checks.begin(), broken.checks.end(), [](const auto& c) { return c.level == "fail"; }));
  // The reason and each check name the URL they are about (issue #15 item 3).
  CHECK_THAT(broken.reason, Catch::Contains("json /json: "));
  CHECK(std::all_of(broken.checks.begin(), broken.checks.end(), [](const auto& c) { return c.message.rfind("/", 0) == 0; }));

  REQUIRE(r.results.cells.size() == 1);  // only the good variant was measured
  const auto& cell = r.results.cells.front();
  CHECK(cell.variant == "good");
  CHECK(cell.status == "ok");
  CHECK(cell.requests > 50);
  CHECK(cell.status_codes.at(200) == cell.requests);
  CHECK(cell.server_cpu_us_per_request.has_value());
  CHECK(cell.server_peak_rss_bytes.value_or(0) > 0);
  CHECK(gone_within(token, 2s));

  // What each server reported about itself (its `versions:` command), in the results and in the report.
  CHECK_FALSE(good.versions.at("python").empty());
  CHECK(broken.versions.empty());  // a versions command that fails leaves them empty, and the run goes on
  const auto folder = results_file(dir).parent_path();
  CHECK_THAT(read_file(folder / "broken.versions.log"), Catch::Contains("not json"));
  CHECK_THAT(read_file(folder / "report.md"), Catch::Contains("| good | python 3."));
}

TEST_CASE("bench run reports a server that crashes mid-run and keeps going", "[integration]") {
  TempDir dir;
  const auto token = unique_token("crash");
  const auto r = run_bench(dir, fmt::format(R"(
name: crash-test
database: none
servers:
  crashing: {{command: "{}", ready: {{path: /json}}}}
  steady: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
  plaintext: /plaintext
load: {{connections: 2, threads: 1, duration: 3s, warmup: 0s}}
)",
                                            tiny_server(token, "--die-after 300"), tiny_server(token)));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const auto& crashing = variant(r.results, "crashing");
  CHECK(crashing.status == "failed");
  CHECK_THAT(crashing.reason, Catch::Contains("exited during"));
  CHECK_THAT(crashing.log_tail, Catch::Contains("dying after"));
  // Its measured cell is kept, with the reason it cannot be trusted.
  const auto crashed_cell = std::find_if(r.results.cells.begin(), r.results.cells.end(),
                                         [](const auto& c) { return c.variant == "crashing"; });
  REQUIRE(crashed_cell != r.results.cells.end());
  CHECK_FALSE(crashed_cell->warnings.empty());
  // The other variant ran both its tests.
  CHECK(variant(r.results, "steady").status == "ok");
  CHECK(std::count_if(r.results.cells.begin(), r.results.cells.end(),
                      [](const auto& c) { return c.variant == "steady" && c.status == "ok"; }) == 2);
  CHECK(gone_within(token, 2s));
}

TEST_CASE("Ctrl-C stops every child including PostgreSQL and keeps what was measured", "[integration]") {
  TempDir dir;
  const auto token = unique_token("sigint");
  const auto scenario = write_scenario(dir, fmt::format(R"(
name: sigint-test
database: embedded
servers:
  first: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
load: {{connections: [2, 4], threads: 1, duration: 1s, warmup: 0s, repeat: 50}}
)",
                                                             tiny_server(token)));
  auto bench = start_bench(dir, scenario, {"-q"});
  // Wait until at least one cell is stored (results are rewritten after each), then interrupt mid-run.
  const auto measured = [&] {
    if (!bench.running() || !fs::exists(dir.path / "results")) return !bench.running();
    for (const auto& entry : fs::directory_iterator(dir.path / "results")) {
      try {
        if (!bench::report::load(entry.path() / "results.json").cells.empty()) return true;
      } catch (const std::exception&) {  // not written yet
      }
    }
    return false;
  };
  REQUIRE(eventually(measured, 90s));
  INFO(read_file(dir.path / "bench.log"));
  REQUIRE(bench.running());
  const std::string postgres = "-D " + dir.path.string();  // the embedded cluster lives under TMPDIR
  REQUIRE(!processes_containing(postgres).empty());
  bench.signal(SIGINT);
  const int code = wait_for_exit(bench, 60s);
  INFO(read_file(dir.path / "bench.log"));
  CHECK(code == 130);
  const auto results = bench::report::load(results_file(dir));
  CHECK(results.status == "interrupted");
  CHECK_FALSE(results.cells.empty());
  CHECK(gone_within(token, 2s));
  CHECK(gone_within(postgres, 5s));  // no postgres process left behind
}

// Every server variant of the repository (FastAPI json/raw/text/core/baked/orm, Gin json/raw) against the
// embedded PostgreSQL: each must pass TechEmpower's verification of every endpoint and then answer load cleanly.
TEST_CASE("scenarios/quick.yaml: every real server variant verifies and serves every test", "[integration][servers]") {
  TempDir dir;
  auto bench = start_bench(dir, fs::path(SOURCE_DIR) / "scenarios" / "quick.yaml", {"-q"});
  const int code = wait_for_exit(bench, 600s);
  const auto output = read_file(dir.path / "bench.log");
  INFO(output);
  CHECK(code == 0);
  const auto results = bench::report::load(results_file(dir));
  CHECK(results.status == "complete");
  REQUIRE(results.variants.size() == 8);
  for (const auto& v : results.variants) {
    INFO(v.name << ": " << v.reason);
    CHECK(v.status == "ok");
    // Each real server reports its runtime and framework (the scenario's `versions:`, docs/servers.md).
    const bool go = v.name.rfind("gin-", 0) == 0;
    for (const char* component : {go ? "go" : "python", go ? "gin" : "fastapi"}) {
      INFO(component);
      CHECK_FALSE((v.versions.count(component) == 0 || v.versions.at(component).empty()));
    }
    CHECK(std::none_of(v.checks.begin(), v.checks.end(), [](const auto& c) { return c.level == "fail"; }));
  }
  for (const auto& c : results.cells) {
    INFO(c.variant << " " << c.test << " q=" << c.queries);
    CHECK(c.status == "ok");
    CHECK(c.requests > 0);
    CHECK(c.errors.total() == 0);
    CHECK(c.non_2xx_3xx == 0);
    if (c.test != "json" && c.test != "plaintext") {
      // pg_stat_statements saw exactly the counted requests' statements: the warmup's requests in flight finished
      // before the window, the window's own in-flight ones were drained and counted apart (load::Options::drain).
      REQUIRE(c.db_queries_per_request.has_value());
      // The embedded PostgreSQL's backends worked for these requests (they run in sessions of their own).
      REQUIRE(c.db_cpu_us_per_request.has_value());
      CHECK(*c.db_cpu_us_per_request > 1.0);
      const double q = std::max(1, c.queries);
      if (c.test == "updates") {
        // A read and a write per row; an ORM writes a row drawn twice in one request once (identity map).
        CHECK(*c.db_queries_per_request >= 0.99 * 2 * q);
        CHECK(*c.db_queries_per_request <= 2 * q + 1e-9);
      } else {
        CHECK(*c.db_queries_per_request == Approx(q).epsilon(1e-6));
      }
    }
  }
}

TEST_CASE("a SIGKILLed bench leaves no server and no PostgreSQL behind", "[integration]") {
  TempDir dir;
  const auto token = unique_token("sigkill");
  // The server is started through a shell that does not exec it: a grandchild PDEATHSIG alone would not catch.
  const auto scenario = write_scenario(dir, fmt::format(R"(
name: sigkill-test
database: embedded
servers:
  first: {{command: "cd /tmp && {}", ready: {{path: /json}}}}
tests:
  json: /json
load: {{connections: 2, threads: 1, duration: 30s, warmup: 0s}}
)",
                                                             tiny_server(token)));
  auto bench = start_bench(dir, scenario);  // not -q: the wait below reads the "verified" log line
  const std::string postgres = "-D " + dir.path.string();
  // Wait until the server answers load (it was verified), then kill bench outright.
  REQUIRE(eventually([&] { return read_file(dir.path / "bench.log").find("verified") != std::string::npos; },
                     90s));
  REQUIRE_FALSE(processes_containing(token).empty());
  REQUIRE_FALSE(processes_containing(postgres).empty());
  bench.signal(SIGKILL);
  CHECK(wait_for_exit(bench, 10s) == 128 + SIGKILL);
  CHECK(gone_within(token, 5s));
  CHECK(gone_within(postgres, 10s));
  // The guardian also cleans up what bench could not: the cluster's folder, and results.json's `running`.
  const auto cluster_left = [&] {
    for (const auto& entry : fs::directory_iterator(dir.path))
      if (entry.is_directory() && entry.path().filename().string().rfind("postgres-", 0) == 0) return true;
    return false;
  };
  CHECK(eventually([&] { return !cluster_left(); }, 10s));
  const auto file = results_file(dir);
  CHECK(eventually([&] { return bench::report::load(file).status == "interrupted"; }, 10s));
}

// ---- Issue #10: nothing lost, nobody in ----

namespace {

// Runs bench with extra arguments and no scenario parsing of our own; returns exit code and stderr+stdout.
BenchRun run_bench_args(const TempDir& dir, const fs::path& scenario, const std::vector<std::string>& extra,
                        std::chrono::seconds deadline = 120s) {
  auto process = start_bench(dir, scenario, extra);
  BenchRun out;
  out.exit_code = wait_for_exit(process, deadline);
  out.output = read_file(dir.path / "bench.log");
  return out;
}

}  // namespace

TEST_CASE("bytes that are not UTF-8 from servers and logs are stored replaced, and the run goes on",
          "[integration]") {
  TempDir dir;
  const auto token = unique_token("utf8");
  const auto r = run_bench(dir, fmt::format(R"(
name: utf8-test
database: none
servers:
  cut: {{command: "{}", ready: {{path: /plaintext}}}}
  binary: {{command: "{}", ready: {{path: /json}}}}
  good: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
  plaintext: /plaintext
load: {{connections: 2, threads: 1, duration: 1s, warmup: 0s}}
)",
                                            tiny_server(token, "--cut-json --log-garbage"),
                                            tiny_server(token, "--binary-plaintext --bad-date"), tiny_server(token)));
  INFO(r.output);
  CHECK(r.exit_code == 1);  // two variants failed verification, and the run finished
  CHECK(r.results.status == "complete");
  const auto& cut = variant(r.results, "cut");
  CHECK(cut.status == "failed");
  CHECK_THAT(cut.log_tail, Catch::Contains("garbage \xEF\xBF\xBD\xEF\xBF\xBD in the log"));
  CHECK(variant(r.results, "binary").status == "failed");
  // The variant after them was measured: one bad byte no longer ends the run.
  CHECK(variant(r.results, "good").status == "ok");
  CHECK(std::count_if(r.results.cells.begin(), r.results.cells.end(),
                      [](const auto& c) { return c.variant == "good" && c.status == "ok"; }) == 2);
  // Every message that quotes the bodies or the Date header is valid UTF-8 (nlohmann refuses to dump otherwise).
  const auto text = read_file(results_file(dir));
  CHECK_NOTHROW(nlohmann::json::parse(text).dump());
  CHECK(text.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(gone_within(token, 2s));
}

TEST_CASE("two runs of one scenario started together keep their own complete results", "[integration]") {
  TempDir dir;
  const auto token = unique_token("twins");
  const auto scenario = write_scenario(dir, fmt::format(R"(
name: twins
database: none
servers:
  only: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
load: {{connections: 2, threads: 1, duration: 1s, warmup: 0s}}
)",
                                                             tiny_server(token)));
  // Two bench processes, same scenario, same results root, started back to back (the same second, mostly).
  std::vector<Process> runs;
  for (const char* log : {"a.log", "b.log"}) {
    bench::supervisor::ProcessSpec spec;
    spec.argv = {BENCH_PATH, "run", scenario.string(), "-o", (dir.path / "results").string(), "-q"};
    spec.log = dir.path / log;
    runs.push_back(Process::spawn(spec));
  }
  for (auto& run : runs) CHECK(wait_for_exit(run, 120s) == 0);
  INFO(read_file(dir.path / "a.log") << read_file(dir.path / "b.log"));
  int folders = 0;
  for (const auto& entry : fs::directory_iterator(dir.path / "results")) {
    ++folders;
    const auto results = bench::report::load(entry.path() / "results.json");
    CHECK(results.status == "complete");
    CHECK(results.cells.size() == 1);
    CHECK_FALSE(fs::exists(entry.path() / "results.json.tmp"));
  }
  CHECK(folders == 2);
}

TEST_CASE("a Ctrl-C during the warmup stores the variant as interrupted, not ok", "[integration]") {
  TempDir dir;
  const auto token = unique_token("warmup");
  const auto scenario = write_scenario(dir, fmt::format(R"(
name: warmup-interrupt
database: none
servers:
  slow: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
load: {{connections: 2, threads: 1, duration: 1s, warmup: 60s}}
)",
                                                             tiny_server(token)));
  auto bench = start_bench(dir, scenario, {});  // not -q: the test waits for the "verified" log line
  REQUIRE(eventually([&] { return read_file(dir.path / "bench.log").find("verified") != std::string::npos; }, 90s));
  bench.signal(SIGINT);
  CHECK(wait_for_exit(bench, 60s) == 130);
  INFO(read_file(dir.path / "bench.log"));
  const auto results = bench::report::load(results_file(dir));
  CHECK(results.status == "interrupted");
  const auto& slow = variant(results, "slow");
  CHECK(slow.status == "interrupted");
  CHECK_THAT(slow.reason, Catch::Contains("during warmup") && Catch::Contains("0 of 1 cells"));
  CHECK_THAT(read_file(dir.path / "bench.log"), Catch::Contains("slow interrupted"));  // the summary says so
  CHECK(gone_within(token, 2s));
}

TEST_CASE("a server stopped with SIGSTOP mid-run fails its cell and the run", "[integration]") {
  TempDir dir;
  const auto token = unique_token("sigstop");
  // It stops itself after 60 requests: during the first cell, so the second cell sees no answer at all.
  const auto r = run_bench(dir, fmt::format(R"(
name: sigstop-test
database: none
servers:
  frozen: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
load: {{connections: [2, 4], threads: 1, duration: 2s, warmup: 0s, timeout: 1s}}
)",
                                            tiny_server(token, "--freeze-after 60")));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const auto failed = std::find_if(r.results.cells.begin(), r.results.cells.end(),
                                   [](const auto& c) { return c.status == "failed"; });
  REQUIRE(failed != r.results.cells.end());
  CHECK(failed->requests == 0);
  CHECK(std::find(failed->warnings.begin(), failed->warnings.end(), "no request completed") != failed->warnings.end());
  CHECK(gone_within(token, 5s));
}

TEST_CASE("a fixed port held by another process fails the variant before it starts", "[integration]") {
  TempDir dir;
  const auto token = unique_token("squatter");
  const int port = bench::supervisor::free_port();
  // The squatter: a correct server of its own on the port; bench must not verify or measure it.
  bench::supervisor::ProcessSpec squatter_spec;
  squatter_spec.argv = bench::supervisor::shell_command(tiny_server(token + "-squatter"));
  squatter_spec.env["PORT"] = std::to_string(port);
  squatter_spec.log = dir.path / "squatter.log";
  auto squatter = Process::spawn(squatter_spec);
  REQUIRE(eventually([&] { return !bench::supervisor::port_free(port); }, 20s));
  const auto r = run_bench(dir, fmt::format(R"(
name: squat-test
database: none
servers:
  mine: {{command: "{}", port: {}, ready: {{path: /json, timeout: 10s}}}}
tests:
  json: /json
load: {{connections: 2, threads: 1, duration: 1s, warmup: 0s}}
)",
                                            tiny_server(token), port));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const auto& mine = variant(r.results, "mine");
  CHECK(mine.status == "failed");
  CHECK_THAT(mine.reason, Catch::Contains(fmt::format("port {} is already in use", port)));
  CHECK(r.results.cells.empty());
  CHECK(squatter.running());  // not ours to stop
  squatter.stop();
  CHECK(gone_within(token, 2s));
}

TEST_CASE("a server that escapes with setsid is stopped, and a SIGKILL at stop is reported", "[integration]") {
  TempDir dir;
  const auto token = unique_token("escape");
  const auto r = run_bench(dir, fmt::format(R"(
name: escape-test
database: none
servers:
  escaper: {{command: "setsid -w {}", ready: {{path: /json}}}}
  stubborn: {{command: "exec {}", ready: {{path: /json}}, stop_grace: 1s}}
tests:
  json: /json
load: {{connections: 2, threads: 1, duration: 1s, warmup: 0s}}
)",
                                            tiny_server(token + "-escaper"), tiny_server(token, "--ignore-term")));
  INFO(r.output);
  CHECK(r.exit_code == 0);
  const auto& escaper = variant(r.results, "escaper");
  REQUIRE(escaper.warnings.size() == 1);
  CHECK_THAT(escaper.warnings.front(), Catch::Contains("left the server's process group"));
  const auto& stubborn = variant(r.results, "stubborn");
  REQUIRE(stubborn.warnings.size() == 1);
  CHECK_THAT(stubborn.warnings.front(), Catch::Contains("killed with SIGKILL"));
  // Nothing outlives bench: the escaped server was adopted (PR_SET_CHILD_SUBREAPER) and stopped.
  CHECK(gone_within(token, 2s));
}

TEST_CASE("a full disk keeps the last complete results.json and says what was lost", "[integration]") {
  TempDir dir;
  const auto token = unique_token("diskfull");
  const fs::path mount = dir.path / "small";
  fs::create_directories(mount);
  if (std::system(fmt::format("mount -t tmpfs -o size=2m tmpfs '{}' 2>/dev/null", mount.string()).c_str()) != 0) {
    WARN("cannot mount a tmpfs here (needs root): the disk-full case is not exercised");
    return;
  }
  struct Unmount {
    fs::path path;
    ~Unmount() { [[maybe_unused]] int rc = std::system(fmt::format("umount -l '{}'", path.string()).c_str()); }
  } unmount{mount};
  const auto scenario = write_scenario(dir, fmt::format(R"(
name: diskfull
database: none
servers:
  only: {{command: "{}", ready: {{path: /json}}}}
tests:
  json: /json
load: {{connections: [1, 2], threads: 1, duration: 1s, warmup: 0s, repeat: 3}}
)",
                                                             tiny_server(token)));
  bench::supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "run", scenario.string(), "-o", mount.string(), "-q"};
  spec.log = dir.path / "bench.log";
  auto bench = Process::spawn(spec);
  fs::path results;
  const auto one_cell_saved = [&] {
    if (!fs::exists(mount)) return false;
    for (const auto& entry : fs::directory_iterator(mount)) {
      try {
        if (!bench::report::load(entry.path() / "results.json").cells.empty()) {
          results = entry.path() / "results.json";
          return true;
        }
      } catch (const std::exception&) {
      }
    }
    return !bench.running();
  };
  REQUIRE(eventually(one_cell_saved, 60s));
  REQUIRE_FALSE(results.empty());
  // Fill the file system: every later save fails with ENOSPC.
  {
    const int fd = ::open((mount / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    const std::string block(64 * 1024, 'x');
    while (::write(fd, block.data(), block.size()) > 0) {
    }
    ::close(fd);
  }
  const int code = wait_for_exit(bench, 120s);
  const auto output = read_file(dir.path / "bench.log");
  INFO(output);
  CHECK(code == 1);
  const auto kept = bench::report::load(results);  // still a whole, readable file
  CHECK_FALSE(kept.cells.empty());
  CHECK(kept.cells.size() < 6);
  CHECK_FALSE(fs::exists(results.string() + ".tmp"));
  CHECK_THAT(output, Catch::Contains("NOT saved completely") && Catch::Contains("lost:"));
  CHECK(gone_within(token, 2s));
}

TEST_CASE("bench run --repeat 0 names the flag and its range in one short line", "[integration]") {
  TempDir dir;
  const auto scenario = write_scenario(dir, "servers:\n  a: {command: ./a}\ntests:\n  json: /json\n");
  const auto r = run_bench_args(dir, scenario, {"--repeat", "0"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("--repeat") && Catch::Contains("1 to 1000"));
  CHECK(r.output.size() < 200);
  CHECK_FALSE(fs::exists(dir.path / "results"));
}

TEST_CASE("listen: the servers and the embedded database listen on the scenario's address", "[integration]") {
  TempDir dir;
  // 127.0.0.2: loopback, so no traffic leaves the machine, yet not the 127.0.0.1 every part defaults to: a part that
  // ignored `listen` would not be found there (readiness, verification and the database login would fail).
  const auto r = run_bench(dir, fmt::format(R"(
listen: 127.0.0.2
servers:
  tiny: {{command: "echo host=$BENCH_HOST db=$PGHOST; exec {}", ready: {{path: /json, timeout: 20s}}, tests: [json]}}
  raw:
    command: "exec /usr/bin/python3 run.py"
    cwd: {}/servers/python-fastapi
    env: {{BENCH_VARIANT: raw}}
    tests: [db]
tests:
  json: /json
  db: /db
load: {{connections: 4, threads: 1, duration: 1s, warmup: 0s}}
)",
                                            tiny_server(unique_token("listen")), SOURCE_DIR));
  CHECK(r.exit_code == 0);
  CHECK(r.results.scenario["listen"] == "127.0.0.2");
  for (const auto& v : r.results.variants) {
    INFO(v.name << ": " << v.reason << "\n" << v.log_tail);
    CHECK(v.status == "ok");
  }
  REQUIRE(r.results.cells.size() == 2);
  for (const auto& c : r.results.cells) {
    INFO(c.variant << " " << c.test);
    CHECK(c.requests > 0);
    CHECK(c.errors.total() == 0);
  }
  CHECK_THAT(read_file(variant(r.results, "tiny").log_file), Catch::Contains("host=127.0.0.2 db=127.0.0.2"));
}

TEST_CASE("listen: an address this machine does not have is refused at the key before anything starts",
          "[integration]") {
  TempDir dir;
  // 192.0.2.7 is TEST-NET-1 (RFC 5737), on no interface: bench's bind check refuses it; nothing is sent.
  const auto scenario = write_scenario(dir, "servers:\n  a: {command: ./a}\ntests:\n  json: /json\nlisten: 192.0.2.7\n");
  const auto r = run_bench_args(dir, scenario, {});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains(scenario.string() + ":5:9: listen: this machine cannot listen on 192.0.2.7: "
                                                           "Cannot assign requested address"));
  CHECK_FALSE(fs::exists(dir.path / "results"));
}
