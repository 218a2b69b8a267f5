#include "util/address.h"

#include <stdexcept>

#include <arpa/inet.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bench::util {

bool IpAddress::loopback() const {
  if (v6) return text == "::1";
  in_addr address{};
  return inet_pton(AF_INET, text.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

bool IpAddress::wildcard() const { return text == (v6 ? "::" : "0.0.0.0"); }

std::string IpAddress::url_host() const { return v6 ? "[" + text + "]" : text; }

sockaddr_storage IpAddress::socket_address(int port, socklen_t* length) const {
  sockaddr_storage storage{};
  if (v6) {
    auto* address = reinterpret_cast<sockaddr_in6*>(&storage);
    address->sin6_family = AF_INET6;
    address->sin6_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET6, text.c_str(), &address->sin6_addr);
    *length = sizeof(sockaddr_in6);
  } else {
    auto* address = reinterpret_cast<sockaddr_in*>(&storage);
    address->sin_family = AF_INET;
    address->sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, text.c_str(), &address->sin_addr);
    *length = sizeof(sockaddr_in);
  }
  return storage;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  const std::string copy(text);
  char written[INET6_ADDRSTRLEN] = {};
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1 && inet_ntop(AF_INET, &v4, written, sizeof written))
    return IpAddress{written, false};
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1 && inet_ntop(AF_INET6, &v6, written, sizeof written))
    return IpAddress{written, true};
  return std::nullopt;
}

IpAddress parse_listen_address(std::string_view text) {
  const auto address = parse_ip(text);
  if (!address) {
    throw std::invalid_argument("expected an IP address of this machine (e.g. 10.0.0.5 or fd00::5), got '" +
                                std::string(text) + "'; host names are not resolved");
  }
  if (address->wildcard()) {
    throw std::invalid_argument("'" + std::string(text) +
                                "' listens on every interface; give the one address other "
                                "hosts reach this machine on (e.g. 10.0.0.5)");
  }
  return *address;
}

std::optional<std::string> cannot_listen_on(const IpAddress& address) {
  const int fd = ::socket(address.v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("socket: ") + std::strerror(errno);
  socklen_t length = 0;
  const sockaddr_storage storage = address.socket_address(0, &length);
  std::optional<std::string> problem;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) problem = std::strerror(errno);
  ::close(fd);
  return problem;
}

IpAddress loopback_ipv4() { return {"127.0.0.1", false}; }

}  // namespace bench::util
