#include "stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace bench::stats {
namespace {

void require_values(const std::vector<double>& values, const char* what) {
  if (values.empty()) throw std::invalid_argument(std::string(what) + ": no values");
}

// P(X <= k) for X ~ Binomial(n, 1/2).
double binomial_half_cdf(std::size_t n, std::size_t k) {
  double term = std::pow(0.5, static_cast<double>(n));  // P(X = 0)
  double sum = term;
  for (std::size_t i = 1; i <= k; ++i) {
    term = term * static_cast<double>(n - i + 1) / static_cast<double>(i);
    sum += term;
  }
  return sum;
}

// Ranks 1..n of the pooled values, ties given their mid-rank; also sum(t^3 - t) over tie groups.
struct Ranks {
  std::vector<double> rank;  // indexed like the pooled vector
  double tie_term = 0;
};

Ranks rank_pooled(const std::vector<double>& pooled) {
  std::vector<std::size_t> order(pooled.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pooled[a] < pooled[b]; });
  Ranks ranks;
  ranks.rank.resize(pooled.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && pooled[order[j + 1]] == pooled[order[i]]) ++j;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
    for (std::size_t k = i; k <= j; ++k) ranks.rank[order[k]] = mid;
    const double t = static_cast<double>(j - i + 1);
    ranks.tie_term += t * t * t - t;
    i = j + 1;
  }
  return ranks;
}

// Counts of U = 0..m*n over all C(m+n, m) arrangements without ties: f(i,j)[k] = f(i-1,j)[k-j] + f(i,j-1)[k].
std::vector<double> exact_u_counts(std::size_t m, std::size_t n) {
  std::vector<std::vector<double>> previous(n + 1);  // f(i-1, j) for j = 0..n
  for (std::size_t j = 0; j <= n; ++j) previous[j] = {1.0};  // f(0, j): one arrangement, U = 0
  for (std::size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> current(n + 1);
    current[0] = {1.0};
    for (std::size_t j = 1; j <= n; ++j) {
      std::vector<double> counts(i * j + 1, 0.0);
      for (std::size_t k = 0; k < previous[j].size(); ++k) counts[k + j] += previous[j][k];
      for (std::size_t k = 0; k < current[j - 1].size(); ++k) counts[k] += current[j - 1][k];
      current[j] = std::move(counts);
    }
    previous = std::move(current);
  }
  return previous[n];
}

double exact_two_sided(double u, std::size_t m, std::size_t n) {
  const auto counts = exact_u_counts(m, n);
  double total = 0;
  for (double c : counts) total += c;
  const double small = std::min(u, static_cast<double>(m * n) - u);
  double tail = 0;
  for (std::size_t k = 0; k < counts.size() && static_cast<double>(k) <= small + 1e-9; ++k) tail += counts[k];
  return std::min(1.0, 2.0 * tail / total);
}

double normal_two_sided(double u, std::size_t m, std::size_t n, double tie_term) {
  const double n1 = static_cast<double>(m), n2 = static_cast<double>(n), total = n1 + n2;
  const double mean = n1 * n2 / 2.0;
  const double variance = n1 * n2 / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)));
  if (variance <= 0) return 1.0;  // every value equal: no evidence of a difference
  const double big = std::max(u, n1 * n2 - u);
  const double z = (big - mean - 0.5) / std::sqrt(variance);
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));  // 2 * P(Z > z)
}

// P(U <= k) for sizes m, n without ties, exact.
double u_cdf(const std::vector<double>& counts, std::size_t k) {
  double total = 0, below = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    total += counts[i];
    if (i <= k) below += counts[i];
  }
  return below / total;
}

