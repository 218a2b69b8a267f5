#include "database/embedded_postgres.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "database/client.h"
#include "database/query_stats.h"
#include "database/techempower.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/test_support.h"

using namespace std::chrono_literals;
using bench::database::Client;
using bench::database::ConnectionInfo;
using bench::database::DatabaseError;
using bench::database::EmbeddedPostgres;
using bench::database::query_counts;
using bench::database::reset_query_stats;
using bench::database::seed_techempower;
using bench::database::world_snapshot;
using bench::supervisor::process_alive;
using bench::supervisor::testing::TempDir;

namespace {

// A temporary workdir that the unprivileged account postgres runs as can enter (mkdtemp makes it 0700).
std::unique_ptr<TempDir> open_workdir() {
  auto dir = std::make_unique<TempDir>();
  std::filesystem::permissions(dir->path(), std::filesystem::perms(0755));
  return dir;
}

// One seeded cluster shared by the tests that only read or count (initdb costs a second or two).
struct SharedCluster {
  std::unique_ptr<TempDir> dir = open_workdir();
  std::unique_ptr<EmbeddedPostgres> postgres = EmbeddedPostgres::start(dir->path());
  SharedCluster() {
    Client client(postgres->admin_info());
    seed_techempower(client);
  }
};

EmbeddedPostgres& shared_cluster() {
  static SharedCluster cluster;
  return *cluster.postgres;
}

std::string scalar(Client& client, const std::string& sql) {
  const auto rows = client.query(sql);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].size() == 1);
  return rows[0][0].value_or("NULL");
}

// Runs SQL statements through psql, a separate real client (as a server would be), reaching the database only
// through the environment a server gets.
void run_psql(const ConnectionInfo& info, const std::vector<std::string>& statements) {
  std::vector<std::string> argv = {(bench::database::kPostgresBinDir / "psql").string(), "-X", "-q",
                                   "-v", "ON_ERROR_STOP=1"};
  for (const auto& statement : statements) {
    argv.push_back("-c");
    argv.push_back(statement);
  }
  TempDir dir;
  const auto outcome =
      bench::supervisor::run_to_completion({.argv = argv, .env = info.env(), .log = dir / "psql.log"}, 20s);
  INFO(bench::supervisor::testing::read_file(dir / "psql.log"));
  REQUIRE(outcome.ok());
}

}  // namespace

