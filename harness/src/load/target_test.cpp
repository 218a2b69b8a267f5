#include "load/target.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

using bench::load::resolve_target;

namespace {

int port_of(const bench::load::Address& address) {
  if (address.family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address.storage).sin_port);
  return ntohs(reinterpret_cast<const sockaddr_in6&>(address.storage).sin6_port);
}

}  // namespace

TEST_CASE("an IPv4 literal resolves to itself, with the URL's port") {
  const auto target = resolve_target("http://127.0.0.1:8080/json");
  REQUIRE(target.error.empty());
  REQUIRE(target.addresses.size() >= 1);
  const auto& address = target.addresses.front();
  REQUIRE(address.family() == AF_INET);
  REQUIRE(address.length == sizeof(sockaddr_in));
  REQUIRE(port_of(address) == 8080);
  REQUIRE(reinterpret_cast<const sockaddr_in&>(address.storage).sin_addr.s_addr == htonl(INADDR_LOOPBACK));
}

TEST_CASE("without a port the scheme's default, 80, is used") {
  const auto target = resolve_target("http://127.0.0.1/");
  REQUIRE(target.addresses.size() >= 1);
  REQUIRE(port_of(target.addresses.front()) == 80);
}

TEST_CASE("an IPv6 literal loses its brackets") {
  const auto target = resolve_target("http://[::1]:9000/");
  REQUIRE(target.error.empty());
  REQUIRE(target.addresses.size() >= 1);
  REQUIRE(target.addresses.front().family() == AF_INET6);
  REQUIRE(port_of(target.addresses.front()) == 9000);
}

TEST_CASE("localhost resolves to a loopback address") {
  const auto target = resolve_target("http://localhost:1234/");
  REQUIRE(target.error.empty());
  REQUIRE_FALSE(target.addresses.empty());
}

TEST_CASE("a name that does not resolve gives no address and says why") {
  const auto target = resolve_target("http://no-such-host.invalid/");
  REQUIRE(target.addresses.empty());
  REQUIRE_FALSE(target.error.empty());
}

TEST_CASE("an unparsable URL throws") { REQUIRE_THROWS_AS(resolve_target("http://[oops/"), std::invalid_argument); }
