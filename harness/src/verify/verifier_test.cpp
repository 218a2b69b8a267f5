// verify() and verify_date_header() against a real process: testdata/fake_server.py in good and faulty modes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "verify/testdata/fake_server_process.h"
#include "verify/verifier.h"

using namespace bench::verify;
using bench::verify::testing::FakeDbProbe;
using bench::verify::testing::FakeServer;
using namespace std::chrono_literals;

namespace {

bool has(const Report& report, Level level, const std::string& text) {
  return std::any_of(report.findings.begin(), report.findings.end(), [&](const Finding& f) {
    return f.level == level && f.message.find(text) != std::string::npos;
  });
}

// The findings, one per line, for failure messages.
std::string dump(const Report& report) {
  std::ostringstream out;
  for (const auto& f : report.findings) out << to_string(f.level) << " [" << f.test << "] " << f.url << ": " << f.message << "\n";
  return out.str();
}

// A short burst: the fake counts exactly, so 20 requests show every fault; 512 would only slow the tests.
Options quick() {
  Options options;
  options.burst_requests = 20;
  options.burst_connections = 2;
  return options;
}

// Verifies one test type on a fresh fake server in `mode`, with a FakeDbProbe unless `with_db` is false.
Report run(const std::string& mode, TestKind kind, bool with_db = true) {
  FakeServer server(mode);
  FakeDbProbe probe(server.base_url());
  static const std::map<TestKind, std::string> paths = {
      {TestKind::json, "/json"},         {TestKind::db, "/db"},           {TestKind::queries, "/queries?queries="},
      {TestKind::fortunes, "/fortunes"}, {TestKind::updates, "/updates?queries="}, {TestKind::plaintext, "/plaintext"}};
  return verify(kind, server.base_url(), paths.at(kind), with_db ? &probe : nullptr, quick());
}

}  // namespace

TEST_CASE("a well-behaved server passes every test type", "[verifier]") {
  FakeServer server("good");
  FakeDbProbe probe(server.base_url());
  const std::vector<std::pair<TestKind, std::string>> tests = {
      {TestKind::json, "/json"},         {TestKind::db, "/db"},           {TestKind::queries, "/queries?queries="},
      {TestKind::fortunes, "/fortunes"}, {TestKind::updates, "/updates?queries="}, {TestKind::plaintext, "/plaintext"}};
  for (const auto& [kind, path] : tests) {
    const Report report = verify(kind, server.base_url(), path, &probe, quick());
    INFO(dump(report));
    CHECK(report.worst() == Level::pass);
    CHECK(!report.findings.empty());
    CHECK(report.findings.front().test == to_string(kind));
  }
  // The pass findings say what was counted.
  const Report updates = verify(TestKind::updates, server.base_url(), "/updates?queries=", &probe, quick());
  INFO(dump(updates));
  CHECK(has(updates, Level::pass, "rows changed in the database"));
  CHECK(has(updates, Level::pass, "returned rows match the table"));
  CHECK(has(updates, Level::pass, "World updates 400 (expected 400, or 20 batched)"));
}

TEST_CASE("without database access the database checks warn but do not fail", "[verifier]") {
  const Report report = run("good", TestKind::updates, false);
  INFO(dump(report));
  CHECK(report.worst() == Level::warn);
  CHECK(has(report, Level::warn, "changed rows not checked: no database access"));
  CHECK(has(report, Level::warn, "query counts not checked: no database access"));
}

TEST_CASE("header and status faults fail", "[verifier]") {
  SECTION("wrong content type") {
    const Report report = run("wrong_content_type", TestKind::json);
    INFO(dump(report));
    CHECK(has(report, Level::fail, "Content-Type 'text/plain' does not match ^application/json"));
  }
  SECTION("no Server header") {
    const Report report = run("no_server_header", TestKind::plaintext);
    INFO(dump(report));
    CHECK(has(report, Level::fail, "required header missing: Server"));
  }
  SECTION("no size header") {
    const Report report = run("no_length", TestKind::json);
    INFO(dump(report));
    CHECK(has(report, Level::fail, "neither Content-Length nor Transfer-Encoding"));
  }
  SECTION("status 500") {
    const Report report = run("status_500", TestKind::db);
    INFO(dump(report));
    CHECK(report.failed());
    CHECK(has(report, Level::fail, "status 500, expected 200"));
  }
  SECTION("nothing listening") {
    const Report report = verify(TestKind::json, "http://127.0.0.1:1", "/json", nullptr);
    CHECK(has(report, Level::fail, "no response"));
  }
}

