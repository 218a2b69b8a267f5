// The checks as pure functions: responses and JSON built in the test, no server.
#include <catch2/catch.hpp>

#include <algorithm>

#include "verify/json_checks.h"
#include "verify/query_counts.h"
#include "verify/response_checks.h"
#include "verify/statements.h"
#include "verify/world_updates.h"

using namespace bench::verify;

namespace {

// True when some problem has `level` and a message containing `text`.
bool has(const Problems& problems, Level level, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.level == level && p.message.find(text) != std::string::npos;
  });
}

HttpResponse good_response(const std::string& content_type) {
  HttpResponse response;
  response.status = 200;
  response.body = "x";
  response.headers = {{"server", "test"},
                      {"date", "Thu, 26 Nov 2026 10:00:00 GMT"},
                      {"content-type", content_type},
                      {"content-length", "1"}};
  return response;
}

}  // namespace

TEST_CASE("check_transport fails transport errors and non-200 and empty bodies", "[checks]") {
  HttpResponse response = good_response("application/json");
  CHECK(check_transport(response).empty());
  response.status = 500;
  CHECK(has(check_transport(response), Level::fail, "status 500, expected 200"));
  response.status = 200;
  response.body.clear();
  CHECK(has(check_transport(response), Level::fail, "empty response body"));
  response.error = "Connection refused";
  CHECK(has(check_transport(response), Level::fail, "no response: Connection refused"));
}

TEST_CASE("check_headers requires Server and Date and Content-Type and a size header", "[checks]") {
  CHECK(check_headers(good_response("application/json"), ContentKind::json).empty());

  auto response = good_response("application/json");
  response.headers.erase("server");
  CHECK(has(check_headers(response, ContentKind::json), Level::fail, "required header missing: Server"));

  response = good_response("application/json");
  response.headers.erase("content-length");
  CHECK(has(check_headers(response, ContentKind::json), Level::fail, "neither Content-Length nor Transfer-Encoding"));
  response.headers["transfer-encoding"] = "chunked";
  CHECK(check_headers(response, ContentKind::json).empty());

  response = good_response("application/json");
  response.headers["date"] = "yesterday";
  CHECK(has(check_headers(response, ContentKind::json), Level::warn, "Date header 'yesterday'"));
}

TEST_CASE("check_headers applies TechEmpower's Content-Type patterns", "[checks]") {
  CHECK(check_headers(good_response("application/json"), ContentKind::json).empty());
  CHECK(check_headers(good_response("application/json; charset=UTF-8"), ContentKind::json).empty());
  CHECK(check_headers(good_response("application/json;charset=utf-8"), ContentKind::json).empty());
  CHECK(has(check_headers(good_response("text/plain"), ContentKind::json), Level::fail, "does not match"));
  CHECK(has(check_headers(good_response("application/json; charset=latin1"), ContentKind::json), Level::fail,
            "does not match"));
  CHECK(check_headers(good_response("text/html; charset=utf-8"), ContentKind::html).empty());
  CHECK(has(check_headers(good_response("text/html"), ContentKind::html), Level::fail, "does not match"));
  CHECK(check_headers(good_response("text/plain"), ContentKind::plaintext).empty());
  CHECK(check_headers(good_response("text/plain; charset=utf-8"), ContentKind::plaintext).empty());
  CHECK(has(check_headers(good_response("text/html"), ContentKind::plaintext), Level::fail, "does not match"));
}

TEST_CASE("check_hello_body compares lower-cased and warns on extra keys", "[checks]") {
  CHECK(check_hello_body(R"({"message":"Hello, World!"})").empty());
  CHECK(check_hello_body(R"({"MESSAGE":"hello, world!"})").empty());
  CHECK(has(check_hello_body(R"({"message":"Hello"})"), Level::fail, "expected message 'Hello, World!'"));
  CHECK(has(check_hello_body(R"({"msg":"Hello, World!"})"), Level::fail, "missing required key 'message'"));
  CHECK(has(check_hello_body("not json"), Level::fail, "invalid JSON"));
  CHECK(has(check_hello_body(R"(["Hello, World!"])"), Level::fail, "expected a JSON object"));
  const auto extra = check_hello_body(R"({"message":"Hello, World!","x":1})");
  CHECK(has(extra, Level::warn, "extra keys besides 'message': x"));
  CHECK(worst(extra) == Level::warn);
}

