#include "util/duration.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using bench::parse_duration;

TEST_CASE("parse_duration reads wrk-style durations", "[duration]") {
  CHECK(parse_duration("10s") == 10s);
  CHECK(parse_duration("2m") == 120s);
  CHECK(parse_duration("1h") == 3600s);
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("800us") == 800us);
  CHECK(parse_duration("1.5s") == 1500ms);
  CHECK(parse_duration("15") == 15s);
  CHECK(parse_duration("0s") == 0s);
}

TEST_CASE("parse_duration rejects bad input with a reason", "[duration]") {
  CHECK_THROWS_WITH(parse_duration(""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(parse_duration("abc"), Catch::Contains("no number"));
  CHECK_THROWS_WITH(parse_duration("-5s"), Catch::Contains("negative"));
  CHECK_THROWS_WITH(parse_duration("10x"), Catch::Contains("unknown unit 'x'"));
  CHECK_THROWS_WITH(parse_duration("1e30h"), Catch::Contains("too large"));
  CHECK_THROWS_AS(parse_duration("10 s"), std::invalid_argument);
}

TEST_CASE("format_duration gives the short form back", "[duration]") {
  CHECK(bench::format_duration(15s) == "15s");
  CHECK(bench::format_duration(90s) == "1m30s");
  CHECK(bench::format_duration(250ms) == "250ms");
  CHECK(bench::format_duration(0s) == "0s");
}
