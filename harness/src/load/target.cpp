// The target's address, resolved once (target.h).
#include "load/target.h"

#include <curl/curl.h>
#include <netdb.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace bench::load {

namespace {

std::string url_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || !text) return {};
  std::string value = text;
  curl_free(text);
  return value;
}

}  // namespace

Target resolve_target(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), &curl_url_cleanup);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    throw std::invalid_argument("invalid URL '" + url + "'");
  std::string host = url_part(parsed.get(), CURLUPART_HOST);
  if (host.size() >= 2 && host.front() == '[') {  // an IPv6 literal, without its brackets (and zone id, if any)
    host = host.substr(1, host.find_first_of("]%") - 1);
  }
  const std::string port = url_part(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  addrinfo* found = nullptr;
  Target target;
  const int status = getaddrinfo(host.c_str(), port.empty() ? "80" : port.c_str(), &hints, &found);
  if (status != 0) {
    target.error = gai_strerror(status);
    return target;
  }
  for (const addrinfo* a = found; a; a = a->ai_next) {
    if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Address address;
    std::memcpy(&address.storage, a->ai_addr, a->ai_addrlen);
    address.length = a->ai_addrlen;
    target.addresses.push_back(address);
  }
  freeaddrinfo(found);
  return target;
}

}  // namespace bench::load