TEST_CASE("check_world_object wants integer id and randomNumber in range", "[checks]") {
  std::optional<WorldRow> row;
  CHECK(check_world_object(nlohmann::json::parse(R"({"id":5,"randomNumber":77})"), Level::fail, &row).empty());
  REQUIRE(row);
  CHECK(row->id == 5);
  CHECK(row->random_number == 77);
  CHECK(check_world_object(nlohmann::json::parse(R"({"ID":5,"randomnumber":77})"), Level::fail).empty());
  CHECK(has(check_world_object(nlohmann::json::parse(R"({"id":5})"), Level::fail), Level::fail,
            "missing the key 'randomNumber'"));
  CHECK(has(check_world_object(nlohmann::json::parse(R"({"id":5.5,"randomNumber":1})"), Level::fail), Level::fail,
            "'id' is not an integer"));
  CHECK(has(check_world_object(nlohmann::json::parse(R"({"id":"5","randomNumber":1})"), Level::fail), Level::warn,
            "'id' is a string"));
  CHECK(has(check_world_object(nlohmann::json::parse(R"({"id":0,"randomNumber":1})"), Level::fail), Level::warn,
            "id 0 is outside 1..10000"));
  CHECK(has(check_world_object(nlohmann::json::parse(R"({"id":1,"randomNumber":10001})"), Level::fail), Level::warn,
            "randomNumber 10001 is outside"));
  CHECK(has(check_world_object(nlohmann::json::parse(R"({"id":1,"randomNumber":2,"x":3})"), Level::fail),
            Level::warn, "extra keys in the World object: x"));
  CHECK(has(check_world_object(nlohmann::json::parse(R"([1])"), Level::warn), Level::warn, "expected a JSON object"));
}

TEST_CASE("keys that differ only in case warn, naming both values", "[checks]") {
  // TechEmpower's nodejs implementation answered updates with the old and the new value this way (issue 25).
  const auto both = check_world_object(nlohmann::json::parse(R"({"id":5,"randomnumber":77,"randomNumber":4321})"),
                                       Level::fail);
  CHECK(has(both, Level::warn,
            "keys that differ only in case: 'randomNumber' = 4321 and 'randomnumber' = 77 (bench reads "
            "'randomNumber'; TechEmpower reads the last in the document)"));
  CHECK(worst(both) == Level::warn);
  CHECK(both.size() == 1);  // not also an "extra key"
  CHECK(has(check_db_body(R"({"id":5,"ID":6,"randomNumber":1})"), Level::warn,
            "keys that differ only in case: 'ID' = 6 and 'id' = 5"));
  const auto three = check_world_list(R"([{"id":1,"randomNumber":2,"RANDOMNUMBER":3,"RandomNumber":4}])", 1,
                                      Level::fail);
  CHECK(has(three, Level::warn, "'RANDOMNUMBER' = 3, 'RandomNumber' = 4 and 'randomNumber' = 2"));
  CHECK(has(check_hello_body(R"({"message":"Hello, World!","Message":"hello, world!"})"), Level::warn,
            "keys that differ only in case: 'Message' = \"hello, world!\" and 'message' = \"Hello, World!\""));
  CHECK(check_world_object(nlohmann::json::parse(R"({"id":5,"randomNumber":77})"), Level::fail).empty());
}

TEST_CASE("check_db_body: one object passes and an array of one warns and other arrays fail", "[checks]") {
  CHECK(check_db_body(R"({"id":1,"randomNumber":2})").empty());
  const auto array = check_db_body(R"([{"id":1,"randomNumber":2}])");
  CHECK(has(array, Level::warn, "one-element JSON array"));
  CHECK(worst(array) == Level::warn);
  CHECK(has(check_db_body(R"([{"id":1,"randomNumber":2},{"id":2,"randomNumber":2}])"), Level::fail,
            "got an array of 2"));
}

