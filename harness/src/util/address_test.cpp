#include "util/address.h"

#include <catch2/catch.hpp>

using bench::util::cannot_listen_on;
using bench::util::parse_ip;
using bench::util::parse_listen_address;

TEST_CASE("IP literals parse to their canonical text, host names do not parse") {
  CHECK(parse_ip("10.0.0.5")->text == "10.0.0.5");
  CHECK_FALSE(parse_ip("10.0.0.5")->v6);
  CHECK(parse_ip("fd00:0::5")->text == "fd00::5");
  CHECK(parse_ip("fd00::5")->v6);
  CHECK_FALSE(parse_ip("localhost"));
  CHECK_FALSE(parse_ip("10.0.0"));
  CHECK_FALSE(parse_ip("10.0.0.5:80"));
  CHECK_FALSE(parse_ip("[::1]"));
  CHECK_FALSE(parse_ip(""));
}

TEST_CASE("an address knows whether it is loopback or the wildcard, and how a URL writes it") {
  CHECK(parse_ip("127.0.0.1")->loopback());
  CHECK(parse_ip("127.3.2.1")->loopback());
  CHECK(parse_ip("::1")->loopback());
  CHECK_FALSE(parse_ip("10.0.0.5")->loopback());
  CHECK(parse_ip("0.0.0.0")->wildcard());
  CHECK(parse_ip("::")->wildcard());
  CHECK_FALSE(parse_ip("127.0.0.1")->wildcard());
  CHECK(parse_ip("10.0.0.5")->url_host() == "10.0.0.5");
  CHECK(parse_ip("fd00::5")->url_host() == "[fd00::5]");
}

TEST_CASE("this machine can listen on its loopback addresses, not on an address it does not have") {
  CHECK_FALSE(cannot_listen_on(*parse_ip("127.0.0.1")));
  CHECK_FALSE(cannot_listen_on(*parse_ip("127.0.0.2")));  // all of 127.0.0.0/8 is on lo
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface. The bind is refused locally; no
  // packet is sent anywhere.
  const auto problem = cannot_listen_on(*parse_ip("192.0.2.7"));
  REQUIRE(problem);
  CHECK(*problem == "Cannot assign requested address");
}

TEST_CASE("a listen address is an IP literal and not the wildcard, and the refusal says which rule it broke") {
  CHECK(parse_listen_address("10.0.0.5").text == "10.0.0.5");
  CHECK(parse_listen_address("fd00:0::5").text == "fd00::5");
  CHECK_THROWS_WITH(parse_listen_address("db.example"),
                    "expected an IP address of this machine (e.g. 10.0.0.5 or fd00::5), got 'db.example'; host names "
                    "are not resolved");
  CHECK_THROWS_WITH(parse_listen_address("0.0.0.0"), Catch::StartsWith("'0.0.0.0' listens on every interface"));
  CHECK_THROWS_AS(parse_listen_address("::"), std::invalid_argument);
}
