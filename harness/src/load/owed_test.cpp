// Owed requests counted arithmetically (owed.h) against the one-at-a-time loop they replace.
#include "load/owed.h"
#include "load/process.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <random>

using namespace std::chrono_literals;
using bench::load::record_owed_latencies;
using bench::load::sends_owed;
using bench::load::thread_cpu_seconds;
using bench::stats::Histogram;
using Clock = std::chrono::steady_clock;

namespace {

// What the worker did before issue 25: one record per owed send.
void one_at_a_time(Histogram& histogram, Clock::time_point intended, Clock::duration interval, Clock::time_point end,
                   uint64_t weight) {
  for (auto at = intended; at < end; at += interval)
    for (uint64_t i = 0; i < weight; ++i)
      histogram.record(std::chrono::duration_cast<std::chrono::microseconds>(end - at).count());
}

}  // namespace

TEST_CASE("sends_owed counts the sends due from the intended time until the end", "[owed]") {
  const Clock::time_point end = Clock::time_point{} + 10s;
  CHECK(sends_owed(end, 1ms, end) == 0);
  CHECK(sends_owed(end + 1ns, 1ms, end) == 0);
  CHECK(sends_owed(end - 1ns, 1ms, end) == 1);
  CHECK(sends_owed(end - 1ms, 1ms, end) == 1);
  CHECK(sends_owed(end - 1ms - 1ns, 1ms, end) == 2);
  CHECK(sends_owed(end - 10s, 10ns, end) == 1'000'000'000);
}

TEST_CASE("owed latencies recorded by slot equal those recorded one at a time", "[owed]") {
  std::mt19937_64 random(25);
  const Clock::time_point end = Clock::time_point{} + 100s;
  for (int round = 0; round < 200; ++round) {
    // Intervals from 10 ns to 50 ms; spans from under one interval to 3 s, kept to at most ~300k sends.
    const auto interval = Clock::duration(std::uniform_int_distribution<int64_t>(10, 50'000'000)(random));
    const auto span_ns = std::uniform_int_distribution<int64_t>(1, 3'000'000'000)(random);
    const auto span = Clock::duration(std::min<int64_t>(span_ns, interval.count() * 300'000));
    const uint64_t weight = std::uniform_int_distribution<uint64_t>(1, 3)(random);
    const auto intended = end - span;
    INFO("interval " << interval.count() << "ns, span " << span.count() << "ns, weight " << weight);
    Histogram expected, got;
    one_at_a_time(expected, intended, interval, end, weight);
    const uint64_t sends = sends_owed(intended, interval, end);
    record_owed_latencies(got, end - intended, interval, sends, weight);
    REQUIRE(got.count() == expected.count());
    CHECK(got.min() == expected.min());
    CHECK(got.max() == expected.max());
    for (const double p : {0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 100.0})
      CHECK(got.value_at_percentile(p) == expected.value_at_percentile(p));
    CHECK(got.mean() == Approx(expected.mean()).epsilon(1.0 / 1024));
  }
}

TEST_CASE("a billion owed sends are recorded at once, not one by one", "[owed]") {
  // -R 1e8 on one connection owes a send every 10 ns: 10 s of it is 1e9 sends (issue 25 spun on these for minutes).
  Histogram histogram;
  const double cpu_before = thread_cpu_seconds();  // CPU, not wall time: the machine may be busy with other work
  record_owed_latencies(histogram, 10s, 10ns, sends_owed(Clock::time_point{}, 10ns, Clock::time_point{} + 10s), 16);
  CHECK(thread_cpu_seconds() - cpu_before < 0.2);  // one at a time, this was minutes
  CHECK(histogram.count() == 16'000'000'000ULL);
  CHECK(histogram.max() == 10'000'000);
  CHECK(histogram.min() == 0);
  CHECK(histogram.value_at_percentile(50) == Approx(5'000'000).epsilon(0.002));
}
