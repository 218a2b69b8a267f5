#include "stats/histogram.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using bench::stats::Histogram;

// The exact percentile of sorted samples, with the same rank rule as the histogram (ceil(p * n), at least 1).
int64_t exact_percentile(const std::vector<int64_t>& sorted, double p) {
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

// 3 significant digits: within 1/1024 of the exact value (plus one unit for small values).
void require_within_precision(int64_t got, int64_t exact) {
  const double allowed = std::max(1.0, static_cast<double>(exact) / 1024.0);
  INFO("got " << got << ", exact " << exact);
  REQUIRE(std::abs(static_cast<double>(got - exact)) <= allowed);
}

}  // namespace

TEST_CASE("percentiles match sorted samples within 3 significant digits") {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> latency(7.0, 1.5);  // median ~1 ms, long tail
  std::vector<int64_t> samples;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<int64_t>(latency(rng));
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  REQUIRE(h.count() == samples.size());
  REQUIRE(h.min() == samples.front());
  REQUIRE(h.max() == samples.back());
  for (double p : {1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    INFO("p" << p);
    require_within_precision(h.value_at_percentile(p), exact_percentile(samples, p));
  }
  double sum = 0, sum_squares = 0;
  for (auto v : samples) sum += static_cast<double>(v), sum_squares += static_cast<double>(v) * static_cast<double>(v);
  const double mean = sum / static_cast<double>(samples.size());
  REQUIRE(h.mean() == Approx(mean).epsilon(1e-9));
  REQUIRE(h.stdev() == Approx(std::sqrt(sum_squares / static_cast<double>(samples.size()) - mean * mean)).epsilon(1e-6));
}

TEST_CASE("small values are exact") {
  Histogram h;
  for (int64_t v = 0; v < 2048; ++v) h.record(v);
  REQUIRE(h.value_at_percentile(50) == 1023);
  REQUIRE(h.value_at_percentile(100) == 2047);
  REQUIRE(h.value_at_percentile(0) == 0);
}

TEST_CASE("an empty histogram answers zeros") {
  Histogram h;
  REQUIRE(h.count() == 0);
  REQUIRE(h.min() == 0);
  REQUIRE(h.max() == 0);
  REQUIRE(h.mean() == 0);
  REQUIRE(h.stdev() == 0);
  REQUIRE(h.value_at_percentile(99) == 0);
  REQUIRE(h.fraction_within(0, 100) == 0);
  REQUIRE(h.percentile_curve().empty());
}

TEST_CASE("extremes are clamped, not lost") {
  Histogram h;
  h.record(-5);
  h.record(Histogram::kHighest * 4);
  h.record(int64_t{3600} * 1000 * 1000);  // one hour in us, within range
  REQUIRE(h.count() == 3);
  REQUIRE(h.min() == 0);
  REQUIRE(h.max() == Histogram::kHighest);
  require_within_precision(h.value_at_percentile(50), int64_t{3600} * 1000 * 1000);
  REQUIRE(h.value_at_percentile(100) == Histogram::kHighest);
}

TEST_CASE("merging equals recording everything in one") {
  Histogram a, b, all;
  for (int64_t v = 1; v <= 5000; ++v) {
    (v % 3 ? a : b).record(v * 7);
    all.record(v * 7);
  }
  Histogram merged;
  merged.merge(a);
  merged.merge(b);
  REQUIRE(merged.count() == all.count());
  REQUIRE(merged.min() == all.min());
  REQUIRE(merged.max() == all.max());
  REQUIRE(merged.mean() == Approx(all.mean()));
  for (double p : {50.0, 90.0, 99.0, 99.9}) REQUIRE(merged.value_at_percentile(p) == all.value_at_percentile(p));
  Histogram empty;
  merged.merge(empty);
  REQUIRE(merged.count() == all.count());
}

TEST_CASE("record_n counts n times") {
  Histogram h;
  h.record_n(100, 9);
  h.record_n(100000, 1);
  REQUIRE(h.count() == 10);
  REQUIRE(h.value_at_percentile(90) == 100);
  require_within_precision(h.value_at_percentile(91), 100000);
  REQUIRE(h.mean() == Approx((900.0 + 100000.0) / 10));
}

TEST_CASE("fraction_within counts values in a range (wrk's +/- Stdev)") {
  Histogram h;
  for (int64_t v = 1; v <= 100; ++v) h.record(v);
  REQUIRE(h.fraction_within(1, 50) == Approx(0.5));
  REQUIRE(h.fraction_within(h.mean() - h.stdev(), h.mean() + h.stdev()) == Approx(0.58).margin(0.011));
}

TEST_CASE("percentile_curve goes from 0 to 100 with the nines the count resolves") {
  Histogram h;
  for (int64_t v = 1; v <= 100000; ++v) h.record(v);
  const auto curve = h.percentile_curve();
  REQUIRE(curve.front().first == 0.0);
  REQUIRE(curve.back().first == 100.0);
  REQUIRE(curve.back().second == 100000);
  // 99.9, 99.99, 99.999 are resolvable with 100,000 values; 99.9999 is not.
  REQUIRE(std::any_of(curve.begin(), curve.end(), [](auto& pt) { return std::abs(pt.first - 99.999) < 1e-9; }));
  REQUIRE(std::none_of(curve.begin(), curve.end(), [](auto& pt) { return std::abs(pt.first - 99.9999) < 1e-9; }));
  for (size_t i = 1; i < curve.size(); ++i) {
    REQUIRE(curve[i].first > curve[i - 1].first);
    REQUIRE(curve[i].second >= curve[i - 1].second);
  }
}

TEST_CASE("JSON round trip keeps buckets and exact figures, compactly") {
  Histogram h;
  for (int64_t v = 10; v < 200000; v = v * 11 / 10 + 1) h.record_n(v, static_cast<uint64_t>(v % 7 + 1));
  const auto json = bench::stats::to_json(h);
  REQUIRE(json.at("buckets").size() < 200);
  const auto back = bench::stats::histogram_from_json(nlohmann::json::parse(json.dump()));
  REQUIRE(back.count() == h.count());
  REQUIRE(back.min() == h.min());
  REQUIRE(back.max() == h.max());
  REQUIRE(back.mean() == Approx(h.mean()));
  REQUIRE(back.stdev() == Approx(h.stdev()));
  for (double p : {50.0, 99.0, 99.99}) REQUIRE(back.value_at_percentile(p) == h.value_at_percentile(p));
  REQUIRE(bench::stats::histogram_from_json(bench::stats::to_json(Histogram{})).count() == 0);
}

TEST_CASE("JSON whose buckets do not add up is rejected") {
  Histogram h;
  h.record(5);
  auto json = bench::stats::to_json(h);
  json["count"] = 2;
  REQUIRE_THROWS_AS(bench::stats::histogram_from_json(json), nlohmann::json::exception);
}
