#pragma once
// The target's address, resolved once at the start of a run (as wrk does), for the connections bench opens itself
// (the direct exchange's own connect, exchange_direct.h). A name that does not resolve is not a usage error: every
// connect to it then fails and counts as a connect error, as on libcurl's path (CURLE_COULDNT_RESOLVE_HOST).

#include <sys/socket.h>

#include <string>
#include <vector>

namespace bench::load {

// One address to connect to: what connect(2) takes.
struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
};

struct Target {
  std::vector<Address> addresses;  // in getaddrinfo's order; empty when the host did not resolve
  std::string error;               // why it did not resolve (empty when it did)
};

// Resolves the host and port of an http:// URL (port 80 when the URL names none; "[::1]" literals too). Throws
// std::invalid_argument when the URL cannot be parsed; a name that does not resolve gives an empty Target.
Target resolve_target(const std::string& url);

}  // namespace bench::load
