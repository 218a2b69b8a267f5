#include "run/cell.h"

#include <catch2/catch.hpp>

using namespace bench;
using namespace std::chrono_literals;

namespace {

load::Result sound_result() {
  load::Result r;
  r.options.connections = 8;
  r.options.threads = 2;
  r.elapsed = 10s;
  r.requests = 10000;
  r.bytes_read = 1'000'000;
  r.status_codes[200] = 10000;
  r.client_cpu_seconds = 2.0;  // 10% of 2 threads x 10 s
  for (int i = 1; i <= 10000; ++i) r.latency.record(1000 + i % 500);
  r.latency_uncorrected = r.latency;
  return r;
}

}  // namespace

TEST_CASE("a sound cell has figures per request and no warning", "[cell]") {
  run::ProbeFigures probes;
  database::QueryCounts q;
  q.select_world = {10000, 10000};
  q.other = {20000, 0};    // statements on other tables count as queries
  q.utility = {30000, 0};  // BEGIN/COMMIT an ORM sends do not
  probes.queries = q;
  supervisor::GroupStats server;
  server.cpu_seconds = 5.0;
  server.peak_rss_bytes = 50 << 20;
  server.processes = 1;
  server.distinct_processes = 1;
  probes.server = server;

  const auto cell = run::make_cell({"fastapi-orm", "db", 8, 0, 1}, sound_result(), probes);
  CHECK(cell.variant == "fastapi-orm");
  CHECK(cell.repeat == 1);
  CHECK(cell.status == "ok");
  CHECK(cell.requests_per_sec == Approx(1000.0));
  REQUIRE(cell.db_queries_per_request);
  CHECK(*cell.db_queries_per_request == Approx(3.0));
  CHECK(*cell.db_rows_per_request == Approx(1.0));
  CHECK(*cell.server_cpu_us_per_request == Approx(500.0));
  CHECK(*cell.client_cpu_us_per_request == Approx(200.0));
  CHECK(*cell.server_peak_rss_bytes == (50u << 20));
  CHECK(cell.latency.p50_us == Approx(1250).epsilon(0.01));
  CHECK_FALSE(cell.latency_uncorrected.has_value());  // closed loop: one latency only
  CHECK(cell.warnings.empty());
}

TEST_CASE("requests drained after the window share the server's and the database's work, not the client's", "[cell]") {
  run::ProbeFigures probes;
  database::QueryCounts q;
  q.select_world = {12000, 12000};
  probes.queries = q;
  supervisor::GroupStats server;
  server.cpu_seconds = 6.0;
  probes.server = server;
  supervisor::GroupStats database;
  database.cpu_seconds = 1.2;
  probes.database = database;
  auto result = sound_result();
  result.drained_requests = 2000;  // their queries and CPU are in the probes' figures too
  const auto cell = run::make_cell({"fastapi-orm", "db", 8, 0, 0}, result, probes);
  CHECK(cell.requests == 10000);
  CHECK(*cell.db_queries_per_request == Approx(1.0));
  CHECK(*cell.server_cpu_us_per_request == Approx(500.0));
  CHECK(*cell.db_cpu_us_per_request == Approx(100.0));
  CHECK(*cell.client_cpu_us_per_request == Approx(200.0));  // the client's CPU stops with the window
}

TEST_CASE("untrustworthy cells are flagged", "[cell]") {
  SECTION("errors above 0.1%") {
    auto r = sound_result();
    r.errors.timeout = 20;
    const auto w = run::trust_warnings(r, {});
    REQUIRE_FALSE(w.empty());
    CHECK_THAT(w.front(), Catch::Contains("failed or answered non-2xx/3xx"));
  }
  SECTION("non-2xx above 0.1%") {
    auto r = sound_result();
    r.non_2xx_3xx = 50;
    CHECK_FALSE(run::trust_warnings(r, {}).empty());
  }
  SECTION("errors at or below 0.1% are tolerated") {
    auto r = sound_result();
    r.errors.read = 10;
    CHECK(run::trust_warnings(r, {}).empty());
  }
  SECTION("the load generator near saturation") {
    auto r = sound_result();
    r.client_cpu_seconds = 19.0;
    const auto w = run::trust_warnings(r, {});
    REQUIRE(w.size() == 1);
    CHECK_THAT(w.front(), Catch::Contains("load generator"));
  }
  SECTION("a server that died or restarted") {
    run::ProbeFigures probes;
    supervisor::GroupStats server;
    server.leader_died = true;
    probes.server = server;
    probes.server_exited = true;
    const auto w = run::trust_warnings(sound_result(), probes);
    CHECK(std::any_of(w.begin(), w.end(), [](const std::string& s) { return s.find("died") != s.npos; }));
    server.leader_died = false;
    server.processes = 2;
    server.distinct_processes = 3;
    probes.server = server;
    probes.server_exited = false;
    const auto w2 = run::trust_warnings(sound_result(), probes);
    REQUIRE(w2.size() == 1);
    CHECK_THAT(w2.front(), Catch::Contains("restarted"));
  }
  SECTION("nothing completed") {
    load::Result r;
    r.options.threads = 1;
    r.elapsed = 1s;
    r.errors.connect = 100;
    const auto w = run::trust_warnings(r, {});
    REQUIRE_FALSE(w.empty());
    CHECK(w.front().message == "no request completed");
  }
}

TEST_CASE("an interrupted measurement is stored as interrupted", "[cell]") {
  auto r = sound_result();
  r.interrupted = true;
  CHECK(run::make_cell({"v", "json", 8, 0, 0}, r, {}).status == "interrupted");
}

// Issue #10: a server stopped with SIGSTOP answered nothing; that is a failure, not a 0 req/s figure.
TEST_CASE("a window in which no request completed is a failed cell", "[cell]") {
  auto r = sound_result();
  r.requests = 0;
  r.status_codes.clear();
  r.errors.timeout = 8;
  const auto cell = run::make_cell({"v", "json", 8, 0, 0}, r, {});
  CHECK(cell.status == "failed");
  CHECK(cell.warnings.front() == "no request completed");
  r.interrupted = true;  // Ctrl-C in the first instant: interrupted, not failed
  CHECK(run::make_cell({"v", "json", 8, 0, 0}, r, {}).status == "interrupted");
}
