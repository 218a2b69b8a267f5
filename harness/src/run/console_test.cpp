#include "run/console.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

TEST_CASE("the live line names variant, phase, level, time and rate", "[console]") {
  bench::run::Status s{"gin-raw", "measure", "db c=50", 3500ms, 10s, 12345.6};
  CHECK(bench::run::format_status(s) == "[gin-raw] measure db c=50  3.5s/10s  12346 req/s");
  bench::run::Status build{"gin-raw", "build", "", 0s, 0s, 0};
  CHECK(bench::run::format_status(build) == "[gin-raw] build");
}

TEST_CASE("the live line ends with the run's progress and time left", "[console]") {
  bench::run::Status s{"orm", "measure", "db c=50", 3s, 10s, 900, 3, 14, 125s};
  CHECK(bench::run::format_status(s) == "[orm] measure db c=50  3.0s/10s  900 req/s  pass 3/14, ~2m left");
  CHECK(bench::run::format_progress(14, 14, 42400ms) == "pass 14/14, ~42s left");
  CHECK(bench::run::format_progress(1, 2, 0s) == "pass 1/2, ~0s left");
  CHECK(bench::run::format_progress(1, 2, 90s) == "pass 1/2, ~2m left");
}
