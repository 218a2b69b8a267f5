#include "load/result_json.h"

#include "model/bounded_json.h"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

// A result with round numbers, so every figure is known in advance.
bench::load::Result sample() {
  bench::load::Result r;
  r.options.request.url = "http://127.0.0.1:8080/json";
  r.options.request.headers = {"Accept: application/json"};
  r.options.connections = 50;
  r.options.threads = 2;
  r.options.duration = 10s;
  r.options.warmup = 1500ms;
  r.elapsed = 10s;
  r.requests = 1000;
  r.drained_requests = 7;
  r.bytes_read = 1024 * 1024;
  for (int i = 0; i < 1000; ++i) r.latency.record(1000);  // 1 ms each
  r.latency_uncorrected = r.latency;
  for (int i = 0; i < 100; ++i) r.thread_rps.record(50);
  r.status_codes = {{200, 990}, {404, 10}};
  r.non_2xx_3xx = 10;
  r.errors.connect = 3;
  r.errors.timeout = 2;
  r.client_cpu_seconds = 1.25;
  return r;
}

}  // namespace

TEST_CASE("load JSON carries the figures under results.json's keys") {
  const auto report = bench::load::result_to_json(sample());
  CHECK(report.at("requests").get<uint64_t>() == 1000);
  CHECK(report.at("duration_s").get<double>() == 10.0);
  CHECK(report.at("requests_per_sec").get<double>() == Approx(100.0));
  CHECK(report.at("transfer_bytes_per_sec").get<double>() == Approx(104857.6));
  CHECK(report.at("latency").at("p99_us").get<double>() == 1000);
  CHECK(report.at("latency").at("p999_us").get<double>() == 1000);
  CHECK(report.at("latency").at("mean_us").get<double>() == Approx(1000.0));
  CHECK(report.at("latency_uncorrected").is_null());  // closed loop, as in results.json
  CHECK(report.at("errors") == nlohmann::json::parse(R"({"connect":3,"read":0,"write":0,"timeout":2,"other":0})"));
  CHECK(report.at("status_codes").at("404").get<uint64_t>() == 10);
  CHECK(report.at("non_2xx_3xx").get<uint64_t>() == 10);
  CHECK(report.at("options").at("duration_s").get<double>() == 10.0);
  CHECK(report.at("options").at("warmup_s").get<double>() == 1.5);
  CHECK(report.at("options").at("request").at("url") == "http://127.0.0.1:8080/json");
  CHECK(report.at("exchange") == "direct");
  CHECK(report.at("warnings").empty());
  CHECK(bench::stats::histogram_from_json(report.at("latency_histogram_us")).count() == 1000);
}

TEST_CASE("load JSON warnings carry their codes") {
  auto r = sample();
  r.options.rate = 200;  // achieved 100/s
  const auto report = bench::load::result_to_json(r);
  CHECK(report.at("rate_achieved_ratio").get<double>() == Approx(0.5));
  REQUIRE(report.at("warnings").size() == 1);
  CHECK(report.at("warnings")[0].at("code") == "rate_shortfall");
  CHECK(report.at("target_rate").get<double>() == 200);
  CHECK(report.at("latency_uncorrected").at("p50_us").get<double>() == 1000);
}

TEST_CASE("a load result written and read back is the same result") {
  auto r = sample();
  r.options.rate = 120.5;
  r.owed = {4, 5};
  r.interrupted = true;
  const auto report = bench::load::result_to_json(r);
  const auto back = bench::load::result_from_json(nlohmann::json::parse(report.dump()));
  CHECK(bench::load::result_to_json(back) == report);
  CHECK(back.options.request.headers == r.options.request.headers);
  CHECK(back.options.warmup == r.options.warmup);
  CHECK(back.elapsed == r.elapsed);
  CHECK(back.errors == r.errors);
  CHECK(back.owed.total() == 9);
  CHECK(back.drained_requests == 7);
  CHECK(back.client_cpu_seconds == 1.25);
  CHECK(back.latency.count() == 1000);
  CHECK(back.thread_rps.count() == 100);
  CHECK(bench::load::figures(back) == bench::load::figures(r));
}

TEST_CASE("a hostile load report is refused with the key that is wrong") {
  auto report = bench::load::result_to_json(sample());
  report["errors"]["read"] = -4;
  CHECK_THROWS_WITH(bench::load::result_from_json(report),
                    "errors.read: expected a non-negative integer, found number");
  report = bench::load::result_to_json(sample());
  report["latency_histogram_us"]["count"] = 12;  // buckets do not add up
  CHECK_THROWS_WITH(bench::load::result_from_json(report), Contains("latency_histogram_us: not a histogram"));
  report = bench::load::result_to_json(sample());
  report["options"]["latency_correction"] = "sideways";
  CHECK_THROWS_WITH(bench::load::result_from_json(report),
                    "options.latency_correction: expected \"none\" or \"wrk\", found string");
  report["options"]["duration_s"] = 1e300;
  CHECK_THROWS_AS(bench::load::result_from_json(report), bench::model::FormatError);
  CHECK_THROWS_AS(bench::load::result_from_json(nlohmann::json::array()), bench::model::FormatError);
}
