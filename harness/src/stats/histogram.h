#pragma once
// A log-bucketed, mergeable histogram of non-negative integer values (latencies in microseconds, rates), after
// HdrHistogram: values 0 .. kHighest are kept to 3 significant digits in fixed memory with O(1), allocation-free
// recording. Hand-written because Debian packages no C or C++ HdrHistogram.
//
// Memory is fixed (one ~220 KB vector allocated at construction, on the heap so Results can live on the stack).
// Layout: bucket 0 holds 0..2047 exactly (2048 sub-buckets); every further bucket b doubles the range and halves the
// resolution, covering [1024 << b, 2048 << b) in 1024 steps of (1 << b). A value's relative error is at most 1/1024.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <utility>
#include <vector>

namespace bench::stats {

class Histogram {
 public:
  // The largest value tracked exactly to 3 digits: 2^36 - 1 us, about 19 hours. Larger values are clamped to it.
  static constexpr int64_t kHighest = (int64_t{1} << 36) - 1;

  // Adds one value (negative values are recorded as 0, values above kHighest as kHighest).
  void record(int64_t value) { record_n(value, 1); }
  // Adds n occurrences of one value.
  void record_n(int64_t value, uint64_t n);
  // Adds every value recorded in other (same layout, so bucket-wise addition is exact).
  void merge(const Histogram& other);
  // Forgets everything.
  void reset();

  uint64_t count() const { return count_; }
  // Smallest and largest recorded values (exact); 0 when empty.
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return count_ ? max_ : 0; }
  // Exact mean and population standard deviation of the recorded values (sums kept beside the buckets); 0 when empty.
  double mean() const;
  double stdev() const;
  // The value below or at which p percent of the values fall (p in 0..100), to 3 significant digits, never above
  // max() nor below min(). 0 when empty.
  int64_t value_at_percentile(double p) const;
  // Fraction (0..1) of values within [lo, hi]: wrk's "+/- Stdev" column is fraction_within(mean - sd, mean + sd).
  double fraction_within(double lo, double hi) const;
  // (percentile, value) points for a log-scale percentile chart: 0, 50, 75, 90, 99, 99.9, ... while the count
  // resolves them, then 100. Empty when the histogram is.
  std::vector<std::pair<double, int64_t>> percentile_curve() const;

  // Bucket-level access for serialisation: calls f(representative value, count) for every non-empty bucket slot.
  template <typename F>
  void for_each_bucket(F&& f) const {
    for (size_t i = 0; i < counts_.size(); ++i)
      if (counts_[i] != 0) f(value_at_index(i), counts_[i]);
  }
  // Overrides the exact side figures after a round trip through buckets (JSON).
  void restore_exact(int64_t min, int64_t max, double sum, double sum_squares);

  double sum() const { return sum_; }
  double sum_squares() const { return sum_squares_; }

 private:
  static constexpr int kSubBucketHalfMagnitude = 10;                     // 1024 sub-buckets per half bucket
  static constexpr int64_t kSubBucketCount = int64_t{1} << (kSubBucketHalfMagnitude + 1);  // 2048
  static constexpr int64_t kSubBucketHalfCount = kSubBucketCount / 2;
  static constexpr int kBucketCount = 36 - kSubBucketHalfMagnitude;     // covers up to 2^36
  static constexpr size_t kCountsLength = static_cast<size_t>((kBucketCount + 1) * kSubBucketHalfCount);

  static size_t index_of(int64_t value);
  static int64_t value_at_index(size_t index);
  // Highest value that maps to the same slot as value (HdrHistogram's highestEquivalentValue).
  static int64_t highest_equivalent(int64_t value);
  // Middle of the slot, used for fraction_within.
  static int64_t median_equivalent(int64_t value);

  std::vector<uint64_t> counts_ = std::vector<uint64_t>(kCountsLength);  // allocated once, ~220 KB
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double sum_ = 0;
  double sum_squares_ = 0;
};

// Compact JSON: {"count", "min", "max", "sum", "sum_squares", "buckets": [[value, count], ...]} with only non-empty
// buckets, so a latency histogram is a few hundred entries, not 27,000.
nlohmann::json to_json(const Histogram& histogram);
// The inverse of to_json; throws nlohmann::json::exception on malformed input.
Histogram histogram_from_json(const nlohmann::json& json);

}  // namespace bench::stats