// The standard normal quantile, by bisection on erfc (a handful of calls per comparison; precision 1e-9).
double normal_quantile(double p) {
  double low = -10, high = 10;
  for (int i = 0; i < 100; ++i) {
    const double mid = (low + high) / 2;
    if (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

}  // namespace

double median(std::vector<double> values) {
  require_values(values, "median");
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

double sample_variance(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  double mean = 0;
  for (double x : values) mean += x;
  mean /= static_cast<double>(values.size());
  double sum = 0;
  for (double x : values) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(values.size() - 1);
}

Interval median_interval(std::vector<double> values, double confidence) {
  require_values(values, "median_interval");
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  if (n == 1) return {values[0], values[0], 0.0};
  const double alpha = 1.0 - confidence;
  // Largest k (1-based) with P(X <= k-1) <= alpha/2; k = 1 ([min, max]) when even that misses the target.
  std::size_t k = 1;
  while (k + 1 <= (n + 1) / 2 && binomial_half_cdf(n, k) <= alpha / 2.0) ++k;
  const double coverage = 1.0 - 2.0 * binomial_half_cdf(n, k - 1);
  return {values[k - 1], values[n - k], coverage};
}

MannWhitney mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y, Method method) {
  require_values(x, "mann_whitney_u (first sample)");
  require_values(y, "mann_whitney_u (second sample)");
  std::vector<double> pooled = x;
  pooled.insert(pooled.end(), y.begin(), y.end());
  const Ranks ranks = rank_pooled(pooled);
  double rank_sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) rank_sum += ranks.rank[i];
  const double n1 = static_cast<double>(x.size());
  MannWhitney result;
  result.u = rank_sum - n1 * (n1 + 1.0) / 2.0;
  result.exact = method == Method::automatic && ranks.tie_term == 0 && x.size() <= kExactLimit && y.size() <= kExactLimit;
  result.p_value = result.exact ? exact_two_sided(result.u, x.size(), y.size())
                                : normal_two_sided(result.u, x.size(), y.size(), ranks.tie_term);
  return result;
}

Shift hodges_lehmann(const std::vector<double>& x, const std::vector<double>& y, double confidence) {
  require_values(x, "hodges_lehmann (first sample)");
  require_values(y, "hodges_lehmann (second sample)");
  std::vector<double> differences;
  differences.reserve(x.size() * y.size());
  for (double a : x) {
    for (double b : y) differences.push_back(b - a);
  }
  std::sort(differences.begin(), differences.end());
  const std::size_t mn = differences.size();
  Shift shift;
  shift.estimate = median(differences);
  const double alpha = 1.0 - confidence;
  std::size_t k = 1;  // 1-based: the interval is [d(k), d(mn+1-k)]
  double tail = 0;    // P(U <= k-1)
  if (x.size() <= kExactLimit && y.size() <= kExactLimit) {
    const auto counts = exact_u_counts(x.size(), y.size());
    // Largest k with P(U <= k-1) <= alpha/2; k = 1 when even that misses (tail is then P(U <= 0)).
    while (k + 1 <= (mn + 1) / 2 && u_cdf(counts, k) <= alpha / 2.0) ++k;
    tail = u_cdf(counts, k - 1);
  } else {
    const double m = static_cast<double>(x.size()), n = static_cast<double>(y.size());
    const double sd = std::sqrt(m * n * (m + n + 1) / 12.0);
    const double c = std::floor(m * n / 2.0 - normal_quantile(1.0 - alpha / 2.0) * sd);
    k = static_cast<std::size_t>(std::max(1.0, c));
    tail = 0.5 * std::erfc((m * n / 2.0 - (static_cast<double>(k) - 0.5)) / sd / std::sqrt(2.0));
  }
  shift.interval = {differences[k - 1], differences[mn - k], std::max(0.0, 1.0 - 2.0 * tail)};
  return shift;
}

std::size_t smallest_decisive_n(double confidence) {
  for (std::size_t n = 1;; ++n) {
    if (smallest_p_value(n, n) <= 1.0 - confidence) return n;
  }
}

std::size_t samples_needed(double effect, double spread, double confidence) {
  const std::size_t floor = smallest_decisive_n(confidence);
  if (effect == 0) return 0;
  const double z = normal_quantile(1.0 - (1.0 - confidence) / 2.0) + normal_quantile(0.8);
  // Two samples of n, difference of means: n = 2 (z * spread / effect)^2; the rank test needs about 5% more.
  const double n = 1.05 * 2.0 * std::pow(z * spread / effect, 2);
  return std::max(floor, static_cast<std::size_t>(std::ceil(n)));
}

double smallest_p_value(std::size_t n1, std::size_t n2) {
  double combinations = 1;  // C(n1+n2, n1)
  for (std::size_t i = 1; i <= n1; ++i) combinations = combinations * static_cast<double>(n2 + i) / static_cast<double>(i);
  return std::min(1.0, 2.0 / combinations);
}

double student_t_coverage(double t, int df) {
  if (df < 1) throw std::invalid_argument("student_t_coverage: df must be at least 1");
  t = std::fabs(t);
  if (std::isinf(t)) return 1;
  const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
  const double c2 = std::cos(theta) * std::cos(theta);
  double sum = 0, term = 1;
  if (df % 2 == 1) {  // A(t|df) = 2/pi [theta + sin(theta) cos(theta) (1 + 2/3 c^2 + 2.4/3.5 c^4 + ...)]
    if (df > 1) {
      sum = 1;
      for (int k = 2; k <= df - 3; k += 2) {
        term *= c2 * k / (k + 1);
        sum += term;
      }
      sum *= std::sin(theta) * std::cos(theta);
    }
    return std::clamp(2.0 / M_PI * (theta + sum), 0.0, 1.0);
  }
  sum = 1;  // A(t|df) = sin(theta) (1 + 1/2 c^2 + 1.3/2.4 c^4 + ...)
  for (int k = 1; k <= df - 3; k += 2) {
    term *= c2 * k / (k + 1);
    sum += term;
  }
  return std::clamp(std::sin(theta) * sum, 0.0, 1.0);
}

double student_t_quantile(double coverage, int df) {
  if (!(coverage > 0 && coverage < 1)) throw std::invalid_argument("student_t_quantile: coverage must be in (0, 1)");
  double low = 0, high = 1;
  while (student_t_coverage(high, df) < coverage) high *= 2;  // df 1 at 0.95: 12.7
  for (int i = 0; i < 200 && high - low > 1e-12 * high; ++i) {
    const double mid = (low + high) / 2;
    (student_t_coverage(mid, df) < coverage ? low : high) = mid;
  }
  return (low + high) / 2;
}

PairedShift paired_t(const std::vector<double>& differences, double confidence) {
  if (differences.empty()) throw std::invalid_argument("paired_t: no pairs");
  const auto n = differences.size();
  double mean = 0;
  for (double d : differences) mean += d;
  mean /= static_cast<double>(n);
  PairedShift out;
  out.estimate = mean;
  out.interval = {mean, mean, 0};
  if (n < 2) return out;
  const double standard_error = std::sqrt(sample_variance(differences) / static_cast<double>(n));
  const int df = static_cast<int>(n - 1);
  const double t = student_t_quantile(confidence, df);
  out.interval = {mean - t * standard_error, mean + t * standard_error, confidence};
  if (standard_error > 0) out.p_value = 1.0 - student_t_coverage(mean / standard_error, df);
  else out.p_value = mean == 0 ? 1.0 : 0.0;
  return out;
}

std::size_t pairs_needed(double effect, double spread, double confidence) {
  if (effect == 0) return 0;
  const double z = normal_quantile(1.0 - (1.0 - confidence) / 2.0) + normal_quantile(0.8);
  const double n = std::pow(z * spread / effect, 2);
  return std::max<std::size_t>(3, static_cast<std::size_t>(std::ceil(n)));
}

}  // namespace bench::stats
