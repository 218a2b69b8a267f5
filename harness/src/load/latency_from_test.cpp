#include "load/result_json.h"

#include <catch2/catch.hpp>

TEST_CASE("latency_from copies a histogram's figures into the result model") {
  bench::stats::Histogram histogram;
  for (int64_t us = 1; us <= 1000; ++us) histogram.record(us);  // 1..1000 us, uniform
  const auto latency = bench::load::latency_from(histogram);
  CHECK(latency.min_us == 1);
  CHECK(latency.max_us == 1000);
  CHECK(latency.mean_us == Approx(500.5));
  CHECK(latency.p50_us == Approx(500).margin(1));
  CHECK(latency.p99_us == Approx(990).margin(1));
  CHECK(latency.p9999_us == Approx(1000).margin(1));
  REQUIRE_FALSE(latency.curve.empty());
  CHECK(latency.curve.back().second == Approx(1000).margin(1));
}

TEST_CASE("an empty histogram gives an all-zero latency") {
  const auto latency = bench::load::latency_from(bench::stats::Histogram{});
  CHECK(latency.max_us == 0);
  CHECK(latency.curve.empty());
}
