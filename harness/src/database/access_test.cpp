// Who gets into the embedded cluster: the run and nobody else. Another account on the machine cannot log in as any
// role, the servers' role cannot reach the operating system through PostgreSQL, no password is left in a file.
// And pg_stat_statements where it is missing: prepare_query_stats says why, in PostgreSQL's words.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include <libpq-fe.h>

#include "database/client.h"
#include "database/embedded_postgres.h"
#include "database/query_stats.h"
#include "database/techempower.h"
#include "supervisor/process.h"
#include "supervisor/test_support.h"

using namespace std::chrono_literals;
using bench::database::Client;
using bench::database::ConnectionInfo;
using bench::database::DatabaseError;
using bench::database::EmbeddedOptions;
using bench::database::EmbeddedPostgres;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {

std::unique_ptr<TempDir> open_workdir() {
  auto dir = std::make_unique<TempDir>();
  std::filesystem::permissions(dir->path(), std::filesystem::perms(0755));  // postgres runs as another account
  return dir;
}

// A seeded cluster for the whole test case (sections re-run the case; initdb costs a second or two).
struct Cluster {
  std::unique_ptr<TempDir> dir = open_workdir();
  std::unique_ptr<EmbeddedPostgres> postgres = EmbeddedPostgres::start(dir->path());
  Cluster() {
    Client admin(postgres->admin_info());
    bench::database::seed_techempower(admin);
  }
};

Cluster& cluster() {
  static Cluster shared;
  return shared;
}

struct PsqlOutcome {
  bool ok = false;
  std::string output;
};

// psql (a real libpq client) as `account` (nullopt: this process's own), one statement, never prompting.
PsqlOutcome psql_as(const std::optional<std::string>& account, const std::string& conninfo, const std::string& sql) {
  TempDir dir;
  bench::supervisor::ProcessSpec spec{
      .argv = {(bench::database::kPostgresBinDir / "psql").string(), "-X", "-w", "-At", "-d", conninfo, "-c", sql},
      .cwd = "/",
      .env = {{"PGPASSFILE", "/dev/null"}, {"PGCONNECT_TIMEOUT", "5"}},
      .log = dir / "psql.log",
      .run_as_user = account};
  const auto outcome = bench::supervisor::run_to_completion(spec, 30s);
  return {outcome.ok(), read_file(dir / "psql.log")};
}

// An account other than ours and other than the one postgres runs as.
std::optional<std::string> other_account(const EmbeddedPostgres& postgres) {
  if (::geteuid() != 0) return std::nullopt;  // only root can act as another account
  if (postgres.run_as_user() == std::string("nobody")) return std::nullopt;
  return std::string("nobody");
}

std::string with(ConnectionInfo info, const std::string& user, const std::string& password,
                 const std::string& dbname) {
  info.user = user;
  info.password = password;
  info.dbname = dbname;
  return info.conninfo();
}

std::string scalar(Client& client, const std::string& sql) {
  const auto rows = client.query(sql);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].size() == 1);
  return rows[0][0].value_or("NULL");
}

}  // namespace

