#pragma once
// IP address literals where bench listens or makes its servers listen (a scenario's `listen:`, `bench db --listen`):
// parsed with inet_pton, told loopback from not, written into URLs, and checked against this machine's interfaces
// by a bind, which is what the kernel itself will later accept or refuse.

#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace bench::util {

struct IpAddress {
  std::string text;  // as inet_ntop writes it ("10.0.0.5", "::1")
  bool v6 = false;

  bool loopback() const;  // 127.0.0.0/8 or ::1
  bool wildcard() const;  // 0.0.0.0 or ::
  // For a URL's authority: "10.0.0.5", "[fd00::5]".
  std::string url_host() const;
  // The socket address of `port` on this address (sockaddr_in or sockaddr_in6); length in *length.
  sockaddr_storage socket_address(int port, socklen_t* length) const;
};

// An IPv4 or IPv6 literal; nullopt for anything else (host names included: they are not resolved).
std::optional<IpAddress> parse_ip(std::string_view text);

// The rule for an address bench listens on (a scenario's `listen:`, `bench db --listen`): an IP literal, not the
// wildcard (bench must know the one address other hosts reach). Throws std::invalid_argument with the reason
// ("expected an IP address of this machine ..., got 'x'"); callers prefix where it came from. Whether this machine
// has the address is cannot_listen_on's business (checked where the listening happens, not where a scenario is read).
IpAddress parse_listen_address(std::string_view text);

// Why this machine cannot listen on `address` (a bind to port 0 fails: "Cannot assign requested address"), or
// nullopt when it can.
std::optional<std::string> cannot_listen_on(const IpAddress& address);

// The loopback address bench uses when nothing else is said.
IpAddress loopback_ipv4();

}  // namespace bench::util