// One test case with sections, so one cluster serves them all even when ctest runs each case as its own process.
TEST_CASE("a shared seeded cluster", "[postgres]") {
  SECTION("the embedded cluster is a tuned PostgreSQL 15 on loopback only") {
    EmbeddedPostgres& postgres = shared_cluster();
    const auto info = postgres.info();
    CHECK(info.host == "127.0.0.1");
    CHECK(info.dbname == "hello_world");
    CHECK(info.user == "benchmarkdbuser");
    CHECK(process_alive(postgres.pid()));
    CHECK(postgres.folder().parent_path().filename().string().rfind("bench-test-", 0) == 0);  // inside the workdir
    Client client(postgres.admin_info());
    CHECK(client.server_version().rfind("15.", 0) == 0);
    CHECK(scalar(client, "SHOW listen_addresses") == "127.0.0.1");
    CHECK(scalar(client, "SHOW fsync") == "off");
    CHECK(scalar(client, "SHOW synchronous_commit") == "off");
    CHECK(scalar(client, "SHOW full_page_writes") == "off");
    CHECK(scalar(client, "SHOW max_connections") == "2000");
    CHECK(scalar(client, "SHOW shared_preload_libraries") == "pg_stat_statements");
    CHECK(postgres.log().parent_path() == postgres.folder());  // the log goes with the folder
    CHECK(scalar(client, "SELECT current_database()") == "hello_world");
    if (::geteuid() == 0) {
      REQUIRE(postgres.run_as_user());
      CHECK(*postgres.run_as_user() == "postgres");
    }
  }
  SECTION("seeding creates TechEmpower's world and fortune tables") {
    Client client(shared_cluster().info());
    CHECK(scalar(client, "SELECT count(*) FROM world") == "10000");
    CHECK(scalar(client, "SELECT count(DISTINCT id) FROM world WHERE id BETWEEN 1 AND 10000") == "10000");
    CHECK(scalar(client, "SELECT count(*) FROM world WHERE randomnumber < 1 OR randomnumber > 10000") == "0");
    CHECK(std::stoi(scalar(client, "SELECT count(DISTINCT randomnumber) FROM world")) > 5000);
    const auto fortunes = client.query("SELECT id, message FROM fortune ORDER BY id");
    REQUIRE(fortunes.size() == 12);
    const auto& expected = bench::database::techempower_fortunes();
    REQUIRE(expected.size() == 12);
    for (std::size_t i = 0; i < 12; ++i) {
      CHECK(*fortunes[i][0] == std::to_string(expected[i].first));
      CHECK(*fortunes[i][1] == expected[i].second);
    }
    CHECK(*fortunes[10][1] == R"(<script>alert("This should not be displayed in a browser alert box.");</script>)");
    CHECK(*fortunes[11][1] ==
          "\xe3\x83\x95\xe3\x83\xac\xe3\x83\xbc\xe3\x83\xa0\xe3\x83\xaf\xe3\x83\xbc\xe3\x82\xaf\xe3\x81\xae"
          "\xe3\x83\x99\xe3\x83\xb3\xe3\x83\x81\xe3\x83\x9e\xe3\x83\xbc\xe3\x82\xaf");  // フレームワークのベンチマーク
    CHECK(*fortunes[5][1] == "Emacs is a nice operating system, but I prefer UNIX. \xe2\x80\x94 Tom Christaensen");
    CHECK(scalar(client, "SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements'") ==
          "pg_stat_statements");
  }
  SECTION("seeding is idempotent and reproducible") {
    Client client(shared_cluster().admin_info());
    const auto before = world_snapshot(client);
    seed_techempower(client);
    CHECK(world_snapshot(client) == before);
    CHECK(scalar(client, "SELECT count(*) FROM fortune") == "12");
  }
  SECTION("query_counts sees a server's statements by kind but not the harness's own") {
    EmbeddedPostgres& postgres = shared_cluster();
    Client client(postgres.admin_info());
    reset_query_stats(client);
    const auto before = query_counts(client);
    CHECK(before.total_calls() == 0);
    run_psql(postgres.info(), {"SELECT id, randomnumber FROM world WHERE id = 17",
                               "SELECT id, randomnumber FROM World WHERE id = 18",
                               "SELECT id, randomnumber FROM world WHERE id = 19", "BEGIN",
                               "UPDATE world SET randomnumber = 5 WHERE id = 3", "COMMIT",
                               "SELECT id, message FROM fortune", "SELECT 1"});
    world_snapshot(client);  // the harness's own reads do not count
    const auto delta = query_counts(client) - before;
    CHECK(delta.select_world.calls == 3);
    CHECK(delta.select_world.rows == 3);
    CHECK(delta.update_world.calls == 1);
    CHECK(delta.update_world.rows == 1);
    CHECK(delta.select_fortune.calls == 1);
    CHECK(delta.select_fortune.rows == 12);
    CHECK(delta.other.calls == 1);
    CHECK(delta.utility.calls >= 2);
    CHECK(delta.total_calls() == 6);
    reset_query_stats(client);
    CHECK(query_counts(client).total_calls() == 0);
  }
  SECTION("harness statements are left out even where tracking stays on") {
    Client client(shared_cluster().admin_info());
    client.exec("SET pg_stat_statements.track = 'all'");  // as if the session could not turn it off
    reset_query_stats(client);
    world_snapshot(client);
    world_snapshot(client);
    const auto counts = query_counts(client);
    CHECK(counts.select_world.calls == 0);
    CHECK(counts.total_calls() == 0);
  }
  SECTION("world_snapshot sees updates") {
    EmbeddedPostgres& postgres = shared_cluster();
    Client client(postgres.admin_info());
    const auto before = world_snapshot(client);
    REQUIRE(before.size() == 10000);
    CHECK(before.begin()->first == 1);
    CHECK(before.rbegin()->first == 10000);
    const int changed = before.at(42) == 10000 ? 1 : before.at(42) + 1;
    run_psql(postgres.info(), {"UPDATE world SET randomnumber = " + std::to_string(changed) + " WHERE id = 42"});
    const auto after = world_snapshot(client);
    CHECK(after.at(42) == changed);
    CHECK(after.at(41) == before.at(41));
  }
  SECTION("the cluster is reachable through its URL used as a DSN") {
    const auto url = shared_cluster().info().url();
    Client client(bench::database::parse_dsn(url));
    CHECK(scalar(client, "SELECT current_user") == "benchmarkdbuser");
    CHECK(scalar(client, "SELECT current_database()") == "hello_world");
    CHECK(scalar(client, "SELECT count(*) FROM fortune") == "12");
  }
  SECTION("Client reports errors with PostgreSQL's words") {
    Client client(shared_cluster().info());
    CHECK_THROWS_WITH(client.exec("SELECT * FROM no_such_table"), Catch::Contains("no_such_table"));
    CHECK(client.query("SELECT NULL::text")[0][0] == std::nullopt);
    CHECK(client.query("SELECT $1::text || $2::text", {"it's ", "\"fine\""})[0][0] == std::string("it's \"fine\""));
    auto bad = shared_cluster().info();
    bad.port = bench::supervisor::free_port();
    CHECK_THROWS_AS(Client(bad), DatabaseError);
  }
}

