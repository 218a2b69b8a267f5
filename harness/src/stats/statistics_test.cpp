#include "stats/statistics.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

using namespace bench::stats;  // NOLINT: test file, the names are the subject


TEST_CASE("median of odd and even counts") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median({7}) == 7);
  CHECK_THROWS_AS(median({}), std::invalid_argument);
}

TEST_CASE("Mann-Whitney U matches scipy's documented example (exact and asymptotic)") {
  // scipy.stats.mannwhitneyu docs: males vs females, U1 = 17, exact two-sided p = 0.1111...,
  // method="asymptotic" p = 0.11134688653314041.
  const std::vector<double> males = {19, 22, 16, 29, 24};
  const std::vector<double> females = {20, 11, 17, 12};
  const auto exact = mann_whitney_u(males, females);
  CHECK(exact.exact);
  CHECK(exact.u == 17);
  CHECK(exact.p_value == Approx(0.1111111111111111).epsilon(1e-9));

  const auto asymptotic = mann_whitney_u(males, females, Method::asymptotic);
  CHECK_FALSE(asymptotic.exact);
  CHECK(asymptotic.u == 17);
  CHECK(asymptotic.p_value == Approx(0.11134688653314041).epsilon(1e-9));

  // A tie forces the approximation: U counts a tied pair as one half.
  const auto tied = mann_whitney_u({19, 22, 16, 29, 24, 100}, {20, 11, 17, 12, 100});
  CHECK_FALSE(tied.exact);
  CHECK(tied.u == Approx(17 + 4 + 0.5));
}

TEST_CASE("the normal approximation equals scipy's asymptotic value when there are no ties") {
  // More than kExactLimit values a side forces the approximation; check it against the closed form instead:
  // two samples that do not overlap at all, n = 60 each: z = (3600 - 1800 - 0.5) / sqrt(60*60*121/12).
  std::vector<double> low, high;
  for (int i = 0; i < 60; ++i) {
    low.push_back(i);
    high.push_back(1000 + i);
  }
  const auto result = mann_whitney_u(low, high);
  CHECK_FALSE(result.exact);
  CHECK(result.u == 0);
  const double z = (3600 - 1800 - 0.5) / std::sqrt(60.0 * 60.0 * 121.0 / 12.0);
  CHECK(result.p_value == Approx(std::erfc(z / std::sqrt(2.0))).epsilon(1e-12));
  CHECK(result.p_value < 1e-15);
}

TEST_CASE("Mann-Whitney U on separated, identical and overlapping samples") {
  // 5 vs 5 with no overlap: the smallest exact p-value, 2 / C(10, 5) = 2/252.
  const auto separated = mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  CHECK(separated.exact);
  CHECK(separated.u == 0);
  CHECK(separated.p_value == Approx(2.0 / 252.0));
  CHECK(smallest_p_value(5, 5) == Approx(2.0 / 252.0));
  CHECK(smallest_p_value(3, 3) == Approx(0.1));

  // All values equal: ties everywhere, no evidence at all.
  const auto same = mann_whitney_u({5, 5, 5}, {5, 5, 5});
  CHECK(same.p_value == 1.0);

  // Interleaved samples: U at its mean, p = 1.
  const auto interleaved = mann_whitney_u({1, 4, 5, 8}, {2, 3, 6, 7});
  CHECK(interleaved.u == 8);
  CHECK(interleaved.p_value == Approx(1.0));

  CHECK_THROWS_AS(mann_whitney_u({}, {1}), std::invalid_argument);
}

