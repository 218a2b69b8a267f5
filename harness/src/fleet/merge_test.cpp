#include "fleet/merge.h"

#include "stats/histogram.h"

#include <catch2/catch.hpp>

using namespace bench::fleet;

namespace {

bench::load::Result rank_result(int connections, uint64_t requests, int64_t latency_base) {
  bench::load::Result result;
  result.options.connections = connections;
  result.options.threads = 1;
  result.requests = requests;
  result.drained_requests = 2;
  result.bytes_read = requests * 100;
  result.errors.timeout = 1;
  result.status_codes[200] = requests;
  result.elapsed = std::chrono::seconds(2);
  result.client_cpu_seconds = 0.5;
  for (uint64_t i = 0; i < requests; ++i) result.latency.record(latency_base + static_cast<int64_t>(i % 1000));
  result.latency_uncorrected = result.latency;
  result.thread_rps.record(static_cast<int64_t>(requests / 2));
  return result;
}

}  // namespace

TEST_CASE("rank reports merge into the fleet's counters and histograms") {
  const auto a = rank_result(5, 4000, 100);
  const auto b = rank_result(5, 4000, 5000);
  bench::load::Options total;
  total.connections = 10;
  std::vector<RankSummary> ranks;
  // Gathered in any order; the table is in rank order.
  const auto merged = merge_reports(total, {rank_report(1, "b", b, ""), rank_report(0, "a", a, "")}, ranks);
  CHECK(merged.requests == 8000);
  CHECK(merged.drained_requests == 4);
  CHECK(merged.bytes_read == 800000);
  CHECK(merged.errors.timeout == 2);
  CHECK(merged.status_codes.at(200) == 8000);
  CHECK(merged.elapsed == std::chrono::seconds(2));
  CHECK(merged.options.threads == 2);
  CHECK(merged.options.connections == 10);
  CHECK(merged.client_cpu_seconds == Approx(1.0));
  bench::stats::Histogram expected = a.latency;
  expected.merge(b.latency);
  CHECK(merged.latency.count() == expected.count());
  for (const double p : {50.0, 90.0, 99.0, 99.9})
    CHECK(merged.latency.value_at_percentile(p) == expected.value_at_percentile(p));
  CHECK(merged.latency.mean() == Approx(expected.mean()));
  REQUIRE(ranks.size() == 2);
  CHECK(ranks[0].rank == 0);
  CHECK(ranks[0].host == "a");
  CHECK(ranks[1].requests == 4000);
  CHECK(ranks[1].requests_per_sec == Approx(2000));
  CHECK(rank_warnings(ranks).empty());
  CHECK_THAT(format_ranks(ranks), Catch::Contains("Fleet: 2 ranks"));
}

TEST_CASE("the fleet's connections are up when every rank's are, after the slowest rank's ramp") {
  auto a = rank_result(5, 100, 100);
  auto b = rank_result(5, 100, 100);
  a.connected = 5;
  a.connected_after = std::chrono::milliseconds(300);
  b.connected = 5;
  b.connected_after = std::chrono::milliseconds(700);
  bench::load::Options total;
  total.connections = 10;
  std::vector<RankSummary> ranks;
  auto merged = merge_reports(total, {rank_report(0, "a", a, ""), rank_report(1, "b", b, "")}, ranks);
  CHECK(merged.connected == 10);
  REQUIRE(merged.connected_after.has_value());
  CHECK(*merged.connected_after == std::chrono::milliseconds(700));
  b.connected = 4;
  b.connected_after.reset();
  merged = merge_reports(total, {rank_report(0, "a", a, ""), rank_report(1, "b", b, "")}, ranks);
  CHECK(merged.connected == 9);
  CHECK_FALSE(merged.connected_after.has_value());
}

TEST_CASE("a failed or imbalanced rank is visible") {
  const auto good = rank_result(5, 4000, 100);
  const auto slow = rank_result(5, 1000, 100);
  bench::load::Options total;
  total.connections = 15;
  std::vector<RankSummary> ranks;
  const auto merged = merge_reports(
      total, {rank_report(0, "a", good, ""), rank_report(1, "b", slow, ""), rank_report(2, "c", {}, "epoll: boom")},
      ranks);
  CHECK(merged.requests == 5000);
  const auto warnings = rank_warnings(ranks);
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0] == "rank 2 (c) failed: epoll: boom");
  CHECK_THAT(warnings[1], Catch::Contains("rank 0 (a) made 160%"));
  CHECK_THAT(warnings[2], Catch::Contains("rank 1 (b) made 40%"));
  const auto json = ranks_to_json(ranks);
  CHECK(json["ranks"] == 3);
  CHECK(json["per_rank"][2]["failure"] == "epoll: boom");
  CHECK(json["per_rank"][2]["latency_histogram_us"].is_null());
  CHECK_THAT(format_ranks(ranks), Catch::Contains("FAILED"));
}

TEST_CASE("a report that is not a rank's is refused") {
  std::vector<RankSummary> ranks;
  CHECK_THROWS_WITH(merge_reports({}, {"{\"rank\": 0}"}, ranks), Catch::Contains("cannot be read"));
  CHECK_THROWS_WITH(merge_reports({}, {"not json"}, ranks), Catch::Contains("cannot be read"));
}

TEST_CASE("a hostile rank report is refused within bounds") {
  std::vector<RankSummary> ranks;
  CHECK_THROWS_WITH(merge_reports({}, {std::string(100, '[') + std::string(100, ']')}, ranks),
                    Catch::Contains("nested more than 16 levels deep"));
  std::string wide = "{";
  for (int i = 0; i < 1001; ++i) wide += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  CHECK_THROWS_WITH(merge_reports({}, {wide + "}"}, ranks), Catch::Contains("more than 1000 keys"));
  // A counter of the wrong type is named by its path.
  auto report = nlohmann::json::parse(rank_report(0, "a", rank_result(5, 10, 100), ""));
  report["result"]["requests"] = "many";
  CHECK_THROWS_WITH(merge_reports({}, {report.dump()}, ranks),
                    Catch::Contains("result.requests: expected a non-negative integer, found string"));
}
