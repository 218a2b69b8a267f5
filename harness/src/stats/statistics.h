#pragma once
// The few statistics a benchmark report needs, hand-written because no Debian C++ package offers them in a
// small form: the median, a distribution-free confidence interval for it, the Mann-Whitney U test, and the
// Hodges-Lehmann shift with its Mann-Whitney confidence interval, which compare's verdicts rest on.

#include <cstddef>
#include <vector>

namespace bench::stats {

// The median (mean of the middle two for an even count). Throws std::invalid_argument when empty.
double median(std::vector<double> values);

// A confidence interval and the coverage it really has: with few samples the order statistics cannot reach
// the coverage asked for, and then the interval is [min, max] with its (lower) true coverage.
struct Interval {
  double low = 0, high = 0;
  double confidence = 0;  // 0..1; 0 for a single sample
};

// The order-statistic (binomial) interval for the median: [x(k), x(n+1-k)] with the largest k whose two-sided
// coverage is at least `confidence`. Throws std::invalid_argument when empty.
Interval median_interval(std::vector<double> values, double confidence = 0.95);

// The two-sided Mann-Whitney U test.
struct MannWhitney {
  double u = 0;        // U of the first sample: its rank sum minus n1(n1+1)/2 (scipy's convention)
  double p_value = 1;  // two-sided
  bool exact = false;  // true: exact distribution; false: normal approximation with tie and continuity correction
};

// How the p-value is found. automatic: exact when there are no ties and both samples have at most kExactLimit
// values, otherwise the normal approximation with the tie correction and a continuity correction (scipy's
// "asymptotic" method). asymptotic forces the approximation (tests compare it with scipy's documented value).
enum class Method { automatic, asymptotic };

// Throws std::invalid_argument when either sample is empty.
MannWhitney mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y,
                           Method method = Method::automatic);
inline constexpr std::size_t kExactLimit = 50;

// The smallest two-sided p-value the exact test can give for these sample sizes: 2 / C(n1+n2, n1). With 3
// repeats a side it is 0.1, so no difference can ever be significant at 0.05; reports say so.
double smallest_p_value(std::size_t n1, std::size_t n2);

// The Hodges-Lehmann estimate of the shift from x to y (the median of the m*n differences y_j - x_i) and its
// distribution-free confidence interval [d(k), d(mn+1-k)], k from the exact Mann-Whitney distribution (normal
// approximation beyond kExactLimit). With few samples the interval cannot reach the coverage asked for: it is then
// [min, max] of the differences and `interval.confidence` says its true, lower, coverage (0.667 with 2 and 2).
struct Shift {
  double estimate = 0;
  Interval interval;
};
// Throws std::invalid_argument when either sample is empty.
Shift hodges_lehmann(const std::vector<double>& x, const std::vector<double>& y, double confidence = 0.95);

// The sample variance (divided by n - 1) of the values; 0 with fewer than 2.
double sample_variance(const std::vector<double>& values);

// The smallest equal number of samples per side whose Hodges-Lehmann interval reaches `confidence` (4 for 0.95).
std::size_t smallest_decisive_n(double confidence = 0.95);

// Samples per side that would make a shift of `effect` decidable when each sample scatters with standard deviation
// `spread` (same units): the normal-theory size for a two-sided test at 1 - confidence with 80% power, never fewer
// than smallest_decisive_n. Returns 0 when effect is 0 (no size decides a shift that is not there).
std::size_t samples_needed(double effect, double spread, double confidence = 0.95);

// Paired samples (`bench compare --between`: repeat r of two revisions measured side by side): the mean of the
// differences d_i = y_i - x_i with its Student t interval (n - 1 degrees of freedom) and the two-sided p-value of
// the paired t test. Pairing removes what both members of a pair share (the machine's drift between repeats), so
// it decides with fewer repeats than the rank interval above; it assumes the differences scatter roughly normally
// (on log values: ratios), which docs/ci.md checks against measurement. With one pair the interval is [d, d] and
// its confidence 0. Throws std::invalid_argument when empty.
struct PairedShift {
  double estimate = 0;  // the mean difference
  Interval interval;    // confidence as asked for, 0 with fewer than 2 pairs
  double p_value = 1;   // two-sided; 1 with fewer than 2 pairs or differences that do not vary
};
PairedShift paired_t(const std::vector<double>& differences, double confidence = 0.95);

// Student's t distribution: P(|T| <= t) with `df` degrees of freedom (df >= 1), and its inverse: the t with
// P(|T| <= t) = coverage. Exact for integer degrees of freedom (the closed forms of Abramowitz & Stegun 26.7.3/4).
double student_t_coverage(double t, int df);
double student_t_quantile(double coverage, int df);

// Pairs needed to decide a mean difference of `effect` when differences scatter with standard deviation `spread`:
// n = ((z_{1-a/2} + z_0.8) spread / effect)^2 (80% power), at least 3. 0 when effect is 0.
std::size_t pairs_needed(double effect, double spread, double confidence = 0.95);

}  // namespace bench::stats
