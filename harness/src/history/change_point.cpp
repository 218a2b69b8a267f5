// E-Divisive means with a permutation test and binary segmentation (change_point.h).
#include "history/change_point.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "stats/statistics.h"

namespace bench::history {

Split best_split(const std::vector<double>& values, std::size_t begin, std::size_t end, std::size_t min_segment) {
  const std::size_t m = end - begin;
  Split best;
  if (min_segment == 0) min_segment = 1;
  if (m < 2 * min_segment) return best;
  // column[k][t] = sum of |z_i - z_k| over i < t (t <= k). With it, growing Y = [tau, kappa) by one point updates
  // the cross sum and Y's inner sum in O(1), so all (tau, kappa) pairs cost O(m^2) rather than O(m^4).
  std::vector<std::vector<double>> column(m);
  for (std::size_t k = 0; k < m; ++k) {
    column[k].assign(k + 1, 0.0);
    for (std::size_t i = 0; i < k; ++i)
      column[k][i + 1] = column[k][i] + std::abs(values[begin + i] - values[begin + k]);
  }
  double within_x = 0;  // pairs inside X = [0, tau)
  for (std::size_t tau = 1; tau + min_segment <= m; ++tau) {
    within_x += column[tau - 1][tau - 1];
    if (tau < min_segment) continue;
    const double a = static_cast<double>(tau);
    const double mean_within_x = tau > 1 ? within_x / (a * (a - 1) / 2) : 0.0;
    double cross = 0, within_y = 0;  // X-Y pairs and pairs inside Y = [tau, kappa)
    for (std::size_t kappa = tau + 1; kappa <= m; ++kappa) {
      const std::size_t k = kappa - 1;  // the point joining Y
      cross += column[k][tau];
      within_y += column[k][k] - column[k][tau];
      if (kappa - tau < min_segment) continue;
      const double b = static_cast<double>(kappa - tau);
      const double mean_within_y = kappa - tau > 1 ? within_y / (b * (b - 1) / 2) : 0.0;
      const double energy = 2 * cross / (a * b) - mean_within_x - mean_within_y;
      const double q = a * b / (a + b) * energy;
      if (q > best.q) best = {begin + tau, q};
    }
  }
  return best;
}

namespace {

double median_of(const std::vector<double>& values, std::size_t begin, std::size_t end) {
  return stats::median(std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(begin),
                                           values.begin() + static_cast<std::ptrdiff_t>(end)));
}

double relative_change(double before, double after) { return before != 0 ? after / before - 1 : 0.0; }

struct Search {
  const std::vector<double>& values;
  const ChangePointOptions& options;
  std::mt19937_64 random;
  std::vector<ChangePoint> found;

  // The share of shuffles of values[begin, end) whose best split reaches q, counting the series itself.
  double p_value(std::size_t begin, std::size_t end, double q) {
    std::vector<double> shuffled(values.begin() + static_cast<std::ptrdiff_t>(begin),
                                 values.begin() + static_cast<std::ptrdiff_t>(end));
    // Long segments get fewer shuffles (m^2 work each), never under 99; the count is stopped early once the
    // p-value cannot come under the significance level any more, the usual case on a steady series.
    const double m = static_cast<double>(shuffled.size());
    const std::size_t shuffles = std::clamp<std::size_t>(static_cast<std::size_t>(4e7 / (m * m)), 99,
                                                         std::max<std::size_t>(options.permutations, 99));
    const double give_up = options.significance * static_cast<double>(shuffles + 1);
    std::size_t reached = 0;
    for (std::size_t r = 0; r < shuffles; ++r) {
      std::shuffle(shuffled.begin(), shuffled.end(), random);
      if (best_split(shuffled, 0, shuffled.size(), options.min_segment).q >= q * (1 - 1e-12)) ++reached;
      if (static_cast<double>(reached + 1) > give_up) return 1.0;
    }
    return static_cast<double>(reached + 1) / static_cast<double>(shuffles + 1);
  }

  void segment(std::size_t begin, std::size_t end) {
    const Split split = best_split(values, begin, end, options.min_segment);
    if (split.q <= 0) return;  // too short, or constant
    const double change = relative_change(median_of(values, begin, split.index), median_of(values, split.index, end));
    if (std::abs(change) < options.min_change) return;
    const double p = p_value(begin, end, split.q);
    if (p > options.significance) return;
    found.push_back({split.index, 0, 0, 0, p});
    segment(begin, split.index);
    segment(split.index, end);
  }
};

}  // namespace

std::vector<ChangePoint> change_points(const std::vector<double>& values, const ChangePointOptions& options) {
  Search search{values, options, std::mt19937_64(options.seed), {}};
  search.segment(0, values.size());
  auto found = std::move(search.found);
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.index < y.index; });
  // Each change's sides are its final segments: from the previous change (or the start) to the next (or the end).
  for (std::size_t k = 0; k < found.size(); ++k) {
    const std::size_t from = k == 0 ? 0 : found[k - 1].index;
    const std::size_t to = k + 1 < found.size() ? found[k + 1].index : values.size();
    found[k].before = median_of(values, from, found[k].index);
    found[k].after = median_of(values, found[k].index, to);
    found[k].change = relative_change(found[k].before, found[k].after);
  }
  return found;
}

}  // namespace bench::history
