#include "run/console.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

TEST_CASE("the live line names variant, phase, level, time and rate", "[console]") {
  bench::run::Status s{"gin-raw", "measure", "db c=50", 3500ms, 10s, 12345.6};
  CHECK(bench::run::format_status(s) == "[gin-raw] measure db c=50  3.5s/10s  12346 req/s");
  bench::run::Status build{"gin-raw", "build", "", 0s, 0s, 0};
  CHECK(bench::run::format_status(build) == "[gin-raw] build");
}