TEST_CASE("check_world_list checks the length and at most five bad rows", "[checks]") {
  std::vector<WorldRow> rows;
  CHECK(check_world_list(R"([{"id":1,"randomNumber":2},{"id":3,"randomNumber":4}])", 2, Level::fail, &rows).empty());
  CHECK(rows.size() == 2);
  CHECK(has(check_world_list(R"([{"id":1,"randomNumber":2}])", 2, Level::fail), Level::fail,
            "array of 1 rows, expected 2"));
  CHECK(has(check_world_list(R"([{"id":1,"randomNumber":2}])", 2, Level::warn), Level::warn,
            "array of 1 rows, expected 2"));
  CHECK(has(check_world_list(R"({"id":1,"randomNumber":2})", 1, Level::fail), Level::fail,
            "top-level JSON is not an array"));
  const auto bad = check_world_list(R"([1,2,3,4,5,6,7,8])", 8, Level::fail);
  CHECK(bad.size() == 5);
}

TEST_CASE("check_query_counts: exact, fewer fails and any more warns", "[checks]") {
  QueryCounts delta;
  delta.select_world_calls = 512;
  delta.select_world_rows = 512;
  const auto exact = check_query_counts(TestKind::db, delta, 512, 1);
  CHECK(exact.problems.empty());
  CHECK(exact.summary.find("World selects 512 (expected 512)") != std::string::npos);

  delta.select_world_calls = 511;  // one missing of 512: no margin
  CHECK(has(check_query_counts(TestKind::db, delta, 512, 1).problems, Level::fail,
            "only 511 World selects in the database, expected at least 512"));
  delta.select_world_calls = 513;  // one more: TechEmpower lets 5% pass silently, bench names it
  CHECK(has(check_query_counts(TestKind::db, delta, 512, 1).problems, Level::warn,
            "513 World selects in the database, expected 512 (1 more than the test needs)"));
  CHECK(worst(check_query_counts(TestKind::db, delta, 512, 1).problems) == Level::warn);

  QueryCounts fortunes;
  fortunes.select_fortune_calls = 20;
  fortunes.select_fortune_rows = 240;
  CHECK(check_query_counts(TestKind::fortunes, fortunes, 20, 1).problems.empty());
  fortunes.select_fortune_rows = 239;
  CHECK(has(check_query_counts(TestKind::fortunes, fortunes, 20, 1).problems, Level::fail, "Fortune rows read"));
}

TEST_CASE("check_query_counts accepts per-row or batched updates, exactly", "[checks]") {
  // TechEmpower's own burst: 512 requests of updates?queries=20.
  QueryCounts delta;
  delta.select_world_calls = delta.select_world_rows = 10240;
  delta.update_world_calls = 10240;
  delta.update_world_rows = 10240;
  CHECK(check_query_counts(TestKind::updates, delta, 512, 20).problems.empty());

  SECTION("one UPDATE skipped because the new value equalled the old one fails") {
    delta.update_world_calls = 10239;
    delta.update_world_rows = 10239;
    const auto skipped = check_query_counts(TestKind::updates, delta, 512, 20).problems;
    CHECK(has(skipped, Level::fail, "only 10239 World updates in the database, expected 10240 (one per row) or 512"));
    CHECK(has(skipped, Level::fail, "also when the new random value equals the old one"));
    CHECK(has(skipped, Level::fail, "only 10239 World rows updated in the database, expected 10240"));
  }
  SECTION("one batched statement per request, with TechEmpower's margin for ids drawn twice") {
    delta.update_world_calls = 512;
    CHECK(check_query_counts(TestKind::updates, delta, 512, 20).problems.empty());
    delta.update_world_rows = 10230;
    CHECK(check_query_counts(TestKind::updates, delta, 512, 20).problems.empty());
    delta.update_world_rows = 9700;  // below 10240 / 1.05
    CHECK(has(check_query_counts(TestKind::updates, delta, 512, 20).problems, Level::fail,
              "(at least 9753 with batched updates)"));
  }
  SECTION("neither per row nor one per request fails") {
    delta.update_world_calls = 1024;  // batches of 10
    CHECK(has(check_query_counts(TestKind::updates, delta, 512, 20).problems, Level::fail, "only 1024 World updates"));
  }
  SECTION("nothing written") {
    delta.update_world_calls = 0;
    delta.update_world_rows = 0;
    const auto none = check_query_counts(TestKind::updates, delta, 512, 20).problems;
    CHECK(has(none, Level::fail, "only 0 World updates"));
    CHECK(has(none, Level::fail, "only 0 World rows updated"));
  }
  SECTION("more than needed warns") {
    delta.update_world_calls = 10241;
    delta.update_world_rows = 10241;
    const auto more = check_query_counts(TestKind::updates, delta, 512, 20).problems;
    CHECK(worst(more) == Level::warn);
    CHECK(has(more, Level::warn, "10241 World updates in the database, expected 10240 (1 more"));
  }
}

