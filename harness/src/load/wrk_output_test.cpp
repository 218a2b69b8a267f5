#include "load/result_json.h"
#include "load/wrk_output.h"

#include <catch2/catch.hpp>

namespace {

using namespace std::chrono_literals;

// A result with round numbers, so every figure of the layout is known in advance.
bench::load::Result sample() {
  bench::load::Result r;
  r.options.request.url = "http://127.0.0.1:8080/json";
  r.options.connections = 50;
  r.options.threads = 2;
  r.options.duration = 10s;
  r.elapsed = 10s;
  r.requests = 1000;
  r.bytes_read = 1024 * 1024;
  for (int i = 0; i < 1000; ++i) r.latency.record(1000);  // 1 ms each
  r.latency_uncorrected = r.latency;
  for (int i = 0; i < 100; ++i) r.thread_rps.record(50);
  r.status_codes = {{200, 990}, {404, 10}};
  r.non_2xx_3xx = 10;
  r.errors.connect = 3;
  r.errors.timeout = 2;
  return r;
}

}  // namespace

TEST_CASE("format_wrk reproduces wrk's lines exactly") {
  const auto text = bench::load::format_wrk(sample(), true);
  const std::string expected_start =
      "Running 10s test @ http://127.0.0.1:8080/json\n"
      "  2 threads and 50 connections\n"
      "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
      "    Latency     1.00ms    0.00us   1.00ms  100.00%\n"
      "    Req/Sec    50.00      0.00    50.00    100.00%\n"
      "  Latency Distribution\n"
      "     50%    1.00ms\n"
      "     75%    1.00ms\n"
      "     90%    1.00ms\n"
      "     99%    1.00ms\n"
      "  1000 requests in 10.00s, 1.00MB read\n"
      "  Socket errors: connect 3, read 0, write 0, timeout 2\n"
      "  Non-2xx or 3xx responses: 10\n"
      "Requests/sec:    100.00\n"
      "Transfer/sec:    102.40KB\n";
  REQUIRE(text.substr(0, expected_start.size()) == expected_start);
  CHECK(text.find("  Status codes: 200 990, 404 10\n") != std::string::npos);
  CHECK(text.find("  Connections: 0 of 50 up\n") != std::string::npos);
  auto all_up = sample();
  all_up.connected = 50;
  all_up.connected_after = 1250ms;
  CHECK(bench::load::format_wrk(all_up, true).find("  Connections: 50 of 50 up after 1.25s\n") != std::string::npos);
  const auto json = bench::load::result_to_json(all_up);
  CHECK(json.at("connected") == 50);
  CHECK(json.at("connected_after_s") == 1.25);
  CHECK(bench::load::result_to_json(sample()).at("connected_after_s").is_null());
  CHECK(text.find("   99.9%    1.00ms\n") != std::string::npos);
  CHECK(text.find("  99.99%    1.00ms\n") != std::string::npos);
}

TEST_CASE("without --latency there is no distribution, and clean runs have no error lines") {
  auto r = sample();
  r.errors = {};
  r.non_2xx_3xx = 0;
  const auto text = bench::load::format_wrk(r, false);
  CHECK(text.find("Latency Distribution") == std::string::npos);
  CHECK(text.find("Socket errors") == std::string::npos);
  CHECK(text.find("Non-2xx") == std::string::npos);
}

TEST_CASE("a rate shortfall is reported as a warning") {
  auto r = sample();
  r.options.rate = 200;  // achieved 100/s
  REQUIRE(r.achieved_rate_ratio() == Approx(0.5));
  const auto text = bench::load::format_wrk(r, false);
  CHECK(text.find("  Rate: 100.00 of 200.00 req/s target (50.0%)\n") != std::string::npos);
  CHECK(text.find("Warning: achieved 100.0 req/s, 50.0% of the 200.0 req/s target") != std::string::npos);
  const auto warnings = bench::load::warnings(r);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].code == bench::model::WarningCode::rate_shortfall);
}
