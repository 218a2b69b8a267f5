// bench verify and bench db through the real binary: against the fake server, against real asyncpg servers on the
// embedded PostgreSQL (started by bench verify --command, or by bench db and given back with --dsn), bad input.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include <libpq-fe.h>

#include "database/client.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/test_support.h"

using namespace bench;
using namespace std::chrono_literals;
using Catch::Contains;

namespace {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

Outcome bench_cli(const std::string& arguments) {
  Outcome outcome;
  FILE* pipe = ::popen((std::string(BENCH_PATH) + " " + arguments + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) outcome.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

std::string url_of(int port) { return "http://127.0.0.1:" + std::to_string(port); }

// A server process from testdata, on `port`, with `env`; stopped with its group when the test ends.
supervisor::Process start_server(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
                                 const std::filesystem::path& log) {
  supervisor::ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = env;
  spec.log = log;
  return supervisor::Process::spawn(spec);
}

// `bench db ARGS`, its output in dir/db.log, once it says it is ready (or the test fails).
supervisor::Process start_db(const supervisor::testing::TempDir& dir, const std::vector<std::string>& args) {
  supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "db"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.log = dir / "db.log";
  auto db = supervisor::Process::spawn(spec);
  REQUIRE(supervisor::testing::eventually(
      [&] { return supervisor::testing::read_file(spec.log).find("Ctrl-C stops it") != std::string::npos; }, 120s));
  return db;
}

// The "export NAME='value'" lines bench db prints, as an environment.
std::map<std::string, std::string> exports(const std::string& text) {
  std::map<std::string, std::string> env;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("export ", 0) != 0) continue;
    const auto eq = line.find('=');
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') value = value.substr(1, value.size() - 2);
    env[line.substr(7, eq - 7)] = value;
  }
  return env;
}

}  // namespace

TEST_CASE("bench verify checks a running server and names the URL of each result", "[verify_cli]") {
  supervisor::testing::TempDir dir;
  const int port = supervisor::free_port();
  auto good = start_server({PYTHON3, FAKE_SERVER_PY, "--port=" + std::to_string(port)}, {}, dir / "good.log");
  REQUIRE(supervisor::wait_ready(url_of(port) + "/json", 20s, &good).ready);

  const auto passed = bench_cli("verify " + url_of(port) + " --test json --test plaintext");
  INFO(passed.output);
  CHECK(passed.exit_code == 0);
  CHECK_THAT(passed.output, Contains("pass  json /json: status 200"));
  CHECK_THAT(passed.output, Contains("pass  plaintext /plaintext: status 200"));
  CHECK_THAT(passed.output, Contains("0 failed"));

  // A path that is not there: a failure naming the URL, exit 1.
  const auto missing = bench_cli("verify " + url_of(port) + "/anything --test json=/missing");
  INFO(missing.output);
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Contains("fail  json /missing: status 404, expected 200"));
}

TEST_CASE("bench verify --command: a ready path answering 404 is said to be a 404", "[verify_cli]") {
  const int port = supervisor::free_port();
  const auto outcome = bench_cli("verify " + url_of(port) + " --test json=/missing --ready-timeout 3s --command '" +
                                 PYTHON3 + " " + FAKE_SERVER_PY + " --port=$PORT'");
  INFO(outcome.output);
  CHECK(outcome.exit_code == 1);
  CHECK_THAT(outcome.output, Contains("the server is not ready: no answer within 3s"));
  CHECK_THAT(outcome.output, Contains("got HTTP 404"));
}

TEST_CASE("bench verify --command catches an UPDATE skipped when the value is unchanged", "[verify_cli]") {
  const int port = supervisor::free_port();
  const auto outcome = bench_cli("verify " + url_of(port) + " --test updates --requests 40 --connections 4 --timeout 60s " +
                                 "--command '" + PYTHON3 + " " + PG_SERVER_PY + " --mode=skip_unchanged --port=$PORT'");
  INFO(outcome.output);
  CHECK(outcome.exit_code == 1);
  CHECK_THAT(outcome.output, Contains("fail  updates /updates?queries=20: only "));
  CHECK_THAT(outcome.output, Contains("World updates in the database, expected 800 (one per row) or 40"));
}