TEST_CASE("stop shuts the cluster down and leaves no process nor folder", "[postgres]") {
  const auto dir = open_workdir();
  auto postgres = EmbeddedPostgres::start(dir->path());
  const pid_t postmaster = postgres->pid();
  const auto folder = postgres->folder();
  Client client(postgres->info());
  const pid_t backend = std::stoi(scalar(client, "SELECT pg_backend_pid()"));
  REQUIRE(process_alive(postmaster));
  REQUIRE(process_alive(backend));
  REQUIRE(std::filesystem::exists(folder / "data" / "PG_VERSION"));
  postgres->stop();
  CHECK_FALSE(process_alive(postmaster));
  CHECK_FALSE(process_alive(backend));
  CHECK_FALSE(std::filesystem::exists(folder));
  CHECK(std::filesystem::is_empty(dir->path()));  // the log went with the folder: nothing left behind
  CHECK_THAT(postgres->log_tail(), Catch::Contains("database system is shut down"));  // its end is kept
  postgres->stop();                                                                    // idempotent
}

TEST_CASE("a postmaster that dies hard leaves no backend behind after stop", "[postgres]") {
  TempDir dir;  // 0700: not enterable by the postgres account when root, so the cluster goes to the temp folder
  auto postgres = EmbeddedPostgres::start(dir.path());
  if (::geteuid() == 0) CHECK(postgres->folder().parent_path() == std::filesystem::temp_directory_path());
  Client client(postgres->info());
  const pid_t backend = std::stoi(scalar(client, "SELECT pg_backend_pid()"));
  ::kill(postgres->pid(), SIGKILL);
  postgres.reset();
  CHECK_FALSE(process_alive(backend));
}

TEST_CASE("start gives up when stop is requested and cleans up", "[postgres]") {
  TempDir dir;
  std::atomic<bool> stop{true};
  CHECK_THROWS_WITH(EmbeddedPostgres::start(dir.path(), &stop), Catch::Contains("interrupted"));
  CHECK(std::filesystem::is_empty(dir.path()));  // no cluster folder, no log
}

TEST_CASE("PostgreSQL does not outlive a harness that is killed", "[postgres]") {
  const auto dir = open_workdir();
  auto harness = bench::supervisor::Process::spawn({.argv = {DATABASE_TEST_HELPER, dir->path().string()},
                                                    .log = dir->path() / "helper.log"});
  std::string line;
  REQUIRE(bench::supervisor::testing::eventually(
      [&] {
        const auto text = bench::supervisor::testing::read_file(dir->path() / "helper.log");
        const auto end = text.find('\n');
        if (end == std::string::npos) return !harness.running();  // no line yet: keep waiting unless it died
        line = text.substr(0, end);
        return true;
      },
      30000ms));
  INFO(bench::supervisor::testing::read_file(dir->path() / "helper.log"));
  REQUIRE_FALSE(line.empty());
  std::istringstream fields(line);
  pid_t postmaster = 0, backend = 0;
  std::string folder;
  fields >> postmaster >> backend >> folder;
  REQUIRE(process_alive(postmaster));
  REQUIRE(process_alive(backend));
  ::kill(harness.pid(), SIGKILL);
  CHECK(harness.wait() == 128 + SIGKILL);
  CHECK(bench::supervisor::testing::eventually([&] { return !process_alive(postmaster); }, 5000ms));
  CHECK(bench::supervisor::testing::eventually([&] { return !process_alive(backend); }, 10000ms));
  std::filesystem::remove_all(folder);  // a killed harness cannot clean up its folder; the test does
}
