#include "util/units.h"

#include <catch2/catch.hpp>

TEST_CASE("times read like wrk's") {
  CHECK(bench::format_time_us(635.91) == "635.91us");
  CHECK(bench::format_time_us(849) == "849.00us");
  CHECK(bench::format_time_us(850) == "0.85ms");
  CHECK(bench::format_time_us(12570) == "12.57ms");
  CHECK(bench::format_time_us(1'100'000) == "1.10s");
  CHECK(bench::format_time_us(2'000'000) == "2.00s");
  CHECK(bench::format_time_us(55'000'000) == "0.92m");
  CHECK(bench::format_time_s(10) == "10s");
  CHECK(bench::format_time_s(120) == "2m");
}

TEST_CASE("sizes and counts read like wrk's") {
  CHECK(bench::format_binary(512) == "512.00");
  CHECK(bench::format_binary(7.03 * 1024 * 1024) == "7.03M");
  CHECK(bench::format_binary(17.13 * 1024 * 1024) == "17.13M");
  CHECK(bench::format_metric(3280) == "3.28k");
  CHECK(bench::format_metric(47460) == "47.46k");
  CHECK(bench::format_metric(849) == "849.00");
}

TEST_CASE("padding aligns digits the way wrk's print_units does") {
  // From a real wrk line: "    Latency     1.23ms    2.08ms  12.03ms   84.68%"
  CHECK(bench::pad_units("1.23ms", 8) == "  1.23ms");
  CHECK(bench::pad_units("2.08ms", 10) == "    2.08ms");
  CHECK(bench::pad_units("12.03ms", 9) == "  12.03ms");
  // "    Req/Sec    47.46k    19.00k  127.76k    95.24%"
  CHECK(bench::pad_units("47.46k", 8) == " 47.46k ");
  CHECK(bench::pad_units("950.00", 8) == "950.00  ");
}