TEST_CASE("extra statements per request are named, per-connection ones are not", "[checks]") {
  const std::vector<StatementCalls> before = {{"SELECT id, randomnumber FROM world WHERE id = $1", 100, 100},
                                              {"SELECT pg_advisory_unlock_all()", 7, 7}};
  const std::vector<StatementCalls> after = {
      {"SELECT id, randomnumber FROM world WHERE id = $1", 612, 612},
      {"SELECT pg_advisory_unlock_all()", 519, 519},
      {"CLOSE ALL", 512, 0},
      {"UNLISTEN *", 512, 0},
      {"RESET ALL", 512, 0},
      {"SET statement_timeout = $1", 8, 0},  // once per connection of the pool: not per request
  };
  const auto delta = statement_delta(after, before);
  REQUIRE(delta.size() == 6);
  const auto problems = check_extra_statements(TestKind::db, delta, 512);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().level == Level::warn);
  CHECK(has(problems, Level::warn, "4 statements per request that the db test does not need"));
  CHECK(has(problems, Level::warn, "'SELECT pg_advisory_unlock_all()' 1/request"));
  CHECK(has(problems, Level::warn, "'RESET ALL' 1/request"));
  CHECK(problems.front().message.find("statement_timeout") == std::string::npos);
  CHECK(problems.front().message.find("FROM world") == std::string::npos);

  // What each test needs is not extra: updates need World updates, fortunes only Fortune selects.
  const std::vector<StatementCalls> updates = {{"UPDATE world SET randomnumber = $1 WHERE id = $2", 400, 400},
                                               {"select id from \"World\" where id = $1", 400, 400}};
  CHECK(check_extra_statements(TestKind::updates, updates, 20).empty());
  CHECK(has(check_extra_statements(TestKind::queries, updates, 20), Level::warn, "'UPDATE world SET randomnumber"));
  CHECK(!check_extra_statements(TestKind::fortunes, updates, 20).empty());
  CHECK(needed_by(TestKind::fortunes, "/* orm */ SELECT fortune.id, fortune.message FROM fortune"));
  CHECK(!needed_by(TestKind::db, "SELECT * FROM worldwide"));
  // An ORM flushes its updates in a transaction: part of the updates test's work, extra around a read.
  CHECK(needed_by(TestKind::updates, "BEGIN"));
  CHECK(needed_by(TestKind::updates, "commit"));
  CHECK(needed_by(TestKind::updates, "START TRANSACTION ISOLATION LEVEL READ COMMITTED"));
  CHECK(!needed_by(TestKind::updates, "beginning_of_time()"));
  CHECK(!needed_by(TestKind::db, "BEGIN"));
  CHECK(!needed_by(TestKind::queries, "COMMIT"));
}

TEST_CASE("changed rows: 0 fails and up to 90% fails and up to 95% warns", "[checks]") {
  const std::map<int, int> before = {{1, 10}, {2, 20}, {3, 30}};
  const std::map<int, int> after = {{1, 11}, {2, 20}, {3, 31}};
  CHECK(changed_rows(before, after) == 2);
  CHECK(has(check_changed_rows(0, 500), Level::fail, "no rows were updated"));
  CHECK(has(check_changed_rows(450, 500), Level::fail, "only 450 rows"));
  CHECK(has(check_changed_rows(475, 500), Level::warn, "only 475 rows"));
  CHECK(check_changed_rows(476, 500).empty());
}

TEST_CASE("returned rows must hold the table's values after the request", "[checks]") {
  const std::map<int, int> after = {{1, 10}, {2, 20}};
  CHECK(check_returned_rows({{1, 10}, {2, 20}}, after).empty());
  CHECK(check_returned_rows({{1, 5}, {1, 10}}, after).empty());  // id 1 written twice; the last write won
  CHECK(has(check_returned_rows({{1, 10}, {2, 21}}, after), Level::fail,
            "1 of 2 returned rows do not match the table after the request (e.g. id 2 returned randomNumber 21 but "
            "the table holds 20)"));
}