TEST_CASE("bench db serves a seeded database that bench verify --dsn counts on, and leaves nothing behind",
          "[verify_cli]") {
  supervisor::testing::TempDir dir;
  auto db = start_db(dir, {});
  const std::string printed = supervisor::testing::read_file(dir / "db.log");
  INFO(printed);
  const auto env = exports(printed);
  REQUIRE(env.count("DATABASE_URL") == 1);
  CHECK(env.count("PGHOST") == 1);
  CHECK_THAT(printed, Contains("# " + env.at("DATABASE_URL")));  // the DSN line
  const auto folder_at = printed.find("cluster folder ");
  REQUIRE(folder_at != std::string::npos);
  const std::string folder = printed.substr(folder_at + 15, printed.find(" (removed", folder_at) - folder_at - 15);
  CHECK(std::filesystem::exists(folder));

  {
    const int port = supervisor::free_port();
    auto server = start_server({PYTHON3, PG_SERVER_PY, "--mode=pool_reset", "--port=" + std::to_string(port)}, env,
                               dir / "server.log");
    REQUIRE(supervisor::wait_ready(url_of(port) + "/db", 30s, &server).ready);
    const auto outcome = bench_cli("verify " + url_of(port) + " --test db --requests 40 --timeout 60s --dsn '" +
                                   env.at("DATABASE_URL") + "'");
    INFO(outcome.output);
    CHECK(outcome.exit_code == 0);  // a warning, not a failure
    CHECK_THAT(outcome.output, Contains("pass  db /db: query counts over 40 requests: World selects 40 (expected 40)"));
    CHECK_THAT(outcome.output, Contains("warn  db /db: 4 statements per request that the db test does not need"));
    CHECK_THAT(outcome.output, Contains("RESET ALL"));
  }

  db.signal(SIGINT);
  REQUIRE(supervisor::testing::eventually([&] { return db.exit_code().has_value(); }, 30s));
  CHECK(*db.exit_code() == 0);
  CHECK_FALSE(std::filesystem::exists(folder));
  CHECK_THAT(supervisor::testing::read_file(dir / "db.log"), Contains("stopped, cluster removed"));
}

TEST_CASE("bench db --listen: the seeded database on the address given, only there, its DSN printed for it",
          "[verify_cli]") {
  supervisor::testing::TempDir dir;
  auto db = start_db(dir, {"--listen", "127.0.0.2"});  // loopback, yet not the default 127.0.0.1
  const std::string printed = supervisor::testing::read_file(dir / "db.log");
  INFO(printed);
  auto env = exports(printed);
  CHECK(env["PGHOST"] == "127.0.0.2");
  CHECK_THAT(env["DATABASE_URL"], Contains("@127.0.0.2:" + env["PGPORT"] + "/hello_world"));
  database::ConnectionInfo info{.host = env["PGHOST"], .port = std::stoi(env["PGPORT"]), .user = env["PGUSER"],
                                .password = env["PGPASSWORD"], .dbname = env["PGDATABASE"]};
  CHECK(database::Client(info).query("SELECT count(*) FROM world")[0][0] == "10000");
  info.host = "127.0.0.1";
  const std::string elsewhere = info.conninfo() + " connect_timeout=2";
  CHECK(PQping(elsewhere.c_str()) == PQPING_NO_RESPONSE);  // nothing of it on 127.0.0.1
  db.signal(SIGINT);
  REQUIRE(supervisor::testing::eventually([&] { return db.exit_code().has_value(); }, 30s));
  CHECK(*db.exit_code() == 0);
}

TEST_CASE("bench db --listen refuses an address this machine does not have, naming the flag", "[verify_cli]") {
  const auto outcome = bench_cli("db --listen 192.0.2.7");  // TEST-NET-1: on no interface; nothing is sent
  CHECK(outcome.exit_code == 2);
  CHECK_THAT(outcome.output, Contains("--listen: this machine cannot listen on 192.0.2.7: Cannot assign requested "
                                      "address"));
  CHECK(bench_cli("db --listen 0.0.0.0").exit_code == 2);
  CHECK(bench_cli("db --listen localhost").exit_code == 2);
}

TEST_CASE("bench verify: bad input is exit 2 naming the flag", "[verify_cli]") {
  const auto unknown = bench_cli("verify http://127.0.0.1:1 --test nope");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Contains("--test: unknown test type 'nope'"));
  const auto not_url = bench_cli("verify ftp://127.0.0.1:1");
  CHECK(not_url.exit_code == 2);
  CHECK_THAT(not_url.output, Contains("URL: 'ftp://127.0.0.1:1' is not an http://"));
  const auto both = bench_cli("verify http://127.0.0.1:1 --dsn postgresql://x@127.0.0.1/y --command true");
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.output, Contains("--dsn and --command"));
}
