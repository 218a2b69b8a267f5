// TechEmpower-strict query counts against a real PostgreSQL and real asyncpg servers (testdata/pg_server.py): a
// server that skips one UPDATE when the value is unchanged fails; one whose pool sends a reset query after every
// request is named in a warning; a correct one passes with neither.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "database/embedded_postgres.h"
#include "database/query_stats.h"
#include "database/techempower.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/test_support.h"
#include "verify/database_probe.h"
#include "verify/verifier.h"

using namespace bench;
using namespace std::chrono_literals;

namespace {

// One embedded, seeded PostgreSQL for every test case of this file (starting one takes seconds).
struct Database {
  supervisor::testing::TempDir dir;
  std::unique_ptr<database::EmbeddedPostgres> postgres;
  std::optional<database::Client> client;

  Database() {
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));  // postgres runs as another account
    postgres = database::EmbeddedPostgres::start(dir.path());
    client.emplace(postgres->admin_info());  // the harness's role: seeds and reads pg_stat_statements
    database::seed_techempower(*client);
    REQUIRE_FALSE(database::prepare_query_stats(*client));
  }
};

Database& database_once() {
  static Database db;
  return db;
}

// pg_server.py in `mode`, stopped (process group and all) when it goes out of scope.
struct PgServer {
  int port_ = 0;  // first: set by start() before the members below are built
  supervisor::Process process;
  std::string base_url;

  PgServer(const std::string& mode, const database::ConnectionInfo& info, const std::filesystem::path& log)
      : process(start(mode, info, log, port_)), base_url("http://127.0.0.1:" + std::to_string(port_)) {
    const auto ready = supervisor::wait_ready(base_url + "/db", 20s, &process);
    INFO(supervisor::testing::read_file(log));
    REQUIRE(ready.ready);
  }

 private:
  static supervisor::Process start(const std::string& mode, const database::ConnectionInfo& info,
                                   const std::filesystem::path& log, int& port) {
    port = supervisor::free_port();
    supervisor::ProcessSpec spec;
    spec.argv = {PYTHON3, PG_SERVER_PY, "--mode=" + mode, "--port=" + std::to_string(port)};
    spec.env = info.env();
    spec.log = log;
    return supervisor::Process::spawn(spec);
  }
};

std::string dump(const verify::Report& report) {
  std::ostringstream out;
  for (const auto& f : report.findings)
    out << verify::to_string(f.level) << " [" << f.test << "] " << f.url << ": " << f.message << "\n";
  return out.str();
}

bool has(const verify::Report& report, verify::Level level, const std::string& text) {
  return std::any_of(report.findings.begin(), report.findings.end(), [&](const verify::Finding& f) {
    return f.level == level && f.message.find(text) != std::string::npos;
  });
}

verify::Options burst(int requests) {
  verify::Options options;
  options.burst_requests = requests;
  options.burst_connections = 4;
  options.timeout = std::chrono::seconds(60);  // 500 rows read and written one by one on a busy 2-core machine
  return options;
}

}  // namespace

TEST_CASE("a correct asyncpg server passes the strict counts with no extra statements", "[strict]") {
  auto& db = database_once();
  PgServer server("good", db.postgres->info(), db.dir / "good.log");
  verify::DatabaseProbe probe(*db.client);
  for (const auto& [kind, path] : {std::pair{verify::TestKind::db, "/db"},
                                   std::pair{verify::TestKind::updates, "/updates?queries="}}) {
    const auto report = verify::verify(kind, server.base_url, path, &probe, burst(40));
    INFO(dump(report));
    CHECK(report.worst() == verify::Level::pass);
  }
}

TEST_CASE("an UPDATE skipped when the value is unchanged fails verification", "[strict]") {
  auto& db = database_once();
  PgServer server("skip_unchanged", db.postgres->info(), db.dir / "skip.log");
  verify::DatabaseProbe probe(*db.client);
  const auto report = verify::verify(verify::TestKind::updates, server.base_url, "/updates?queries=", &probe, burst(40));
  INFO(dump(report));
  CHECK(report.failed());
  CHECK(has(report, verify::Level::fail, "World updates in the database, expected 800 (one per row) or 40"));
  CHECK(has(report, verify::Level::fail, "World rows updated in the database, expected 800"));
  // The burst's URL is named: which ?queries= was counted.
  CHECK(std::any_of(report.findings.begin(), report.findings.end(), [](const verify::Finding& f) {
    const std::string end = "/updates?queries=20";
    return f.level == verify::Level::fail && f.url.size() > end.size() &&
           f.url.compare(f.url.size() - end.size(), end.size(), end) == 0;
  }));
}

TEST_CASE("a pool's reset query after every request is named in a warning", "[strict]") {
  auto& db = database_once();
  PgServer server("pool_reset", db.postgres->info(), db.dir / "reset.log");
  verify::DatabaseProbe probe(*db.client);
  const auto report = verify::verify(verify::TestKind::db, server.base_url, "/db", &probe, burst(40));
  INFO(dump(report));
  CHECK(report.worst() == verify::Level::warn);
  CHECK(has(report, verify::Level::warn, "statements per request that the db test does not need"));
  CHECK(has(report, verify::Level::warn, "pg_advisory_unlock_all()"));
  CHECK(has(report, verify::Level::warn, "RESET ALL"));
  // The counts themselves are exact: the reset query names no table.
  CHECK(has(report, verify::Level::pass, "World selects 40 (expected 40)"));
}
