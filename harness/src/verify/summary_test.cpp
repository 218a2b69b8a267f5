// The findings as a person reads them: URLs named, repeats counted, the count and the list agreeing.
#include "verify/summary.h"

#include <catch2/catch.hpp>

using namespace bench::verify;
using Catch::Contains;

namespace {

const std::string kBase = "http://127.0.0.1:8080";

// What a server serving JSON as text/plain gets on /queries: the same failure on every case's URL, plus one of its own.
Report wrong_queries() {
  Report report;
  for (const char* value : {"2", "0", "foo", "501", ""}) {
    report.findings.push_back({"queries", kBase + "/queries?queries=" + value, Level::fail,
                               "Content-Type 'text/plain' does not match ^application/json(; ?charset=(UTF|utf)-8)?$"});
  }
  report.findings.push_back({"queries", kBase + "/queries?queries=2", Level::fail, "array of 3 rows, expected 2"});
  report.findings.push_back({"queries", kBase + "/queries?queries=20", Level::pass, "query counts over 512 requests"});
  report.findings.push_back({"queries", kBase + "/queries?queries=20", Level::warn, "1 statements per request ..."});
  return report;
}

}  // namespace

TEST_CASE("summarize names the URL and counts a repeated result once", "[summary]") {
  const auto lines = summarize(wrong_queries(), Level::fail, kBase);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].count == 5);
  CHECK_THAT(lines[0].text, Contains("queries /queries?queries=2 (5 times, also /queries?queries=0, "
                                     "/queries?queries=foo and 2 more): Content-Type 'text/plain'"));
  CHECK(lines[1].count == 1);
  CHECK(lines[1].text == "queries /queries?queries=2: array of 3 rows, expected 2");

  const auto warns = summarize(wrong_queries(), Level::warn, kBase);
  REQUIRE(warns.size() == 1);
  CHECK(warns[0].text == "queries /queries?queries=20: 1 statements per request ...");
}

TEST_CASE("the failure reason's count matches what it lists", "[summary]") {
  const auto reason = failure_reason(wrong_queries(), kBase);
  CHECK_THAT(reason, Contains("verification failed: 6 checks failed (2 distinct)"));
  CHECK_THAT(reason, Contains("\n  queries /queries?queries=2: array of 3 rows, expected 2"));
  CHECK_THAT(reason, !Contains("more (every check"));

  // More distinct failures than lines shown: the rest are counted, not dropped silently.
  Report many;
  for (int i = 0; i < 8; ++i) many.findings.push_back({"db", kBase + "/db", Level::fail, "fault " + std::to_string(i)});
  const auto long_reason = failure_reason(many, kBase, 5);
  CHECK_THAT(long_reason, Contains("verification failed: 8 checks failed\n"));
  CHECK_THAT(long_reason, Contains("db /db: fault 4\n  ... and 3 more (every check is in results.json)"));
  CHECK_THAT(long_reason, !Contains("fault 5"));

  CHECK(url_path("http://other:1/x", kBase) == "http://other:1/x");
}
