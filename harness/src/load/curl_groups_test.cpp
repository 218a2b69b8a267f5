#include "load/curl_groups.h"
#include "load/exchange.h"
#include "load/http1.h"
#include "load/socket_watch.h"

#include <catch2/catch.hpp>

namespace {

using bench::load::Options;

Options http(bool libcurl_exchange, bool libcurl_connect = true) {
  Options options;
  options.request.url = "http://127.0.0.1:1/";
  options.libcurl_exchange = libcurl_exchange;
  options.libcurl_connect = libcurl_connect;
  return options;
}

}  // namespace

TEST_CASE("the direct exchange needs a transfer slot per connect in flight, libcurl's one per connection") {
  using bench::load::kMaxConnecting;
  REQUIRE(bench::load::direct_exchange_possible(http(false)));
  // Connecting itself, the direct exchange needs no libcurl transfer at all.
  REQUIRE(bench::load::own_connect_possible(http(false, false)));
  REQUIRE(bench::load::transfer_slots(http(false, false), 5000) == 0);
  REQUIRE_FALSE(bench::load::own_connect_possible(http(true, false)));
  REQUIRE(bench::load::transfer_slots(http(false), 5000) == kMaxConnecting);
  REQUIRE(bench::load::transfer_slots(http(false), 10) == 10);
  REQUIRE(bench::load::transfer_slots(http(true), 5000) == 5000);
}

TEST_CASE("multi handles are made per kConnectionsPerMulti transfer slots, not per connection") {
  // Each multi handle costs libcurl ~40 KB before its first transfer: 5,000 connections of a direct thread must not
  // make 157 of them.
  bench::load::SocketWatch watch(16);
  const auto now = bench::load::Clock::now();
  const size_t slots = bench::load::transfer_slots(http(false), 5000);
  bench::load::CurlGroups groups(watch, now, slots);
  REQUIRE(groups.multi_handles() == (slots + bench::load::kConnectionsPerMulti - 1) / bench::load::kConnectionsPerMulti);
  REQUIRE(groups.multi_handles() < 5000 / bench::load::kConnectionsPerMulti);
  bench::load::CurlGroups one(watch, now, 1);
  REQUIRE(one.multi_handles() == 1);
  bench::load::CurlGroups none(watch, now, 0);
  REQUIRE(none.multi_handles() == 0);
  REQUIRE(none.next_deadline() == bench::load::Clock::time_point::max());
}
