#include "stats/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace bench::stats {

namespace {

// Bucket of a (clamped, non-negative) value: 0 for 0..2047, then one more per doubling.
int bucket_of(int64_t value, int half_magnitude, int64_t sub_bucket_mask) {
  const auto bits = static_cast<uint64_t>(value | sub_bucket_mask);
  return 63 - std::countl_zero(bits) - half_magnitude;
}

int64_t clamp_value(int64_t value) { return std::clamp<int64_t>(value, 0, Histogram::kHighest); }

}  // namespace

size_t Histogram::index_of(int64_t value) {
  const int bucket = bucket_of(value, kSubBucketHalfMagnitude, kSubBucketCount - 1);
  const int64_t sub_bucket = value >> bucket;
  return static_cast<size_t>(((int64_t{bucket} + 1) << kSubBucketHalfMagnitude) + (sub_bucket - kSubBucketHalfCount));
}

int64_t Histogram::value_at_index(size_t index) {
  int bucket = static_cast<int>(index >> kSubBucketHalfMagnitude) - 1;
  int64_t sub_bucket = static_cast<int64_t>(index & static_cast<size_t>(kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
  if (bucket < 0) {
    sub_bucket -= kSubBucketHalfCount;
    bucket = 0;
  }
  return sub_bucket << bucket;
}

int64_t Histogram::highest_equivalent(int64_t value) {
  const int bucket = bucket_of(value, kSubBucketHalfMagnitude, kSubBucketCount - 1);
  const int64_t lowest = (value >> bucket) << bucket;
  return lowest + (int64_t{1} << bucket) - 1;
}

int64_t Histogram::median_equivalent(int64_t value) {
  const int bucket = bucket_of(value, kSubBucketHalfMagnitude, kSubBucketCount - 1);
  const int64_t lowest = (value >> bucket) << bucket;
  return lowest + ((int64_t{1} << bucket) >> 1);
}

void Histogram::record_n(int64_t value, uint64_t n) {
  if (n == 0) return;
  value = clamp_value(value);
  counts_[index_of(value)] += n;
  if (count_ == 0 || value < min_) min_ = value;
  if (count_ == 0 || value > max_) max_ = value;
  count_ += n;
  const auto v = static_cast<double>(value);
  const auto times = static_cast<double>(n);
  sum_ += v * times;
  sum_squares_ += v * v * times;
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = count_ ? std::max(max_, other.max_) : other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = 0;
  sum_ = sum_squares_ = 0;
}

void Histogram::restore_exact(int64_t min, int64_t max, double sum, double sum_squares) {
  min_ = min;
  max_ = max;
  sum_ = sum;
  sum_squares_ = sum_squares;
}

double Histogram::mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }

double Histogram::stdev() const {
  if (count_ == 0) return 0.0;
  const double m = mean();
  const double variance = sum_squares_ / static_cast<double>(count_) - m * m;
  return variance > 0 ? std::sqrt(variance) : 0.0;
}

int64_t Histogram::value_at_percentile(double p) const {
  if (count_ == 0) return 0;
  if (p <= 0) return min_;
  const double wanted = std::ceil(std::min(p, 100.0) / 100.0 * static_cast<double>(count_));
  const uint64_t target = std::clamp<uint64_t>(static_cast<uint64_t>(wanted), 1, count_);
  uint64_t running = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    running += counts_[i];
    if (running >= target) return std::clamp(highest_equivalent(value_at_index(i)), min_, max_);
  }
  return max_;
}

double Histogram::fraction_within(double lo, double hi) const {
  if (count_ == 0) return 0.0;
  uint64_t within = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const auto v = static_cast<double>(median_equivalent(value_at_index(i)));
    if (v >= lo && v <= hi) within += counts_[i];
  }
  return static_cast<double>(within) / static_cast<double>(count_);
}

std::vector<std::pair<double, int64_t>> Histogram::percentile_curve() const {
  std::vector<std::pair<double, int64_t>> curve;
  if (count_ == 0) return curve;
  for (const double p : {0.0, 50.0, 75.0, 90.0, 99.0}) curve.emplace_back(p, value_at_percentile(p));
  // 99.9, 99.99, ... for as long as at least one value lies above the percentile.
  for (double tail = 0.1; tail / 100.0 * static_cast<double>(count_) >= 1.0 && tail > 1e-9; tail /= 10.0) {
    const double p = 100.0 - tail;
    curve.emplace_back(p, value_at_percentile(p));
  }
  curve.emplace_back(100.0, max_);
  return curve;
}

nlohmann::json to_json(const Histogram& histogram) {
  nlohmann::json buckets = nlohmann::json::array();
  histogram.for_each_bucket([&](int64_t value, uint64_t count) { buckets.push_back({value, count}); });
  return {{"count", histogram.count()},     {"min", histogram.min()},
          {"max", histogram.max()},         {"sum", histogram.sum()},
          {"sum_squares", histogram.sum_squares()}, {"buckets", std::move(buckets)}};
}

Histogram histogram_from_json(const nlohmann::json& json) {
  Histogram histogram;
  for (const auto& bucket : json.at("buckets")) {
    histogram.record_n(bucket.at(0).get<int64_t>(), bucket.at(1).get<uint64_t>());
  }
  if (histogram.count() != json.at("count").get<uint64_t>()) {
    throw nlohmann::json::other_error::create(501, "histogram: bucket counts do not add up to \"count\"", &json);
  }
  if (histogram.count() > 0) {
    histogram.restore_exact(json.at("min").get<int64_t>(), json.at("max").get<int64_t>(),
                            json.at("sum").get<double>(), json.at("sum_squares").get<double>());
  }
  return histogram;
}

}  // namespace bench::stats