TEST_CASE("json and db and plaintext body faults", "[verifier]") {
  CHECK(has(run("json_wrong_message", TestKind::json), Level::fail, "expected message 'Hello, World!'"));
  const Report extra = run("json_extra_key", TestKind::json);
  CHECK(extra.worst() == Level::warn);
  CHECK(has(extra, Level::warn, "extra keys besides 'message': extra"));
  const Report array = run("db_array", TestKind::db);
  INFO(dump(array));
  CHECK(array.worst() == Level::warn);
  CHECK(has(array, Level::warn, "one-element JSON array"));
  CHECK(has(run("db_out_of_range", TestKind::db), Level::warn, "randomNumber 20000 is outside 1..10000"));
  CHECK(has(run("plaintext_extra", TestKind::plaintext), Level::warn, "1 bytes more than 'Hello, World!'"));
}

TEST_CASE("queries must clamp and really query", "[verifier]") {
  const Report unclamped = run("queries_not_clamped", TestKind::queries);
  INFO(dump(unclamped));
  CHECK(has(unclamped, Level::fail, "array of 0 rows, expected 1"));
  CHECK(has(unclamped, Level::warn, "array of 501 rows, expected 500"));
  const auto zero = std::find_if(unclamped.findings.begin(), unclamped.findings.end(), [](const Finding& f) {
    return f.message.find("array of 0 rows") != std::string::npos;
  });
  REQUIRE(zero != unclamped.findings.end());
  CHECK(zero->url.find("/queries?queries=0") != std::string::npos);

  const Report cached = run("cached_queries", TestKind::queries);
  INFO(dump(cached));
  CHECK(has(cached, Level::fail, "only 0 World selects in the database, expected at least 400"));

  const Report doubled = run("extra_queries", TestKind::db);
  INFO(dump(doubled));
  CHECK(doubled.worst() == Level::warn);
  CHECK(has(doubled, Level::warn, "40 World selects in the database, expected 20 (20 more than the test needs)"));
}

TEST_CASE("fortunes faults fail with the reason", "[verifier]") {
  const Report unescaped = run("fortunes_unescaped", TestKind::fortunes);
  INFO(dump(unescaped));
  CHECK(has(unescaped, Level::fail, "not HTML-escaped"));
  CHECK(has(run("fortunes_missing_extra", TestKind::fortunes), Level::fail, "(id 0) is missing"));
  CHECK(has(run("fortunes_unsorted", TestKind::fortunes), Level::fail, "rows are not sorted by message"));
  CHECK(has(run("fortunes_no_charset", TestKind::fortunes), Level::fail,
            "Content-Type 'text/html' does not match ^text/html; ?charset=(UTF|utf)-8$"));
  const Report entities = run("fortunes_entity_forms", TestKind::fortunes);
  INFO(dump(entities));
  CHECK(entities.worst() == Level::pass);
}

TEST_CASE("updates must write what they return", "[verifier]") {
  const Report no_write = run("updates_no_write", TestKind::updates);
  INFO(dump(no_write));
  CHECK(has(no_write, Level::fail, "no rows were updated in the database"));
  CHECK(has(no_write, Level::fail, "returned rows do not match the table"));
  CHECK(has(no_write, Level::fail, "only 0 World updates"));

  const Report partial = run("updates_partial", TestKind::updates);
  INFO(dump(partial));
  CHECK(has(partial, Level::fail, "only 425 rows were updated in the database, expected about 500"));

  const Report batched = run("updates_batched", TestKind::updates);
  INFO(dump(batched));
  CHECK(batched.worst() == Level::pass);
  CHECK(has(batched, Level::pass, "World updates 20 (expected 400, or 20 batched)"));
}

TEST_CASE("the Date header must change over time", "[verifier][date]") {
  FakeServer good("good");
  const auto start = std::chrono::steady_clock::now();
  const Report live = verify_date_header(good.base_url(), "/plaintext");
  INFO(dump(live));
  CHECK(live.worst() == Level::pass);
  CHECK(has(live, Level::pass, "Date changed"));
  CHECK(std::chrono::steady_clock::now() - start < 2500ms);

  FakeServer stale("stale_date");
  const Report cached = verify_date_header(stale.base_url(), "/plaintext", 200ms, 700ms);
  INFO(dump(cached));
  CHECK(has(cached, Level::fail, "Date unchanged ('Sun, 06 Nov 1994 08:49:37 GMT')"));
  CHECK(cached.findings.front().test == "date");
}

TEST_CASE("a Date fixed per connection warns", "[verifier][date]") {
  FakeServer server("date_per_connection");
  const Report report = verify_date_header(server.base_url(), "/plaintext", 1100ms, 1600ms);
  INFO(dump(report));
  CHECK(report.worst() == Level::warn);
  CHECK(has(report, Level::warn, "on a kept-alive connection (new connections get a current one)"));
}
