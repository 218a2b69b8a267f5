#include "database/connection.h"

#include <catch2/catch.hpp>

using bench::database::ConnectionInfo;
using bench::database::DatabaseError;
using bench::database::parse_dsn;

TEST_CASE("parse_dsn reads postgresql:// URLs", "[connection]") {
  const auto info = parse_dsn("postgresql://benchmarkdbuser:benchmarkdbpass@127.0.0.1:5433/hello_world");
  CHECK(info.host == "127.0.0.1");
  CHECK(info.port == 5433);
  CHECK(info.user == "benchmarkdbuser");
  CHECK(info.password == "benchmarkdbpass");
  CHECK(info.dbname == "hello_world");
  CHECK(parse_dsn("postgres://u@db.example/x").host == "db.example");
  CHECK(parse_dsn("postgres://u@db.example/x").port == 5432);
}

TEST_CASE("parse_dsn reads key=value strings and decodes percent-encoding", "[connection]") {
  const auto info = parse_dsn("host=/var/run/postgresql port=6000 user=me dbname='my db' password='it\\'s'");
  CHECK(info.host == "/var/run/postgresql");
  CHECK(info.port == 6000);
  CHECK(info.dbname == "my db");
  CHECK(info.password == "it's");
  CHECK(parse_dsn("postgresql://me:p%40ss%2Fword@localhost/db").password == "p@ss/word");
}

TEST_CASE("parse_dsn rejects what libpq rejects", "[connection]") {
  CHECK_THROWS_AS(parse_dsn("postgresql://host:notaport/db"), DatabaseError);
  CHECK_THROWS_WITH(parse_dsn("nonsense without equals"), Catch::Contains("invalid database DSN"));
}

TEST_CASE("dsn_problem says in libpq's words what parse_dsn refuses, and nothing for what it takes", "[connection]") {
  using bench::database::dsn_problem;
  CHECK_FALSE(dsn_problem("postgresql://u:p@127.0.0.1:5433/hello_world"));
  CHECK_FALSE(dsn_problem("host=/tmp port=6000 dbname=x"));
  CHECK(dsn_problem("host=h bogus=1").value_or("").starts_with("invalid connection option \"bogus\""));
  CHECK(dsn_problem("postgresql://host:notaport/db").has_value());
  CHECK(dsn_problem("host=h port=x1") == "port 'x1' is not a number");
  // No trailing newline or space: it goes inside a one-line message.
  const auto problem = dsn_problem("nonsense without equals").value_or("");
  CHECK_FALSE(problem.empty());
  CHECK(problem.back() != '\n');
}

TEST_CASE("url() and env() round-trip through parse_dsn with awkward characters", "[connection]") {
  const ConnectionInfo info{.host = "127.0.0.1", .port = 6543, .user = "a user", .password = "p@ss:w/rd'\\",
                            .dbname = "hello_world"};
  const auto back = parse_dsn(info.url());
  CHECK(back.host == info.host);
  CHECK(back.port == info.port);
  CHECK(back.user == info.user);
  CHECK(back.password == info.password);
  CHECK(back.dbname == info.dbname);
  const auto from_conninfo = parse_dsn(info.conninfo());
  CHECK(from_conninfo.password == info.password);
  CHECK(from_conninfo.user == info.user);
  const auto env = info.env();
  CHECK(env.at("DATABASE_URL") == info.url());
  CHECK(env.at("PGHOST") == "127.0.0.1");
  CHECK(env.at("PGPORT") == "6543");
  CHECK(env.at("PGUSER") == "a user");
  CHECK(env.at("PGPASSWORD") == info.password);
  CHECK(env.at("PGDATABASE") == "hello_world");
}