TEST_CASE("the embedded cluster lets in the run and nobody else", "[postgres][security]") {
  EmbeddedPostgres& postgres = *cluster().postgres;
  const ConnectionInfo servers = postgres.info();
  const ConnectionInfo admin = postgres.admin_info();
  REQUIRE(servers.password.size() >= 32);
  REQUIRE(admin.password.size() >= 32);
  REQUIRE(servers.password != admin.password);

  SECTION("another account on the machine cannot log in as any role") {
    const auto other = other_account(postgres);
    if (!other) {
      WARN("not root: cannot act as another account, the login checks run as this account without the passwords");
    }
    // The control: the same account with the right password gets in, so psql runs and reaches the port.
    const auto control = psql_as(other, servers.conninfo(), "SELECT current_user");
    INFO(control.output);
    REQUIRE(control.ok);
    CHECK_THAT(control.output, Catch::Contains("benchmarkdbuser"));

    const std::vector<std::pair<std::string, std::string>> attempts = {
        {"the servers' role without a password", with(servers, servers.user, "", servers.dbname)},
        {"the servers' role with the old fixed password",
         with(servers, servers.user, "benchmarkdbpass", "hello_world")},
        {"the servers' role to another database", with(servers, servers.user, servers.password, "postgres")},
        {"the admin role over TCP with its password", with(servers, admin.user, admin.password, "postgres")},
        {"the admin role over the unix socket", with(admin, admin.user, "", "postgres")},
        {"postgres over TCP", with(servers, "postgres", "", "postgres")},
        {"postgres over the unix socket", with(admin, "postgres", "", "postgres")},
    };
    for (const auto& [what, conninfo] : attempts) {
      const auto attempt = psql_as(other, conninfo, "SELECT 1");
      INFO(what << ": " << attempt.output);
      CHECK_FALSE(attempt.ok);
      CHECK_THAT(attempt.output, Catch::Contains("FATAL") || Catch::Contains("Permission denied") ||
                                     Catch::Contains("no password supplied"));
    }
  }

  SECTION("the servers' role reads and writes the tables and nothing more") {
    Client client(servers);
    CHECK(scalar(client, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") == "false");
    CHECK(scalar(client, "SELECT count(*) FROM world") == "10000");
    CHECK(scalar(client, "SELECT count(*) FROM fortune") == "12");
    client.exec("UPDATE world SET randomnumber = randomnumber WHERE id = 1");
    const auto refused = [&](const std::string& sql) {
      INFO(sql);
      CHECK_THROWS_AS(client.exec(sql), DatabaseError);
    };
    CHECK_THROWS_WITH(client.exec("COPY (SELECT 1) TO PROGRAM 'id'"), Catch::Contains("pg_execute_server_program"));
    client.exec("CREATE TEMP TABLE scratch (line text)");
    CHECK_THROWS_WITH(client.exec("COPY scratch FROM PROGRAM 'id'"), Catch::Contains("pg_execute_server_program"));
    CHECK_THROWS_WITH(client.exec("CREATE EXTENSION pgcrypto"), Catch::Contains("permission denied"));  // trusted
    CHECK_THROWS_WITH(client.exec("CREATE EXTENSION file_fdw"), Catch::Contains("permission denied"));  // untrusted
    CHECK_THROWS_WITH(client.exec("CREATE TABLE mine (id integer)"), Catch::Contains("permission denied"));
    refused("SELECT pg_read_file('/etc/passwd')");
    refused("ALTER ROLE benchmarkdbuser SUPERUSER");
    refused("CREATE ROLE another LOGIN");
    refused("DROP TABLE fortune");
    refused("SELECT pg_stat_statements_reset()");
  }

  SECTION("the run's passwords are in no file and pg_hba.conf lets in only the run") {
    Client client(servers);  // a login, so the log has had its chance to record something
    client.exec("SELECT 1");
    for (const auto& entry : std::filesystem::recursive_directory_iterator(postgres.folder())) {
      if (!entry.is_regular_file() || entry.file_size() > (64 << 20)) continue;
      const std::string text = read_file(entry.path());
      INFO(entry.path());
      CHECK(text.find(servers.password) == std::string::npos);
      CHECK(text.find(admin.password) == std::string::npos);
    }
    std::ifstream hba(postgres.folder() / "data" / "pg_hba.conf");
    std::vector<std::string> rules;
    for (std::string line; std::getline(hba, line);)
      if (!line.empty() && line[0] != '#') rules.push_back(line);
    CHECK(rules == std::vector<std::string>{
                       R"(local all "bench_admin" scram-sha-256)",
                       R"(host "hello_world" "benchmarkdbuser" 127.0.0.1/32 scram-sha-256)",
                       R"(host "hello_world" "benchmarkdbuser" ::1/128 scram-sha-256)"});
    CHECK((std::filesystem::status(postgres.folder()).permissions() & std::filesystem::perms::others_all) ==
          std::filesystem::perms::none);
  }

  SECTION("the harness's admin reads every role's statements") {
    Client harness(admin);
    CHECK(bench::database::prepare_query_stats(harness) == std::nullopt);
  }
}

TEST_CASE("prepare_query_stats says why a database without pg_stat_statements has no counts", "[postgres]") {
  const auto dir = open_workdir();
  EmbeddedOptions options;
  options.query_stats = false;  // as an ordinary PostgreSQL: the library is not preloaded
  const auto postgres = EmbeddedPostgres::start(dir->path(), nullptr, options);
  {
    Client admin(postgres->admin_info());
    CHECK(scalar(admin, "SHOW shared_preload_libraries").empty());
    bench::database::seed_techempower(admin);
  }
  SECTION("an ordinary role may not create the extension") {
    Client client(postgres->info());
    const auto why = bench::database::prepare_query_stats(client);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("not installed") && Catch::Contains("permission denied"));
    CHECK(why->find('\n') == std::string::npos);
  }
  SECTION("a superuser may, but the library is not loaded") {
    Client admin(postgres->admin_info());
    const auto why = bench::database::prepare_query_stats(admin);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("shared_preload_libraries"));
    CHECK(why->find('\n') == std::string::npos);
  }
}

TEST_CASE("the embedded cluster listens on the address it is given and on no other", "[postgres][security]") {
  const auto dir = open_workdir();
  EmbeddedOptions options;
  options.listen = *bench::util::parse_ip("127.0.0.2");  // loopback, yet not 127.0.0.1: tells the two apart
  const auto postgres = EmbeddedPostgres::start(dir->path(), nullptr, options);
  const ConnectionInfo servers = postgres->info();
  CHECK(servers.host == "127.0.0.2");
  Client client(servers);  // the servers' role gets in there, with its password
  CHECK(client.query("SELECT inet_server_addr()::text")[0][0] == "127.0.0.2/32");
  ConnectionInfo elsewhere = servers;
  elsewhere.host = "127.0.0.1";
  const std::string conninfo = elsewhere.conninfo() + " connect_timeout=2";
  CHECK(PQping(conninfo.c_str()) == PQPING_NO_RESPONSE);  // nothing listens on 127.0.0.1 at that port
}