TEST_CASE("median interval uses the binomial order statistics") {
  // n = 10: the textbook 95% interval is [x(2), x(9)] with coverage 1 - 2 * 11/1024 = 0.978515625.
  const auto ten = median_interval({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
  CHECK(ten.low == 2);
  CHECK(ten.high == 9);
  CHECK(ten.confidence == Approx(0.978515625));

  // n = 5 cannot reach 95%: [min, max] with coverage 1 - 2/32 = 0.9375.
  const auto five = median_interval({5, 3, 1, 4, 2});
  CHECK(five.low == 1);
  CHECK(five.high == 5);
  CHECK(five.confidence == Approx(0.9375));

  // n = 20: [x(6), x(15)], coverage 0.9586.
  std::vector<double> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(i);
  const auto interval = median_interval(twenty);
  CHECK(interval.low == 6);
  CHECK(interval.high == 15);
  CHECK(interval.confidence == Approx(0.9586105347).epsilon(1e-6));

  const auto one = median_interval({42});
  CHECK(one.low == 42);
  CHECK(one.confidence == 0);
}

TEST_CASE("Hodges-Lehmann: the median of pairwise differences and its Mann-Whitney interval") {
  // y - x over 1..5 and 3..7: differences -2..6, symmetric around 2. With 5 and 5 the exact interval is
  // [d(3), d(23)] with coverage 1 - 2 * 4/252.
  const auto shift = hodges_lehmann({1, 2, 3, 4, 5}, {3, 4, 5, 6, 7});
  CHECK(shift.estimate == Approx(2));
  CHECK(shift.interval.low == Approx(-1));
  CHECK(shift.interval.high == Approx(5));
  CHECK(shift.interval.confidence == Approx(1 - 8.0 / 252));

  // 2 and 2 cannot reach 95%: the interval is [min, max] of the differences at its true coverage 1 - 2/6.
  const auto few = hodges_lehmann({100, 102}, {50, 51});
  CHECK(few.interval.low == Approx(-52));
  CHECK(few.interval.high == Approx(-49));
  CHECK(few.interval.confidence == Approx(2.0 / 3));

  // Large samples use the normal approximation and still bracket the true shift.
  std::vector<double> x, y;
  for (int i = 0; i < 60; ++i) {
    x.push_back(i);
    y.push_back(i + 10);
  }
  const auto large = hodges_lehmann(x, y);
  CHECK(large.estimate == Approx(10));
  CHECK(large.interval.low < 10);
  CHECK(large.interval.high > 10);
  CHECK(large.interval.confidence > 0.94);
  CHECK_THROWS_AS(hodges_lehmann({}, {1}), std::invalid_argument);
}

TEST_CASE("how many samples a decision needs") {
  CHECK(smallest_decisive_n(0.95) == 4);  // 2 / C(8, 4) = 0.029 < 0.05; 3 and 3 give 0.1
  CHECK(samples_needed(0.5, 0.01) == 4);  // a huge effect: the exact test's floor
  const auto n = samples_needed(0.05, 0.05);  // effect equal to the spread: about 2 * 2.8^2 = 16.5
  CHECK(n >= 16);
  CHECK(n <= 18);
  CHECK(samples_needed(0, 0.05) == 0);
}

TEST_CASE("Student t quantiles match the tables (two-sided 95% and 99%)") {
  using bench::stats::student_t_quantile;
  CHECK(student_t_quantile(0.95, 1) == Approx(12.706).epsilon(1e-3));
  CHECK(student_t_quantile(0.95, 2) == Approx(4.303).epsilon(1e-3));
  CHECK(student_t_quantile(0.95, 4) == Approx(2.776).epsilon(1e-3));
  CHECK(student_t_quantile(0.95, 9) == Approx(2.262).epsilon(1e-3));
  CHECK(student_t_quantile(0.99, 5) == Approx(4.032).epsilon(1e-3));
  CHECK(student_t_quantile(0.95, 1000) == Approx(1.962).epsilon(1e-3));
  CHECK(bench::stats::student_t_coverage(2.776, 4) == Approx(0.95).epsilon(1e-3));
  CHECK_THROWS(student_t_quantile(1.0, 3));
}

TEST_CASE("paired t: the mean difference, its t interval and p-value") {
  // Differences 1..5: mean 3, sd 1.5811, se 0.7071, t(0.975, 4) = 2.776 -> [1.037, 4.963]; t = 4.243, p = 0.0132.
  const auto shift = bench::stats::paired_t({1, 2, 3, 4, 5});
  CHECK(shift.estimate == Approx(3));
  CHECK(shift.interval.low == Approx(1.0368).epsilon(1e-3));
  CHECK(shift.interval.high == Approx(4.9632).epsilon(1e-3));
  CHECK(shift.interval.confidence == Approx(0.95));
  CHECK(shift.p_value == Approx(0.0132).epsilon(0.02));
  // Differences around zero: the interval holds zero and the p-value is large.
  const auto none = bench::stats::paired_t({-0.01, 0.02, 0.0, -0.02, 0.01});
  CHECK(none.interval.low < 0);
  CHECK(none.interval.high > 0);
  CHECK(none.p_value > 0.5);
  // One pair: no interval to speak of.
  const auto one = bench::stats::paired_t({0.3});
  CHECK(one.interval.confidence == 0);
  CHECK_THROWS(bench::stats::paired_t({}));
  CHECK(bench::stats::pairs_needed(0.1, 0.1) >= 3);
  CHECK(bench::stats::pairs_needed(0.01, 0.1) > bench::stats::pairs_needed(0.1, 0.1));
}

TEST_CASE("sample variance divides by n - 1") {
  CHECK(bench::stats::sample_variance({}) == 0);
  CHECK(bench::stats::sample_variance({5}) == 0);
  CHECK(bench::stats::sample_variance({1, 2, 3, 4}) == Approx(5.0 / 3.0));
  CHECK(bench::stats::sample_variance({2, 2, 2}) == 0);
}
