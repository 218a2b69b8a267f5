#include "util/number.h"

#include <catch2/catch.hpp>

#include <clocale>
#include <stdexcept>
#include <string>

using bench::parse_count;
using bench::parse_rate;

TEST_CASE("parse_count reads numbers with wrk's metric suffixes", "[number]") {
  CHECK(parse_count("0") == 0);
  CHECK(parse_count("1000") == 1000);
  CHECK(parse_count("1.5") == 1.5);
  CHECK(parse_count("20k") == 20000);
  CHECK(parse_count("20K") == 20000);
  CHECK(parse_count("1.5M") == 1.5e6);
  CHECK(parse_count("1.5m") == 1.5e6);  // wrk reads units case-insensitively
  CHECK(parse_count("2G") == 2e9);
  CHECK(parse_count("1e6") == 1e6);
  CHECK(parse_count("1e18") == 1e18);
}

TEST_CASE("parse_count rejects what is not a count, saying why", "[number]") {
  CHECK_THROWS_WITH(parse_count(""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(parse_count("fast"), Catch::Contains("no number"));
  CHECK_THROWS_WITH(parse_count("-5"), Catch::Contains("negative"));
  CHECK_THROWS_WITH(parse_count("-0"), Catch::Contains("negative"));
  CHECK_THROWS_WITH(parse_count("+5"), Catch::Contains("no number"));
  CHECK_THROWS_WITH(parse_count(" 5"), Catch::Contains("no number"));
  CHECK_THROWS_WITH(parse_count("5 "), Catch::Contains("unknown suffix ' '"));
  CHECK_THROWS_WITH(parse_count("5x"), Catch::Contains("unknown suffix 'x'"));
  CHECK_THROWS_WITH(parse_count("5kk"), Catch::Contains("unknown suffix 'kk'"));
  CHECK_THROWS_WITH(parse_count("1,5"), Catch::Contains("unknown suffix ',5'"));
  CHECK_THROWS_WITH(parse_count("inf"), Catch::Contains("not a finite number"));
  CHECK_THROWS_WITH(parse_count("nan"), Catch::Contains("not a finite number"));
  CHECK_THROWS_WITH(parse_count("1e400"), Catch::Contains("too large"));
  CHECK_THROWS_WITH(parse_count("1e308G"), Catch::Contains("too large"));
}

TEST_CASE("parse_count does not depend on the locale", "[number]") {
  // A locale whose decimal separator is a comma, where the machine has one (a bare Debian has only C and POSIX);
  // strtod/stod would then read "1.5" as 1.
  const char* previous = std::setlocale(LC_NUMERIC, nullptr);
  const std::string restore = previous ? previous : "C";
  if (!std::setlocale(LC_NUMERIC, "de_DE.UTF-8")) std::setlocale(LC_NUMERIC, "fr_FR.UTF-8");
  CHECK(parse_count("1.5") == 1.5);
  CHECK(parse_count("2.5k") == 2500);
  CHECK_THROWS_AS(parse_count("1,5"), std::invalid_argument);
  std::setlocale(LC_NUMERIC, restore.c_str());
}

TEST_CASE("parse_rate bounds the rate at what the engine schedules, naming the limit", "[number]") {
  CHECK(parse_rate("0") == 0);
  CHECK(parse_rate("20k") == 20000);
  CHECK(parse_rate("1e8") == bench::kMaxRate);
  CHECK(parse_rate("100M") == bench::kMaxRate);
  for (const char* huge : {"1e9", "1G", "1000000000000000000", "1e18", "100000001"})
    CHECK_THROWS_WITH(parse_rate(huge), Catch::Contains("100M requests/s"));
  CHECK_THROWS_WITH(parse_rate("-1"), Catch::Contains("negative"));
  CHECK(parse_rate("0.001") == bench::kMinRate);
  CHECK_THROWS_WITH(parse_rate("1e-300"), Catch::Contains("0.001 requests/s"));
}
