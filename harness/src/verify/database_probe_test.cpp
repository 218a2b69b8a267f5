// DatabaseProbe against a real embedded PostgreSQL: a separate libpq connection does a server's work, the probe
// must see it (and only it) in pg_stat_statements and in the World table.
#include "verify/database_probe.h"

#include <libpq-fe.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>

#include "database/embedded_postgres.h"
#include "database/techempower.h"
#include "supervisor/test_support.h"
#include "verify/query_counts.h"
#include "verify/world_updates.h"

using namespace bench;
using verify::DatabaseProbe;

namespace {

// A plain libpq connection, as a framework's driver would open: its statements are tracked.
struct ServerConnection {
  struct Deleter {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  std::unique_ptr<PGconn, Deleter> conn;

  explicit ServerConnection(const database::ConnectionInfo& info) : conn(PQconnectdb(info.conninfo().c_str())) {
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
  }

  // Runs one parameterised statement, as a prepared-statement driver does; returns the rows it affected/returned.
  int run(const char* sql, const std::string& param) {
    const char* values[] = {param.c_str()};
    std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexecParams(conn.get(), sql, 1, nullptr, values, nullptr, nullptr, 0), PQclear);
    const auto status = PQresultStatus(result.get());
    REQUIRE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK));
    return status == PGRES_TUPLES_OK ? PQntuples(result.get()) : std::stoi(PQcmdTuples(result.get()));
  }
};

}  // namespace

TEST_CASE("DatabaseProbe sees a server's selects and updates but not its own work", "[database_probe]") {
  supervisor::testing::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));  // postgres runs as another account
  const auto postgres = database::EmbeddedPostgres::start(dir.path());
  database::Client client(postgres->admin_info());  // the harness's own connection, as bench run opens it
  database::seed_techempower(client);
  DatabaseProbe probe(client);

  const auto before_world = probe.world_snapshot();
  REQUIRE(before_world.size() == 10000);
  const auto before = probe.query_counts();

  ServerConnection server(postgres->info());
  for (const char* id : {"1", "2", "3"}) {
    CHECK(server.run("SELECT id, randomnumber FROM world WHERE id = $1", id) == 1);
  }
  const int new_value = before_world.at(7) % 10000 + 1;
  CHECK(server.run("UPDATE world SET randomnumber = $1 WHERE id = 7", std::to_string(new_value)) == 1);
  CHECK(server.run("SELECT id, message FROM fortune WHERE id > $1", "0") == 12);

  probe.world_snapshot();  // the probe's own statements must not count
  const auto delta = probe.query_counts() - before;
  CHECK(delta.select_world_calls == 3);
  CHECK(delta.select_world_rows == 3);
  CHECK(delta.update_world_calls == 1);
  CHECK(delta.update_world_rows == 1);
  CHECK(delta.select_fortune_calls == 1);
  CHECK(delta.select_fortune_rows == 12);
  CHECK(verify::check_query_counts(verify::TestKind::db, delta, 3, 1).problems.empty());

  const auto after_world = probe.world_snapshot();
  CHECK(after_world.at(7) == new_value);
  CHECK(verify::changed_rows(before_world, after_world) == 1);
}
