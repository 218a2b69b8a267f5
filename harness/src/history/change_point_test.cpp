#include "history/change_point.h"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

namespace {

using bench::history::best_split;
using bench::history::change_points;

// `n` figures around 1000 with a normal noise of `noise` (relative), the ones from `step_at` on multiplied by
// `step`.
std::vector<double> series(std::uint64_t seed, std::size_t n, double noise, std::size_t step_at = 0, double step = 1) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0, noise);
  std::vector<double> values;
  for (std::size_t i = 0; i < n; ++i) values.push_back(1000 * (1 + normal(random)) * (i >= step_at ? step : 1));
  return values;
}

}  // namespace

TEST_CASE("the best split of a clean step is the step") {
  const std::vector<double> values = {10, 10, 10, 10, 20, 20, 20};
  const auto split = best_split(values, 0, values.size(), 2);
  REQUIRE(split.index == 4);
  REQUIRE(split.q > 0);
  // A constant series has no split worth anything.
  REQUIRE(best_split(std::vector<double>(8, 5.0), 0, 8, 2).q == 0);
}

TEST_CASE("best_split matches the energy statistic computed the long way") {
  const auto values = series(7, 12, 0.05, 7, 0.8);
  // The definition, term by term, for X = [0, tau) and Y = [tau, kappa), the largest over every pair.
  const auto q_of = [&](std::size_t tau, std::size_t kappa) {
    double cross = 0, within_x = 0, within_y = 0;
    for (std::size_t i = 0; i < tau; ++i)
      for (std::size_t j = tau; j < kappa; ++j) cross += std::abs(values[i] - values[j]);
    for (std::size_t i = 0; i < tau; ++i)
      for (std::size_t k = i + 1; k < tau; ++k) within_x += std::abs(values[i] - values[k]);
    for (std::size_t j = tau; j < kappa; ++j)
      for (std::size_t k = j + 1; k < kappa; ++k) within_y += std::abs(values[j] - values[k]);
    const double a = static_cast<double>(tau), b = static_cast<double>(kappa - tau);
    const double energy = 2 * cross / (a * b) - within_x / (a * (a - 1) / 2) - within_y / (b * (b - 1) / 2);
    return a * b / (a + b) * energy;
  };
  double best_q = 0;
  std::size_t best_tau = 0;
  for (std::size_t tau = 2; tau + 2 <= values.size(); ++tau) {
    for (std::size_t kappa = tau + 2; kappa <= values.size(); ++kappa) {
      if (q_of(tau, kappa) > best_q) {
        best_q = q_of(tau, kappa);
        best_tau = tau;
      }
    }
  }
  const auto split = best_split(values, 0, values.size(), 2);
  REQUIRE(split.q == Approx(best_q));
  REQUIRE(split.index == best_tau);
  REQUIRE(split.index == 7);
}

TEST_CASE("ten runs with a 15% step at run 6 name run 6, over 100 noisy series") {
  // 2% noise, about what repeats of one cell spread on this machine.
  int named_run_6 = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const auto found = change_points(series(seed, 10, 0.02, 5, 0.85));
    if (found.size() == 1 && found[0].index == 5) {
      ++named_run_6;
      REQUIRE(found[0].change == Approx(-0.15).margin(0.05));
      REQUIRE(found[0].p_value <= 0.05);
    }
  }
  REQUIRE(named_run_6 == 100);
}

TEST_CASE("ten runs of noise only name no change, over 100 noisy series") {
  int false_alarms = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed)
    false_alarms += change_points(series(seed, 10, 0.02)).empty() ? 0 : 1;
  REQUIRE(false_alarms == 0);
  // Noisier runs (5%, a busy shared machine): about the significance level's share are false alarms.
  int noisy_alarms = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed)
    noisy_alarms += change_points(series(seed, 10, 0.05)).empty() ? 0 : 1;
  REQUIRE(noisy_alarms <= 7);  // 3 of 100 measured, under the 5% significance level
}

TEST_CASE("two steps in one series are both found, with each side's median") {
  std::vector<double> values;
  for (int i = 0; i < 8; ++i) values.push_back(100 + (i % 2));
  for (int i = 0; i < 8; ++i) values.push_back(80 + (i % 2));
  for (int i = 0; i < 8; ++i) values.push_back(120 + (i % 2));
  const auto found = change_points(values);
  REQUIRE(found.size() == 2);
  REQUIRE(found[0].index == 8);
  REQUIRE(found[1].index == 16);
  REQUIRE(found[0].before == Approx(100.5));
  REQUIRE(found[0].after == Approx(80.5));
  REQUIRE(found[1].after == Approx(120.5));
  REQUIRE(found[1].change == Approx(120.5 / 80.5 - 1));
}

TEST_CASE("a step smaller than min_change is not a change, however significant") {
  std::vector<double> values;
  for (int i = 0; i < 10; ++i) values.push_back(1000 + (i % 2));
  for (int i = 0; i < 10; ++i) values.push_back(1030 + (i % 2));  // +3%, perfectly clean
  REQUIRE(change_points(values).empty());
  bench::history::ChangePointOptions options;
  options.min_change = 0.02;
  REQUIRE(change_points(values, options).size() == 1);
}

TEST_CASE("series too short for two segments have no change") {
  REQUIRE(change_points({}).empty());
  REQUIRE(change_points({1, 2, 3}).empty());
}

TEST_CASE("the answer does not change from one call to the next") {
  const auto values = series(3, 30, 0.03, 12, 0.9);
  const auto first = change_points(values), second = change_points(values);
  REQUIRE(first.size() == second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    REQUIRE(first[i].index == second[i].index);
    REQUIRE(first[i].p_value == second[i].p_value);
  }
}
