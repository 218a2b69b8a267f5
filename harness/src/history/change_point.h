#pragma once
// Change points in a series of benchmark figures, one per run (bench history). The method is E-Divisive means
// (Matteson and James, "A Nonparametric Approach for Multiple Change Point Analysis of Multivariate Data", 2014),
// the one Apache Otava (formerly Hunter, MongoDB's tool for nightly performance series) starts from:
//   - for every split of a segment into a before part X and an after part Y, the energy statistic
//     Q = |X||Y|/(|X|+|Y|) * (2 E|x - y| - E|x - x'| - E|y - y'|) measures how far apart the two parts lie;
//   - the split with the largest Q is the candidate;
//   - its significance is a permutation test: the segment shuffled `permutations` times, the p-value the share of
//     shuffles whose best Q reaches the candidate's;
//   - a significant split is kept when the after part's median differs from the before part's by at least
//     `min_change` (a benchmark cares about a step of a size, not about any detectable one), and both parts are
//     searched again (binary segmentation), until no split is kept.
// Written by hand: no Debian C++ package offers change-point detection. The shuffles come from a fixed seed, so a
// series always gives the same answer.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench::history {

struct ChangePointOptions {
  double significance = 0.05;      // keep a split whose p-value is at most this
  double min_change = 0.05;        // and whose relative change of medians is at least this (0.05: 5%)
  std::size_t min_segment = 2;     // points on each side of a split
  std::size_t permutations = 999;  // shuffles per test (p-values down to 1/1000)
  std::uint64_t seed = 20141211;   // the shuffles' seed
};

struct ChangePoint {
  std::size_t index = 0;  // the first point after the change
  double before = 0;      // median of the segment before it (back to the previous change or the start)
  double after = 0;       // median of the segment after it (up to the next change or the end)
  double change = 0;      // after / before - 1
  double p_value = 1;     // of the permutation test that found it
};

// The change points of `values`, in index order. Fewer than 2 * min_segment values: none.
std::vector<ChangePoint> change_points(const std::vector<double>& values, const ChangePointOptions& options = {});

// The best split of values[begin, end) and its statistic Q, by the definition above (exposed for tests).
struct Split {
  std::size_t index = 0;
  double q = 0;
};
Split best_split(const std::vector<double>& values, std::size_t begin, std::size_t end, std::size_t min_segment);

}  // namespace bench::history
