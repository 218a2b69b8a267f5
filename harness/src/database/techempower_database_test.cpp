#include "database/techempower_database.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "database/client.h"
#include "database/query_stats.h"
#include "supervisor/process.h"

using bench::database::Client;
using bench::database::DatabaseRequest;
using bench::database::DatabaseStep;
using bench::database::TechEmpowerDatabase;

namespace {

std::string scalar(Client& client, const std::string& sql) { return client.query(sql).at(0).at(0).value_or(""); }

}  // namespace

TEST_CASE("an embedded database is started, seeded and counted, and stop leaves nothing behind", "[techempower]") {
  std::vector<std::string> steps;
  auto database = TechEmpowerDatabase::open({}, nullptr, [&](const DatabaseStep& step) { steps.push_back(step.name); });
  CHECK(steps == std::vector<std::string>{"start", "seed"});
  REQUIRE(database->embedded() != nullptr);
  const auto folder = database->embedded()->folder();
  const pid_t postmaster = database->embedded()->pid();
  CHECK(std::filesystem::is_directory(folder));
  CHECK(database->info().user == "benchmarkdbuser");  // servers get their role, not the admin's
  CHECK(scalar(database->admin(), "SELECT count(*) FROM world") == "10000");
  CHECK(scalar(database->admin(), "SELECT count(*) FROM fortune") == "12");
  CHECK_FALSE(database->counts_unavailable());
  bench::database::query_counts(database->admin());  // readable: prepare_query_stats made it so

  SECTION("a DSN is connected to as given, and seeded only when asked") {
    DatabaseRequest request;
    request.dsn = database->info();  // the servers' role: may read and write the tables, not create them
    request.seed = false;
    steps.clear();
    auto external =
        TechEmpowerDatabase::open(request, nullptr, [&](const DatabaseStep& s) { steps.push_back(s.name); });
    CHECK(steps.empty());
    CHECK(external->embedded() == nullptr);
    CHECK(external->info().port == database->info().port);
    CHECK(scalar(external->admin(), "SELECT current_user") == "benchmarkdbuser");
    CHECK(scalar(external->admin(), "SELECT count(*) FROM world") == "10000");
    request.seed = true;  // seeding drops and creates tables, which this role may not do
    CHECK_THROWS(TechEmpowerDatabase::open(request));
  }

  database->stop();
  CHECK_FALSE(std::filesystem::exists(folder));
  CHECK_FALSE(bench::supervisor::process_alive(postmaster));
  database->stop();  // idempotent
}

TEST_CASE("a database whose start is interrupted throws and leaves no cluster", "[techempower]") {
  const std::atomic<bool> stop{true};
  CHECK_THROWS_WITH(TechEmpowerDatabase::open({}, &stop), Catch::Contains("interrupted"));
}
