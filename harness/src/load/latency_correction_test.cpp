#include "load/latency_correction.h"
#include "util/errors.h"

#include <catch2/catch.hpp>

#include <map>

using bench::load::wrk_corrected;
using bench::load::wrk_expected_interval_us;

namespace {

// wrk 4.1's stats_correct on its linear 1 us histogram, as a reference (values below 2048 are exact in ours).
std::map<int64_t, uint64_t> wrk_reference(std::map<int64_t, uint64_t> data, int64_t expected) {
  const int64_t max = data.empty() ? 0 : data.rbegin()->first;
  for (int64_t n = expected * 2; n <= max; ++n) {
    const uint64_t count = data.count(n) ? data[n] : 0;
    for (int64_t m = n - expected; count && m > expected; m -= expected) data[m] += count;
  }
  return data;
}

}  // namespace

TEST_CASE("wrk's correction adds the synthetic samples wrk 4.1 adds") {
  const std::map<int64_t, uint64_t> measured = {{90, 500}, {120, 300}, {250, 7}, {1000, 2}, {1999, 1}};
  bench::stats::Histogram histogram;
  for (const auto& [value, count] : measured) histogram.record_n(value, count);
  const int64_t expected = 100;
  const auto corrected = wrk_corrected(histogram, expected);
  std::map<int64_t, uint64_t> got;
  corrected.for_each_bucket([&](int64_t value, uint64_t count) { got[value] += count; });
  REQUIRE(got == wrk_reference(measured, expected));
  // 250 adds 150; 1000 adds 900 .. 200 (8 values); 1999 adds 1899 .. 199 (18 values).
  REQUIRE(corrected.count() == histogram.count() + 7 * 1 + 2 * 8 + 1 * 18);
  REQUIRE(corrected.max() == histogram.max());
}

TEST_CASE("wrk's expected interval is the run over the requests per connection, as wrk computes it") {
  REQUIRE(wrk_expected_interval_us(1'000'000, 1000, 1) == 1000);
  REQUIRE(wrk_expected_interval_us(10'000'000, 100'000, 50) == 5000);  // 2,000 per connection
  REQUIRE(wrk_expected_interval_us(1'000'000, 49, 50) == 0);           // wrk skips the correction
  bench::stats::Histogram h;
  h.record(5000);
  REQUIRE(wrk_corrected(h, 0).count() == 1);
}

TEST_CASE("the latency correction flag takes none or wrk") {
  REQUIRE(bench::load::parse_latency_correction("none") == bench::load::LatencyCorrection::none);
  REQUIRE(bench::load::parse_latency_correction("wrk") == bench::load::LatencyCorrection::wrk);
  REQUIRE_THROWS_AS(bench::load::parse_latency_correction("wrk2"), bench::UsageError);
}
