#pragma once
// libcurl's exchange (exchange.h): each connection has an easy handle, set up once and re-added to its group's multi
// handle for each request; libcurl reuses its cached connection.

#include "load/exchange.h"

#include <cstddef>
#include <unordered_map>
#include <vector>

namespace bench::load {

// An easy handle with what every transfer of these options needs (URL, connect timeout, TLS checks, the sockets'
// owner), for either exchange.
CURL* new_easy_handle(const Options& options, CurlGroups& groups);

class LibcurlExchange final : public Exchange {
 public:
  LibcurlExchange(Worker& worker, CurlGroups& groups, const Options& options, size_t connections);
  ~LibcurlExchange() override;

  void start(uint32_t c, Clock::time_point now) override;
  void ready(uint32_t, int) override {}  // claims no sockets
  void transfer_done(uint32_t c, CURL* easy, CURLcode code, Clock::time_point now) override;
  Clock::time_point expire(Clock::time_point) override { return Clock::time_point::max(); }  // CURLOPT_TIMEOUT_MS
  uint32_t cancel_waiting() override { return 0; }  // no connect slots: libcurl connects each transfer itself
  void close_all() override;

 private:
  struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
  };
  struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };
  struct Connection {
    std::unique_ptr<CURL, EasyDeleter> easy;
    bool in_multi = false;        // added to its group's multi handle
    bool h2_established = false;  // --http2: this handle's connection already speaks HTTP/2 (see keep_http2)
  };

  // The bytes of the response just completed, as they came on the wire (received_bytes in the .cpp says how).
  uint64_t received_bytes(CURL* easy);
  void keep_http2(Connection& connection, CURLcode code);

  Worker& worker_;
  CurlGroups& groups_;
  const Options& options_;
  bool tls_;  // https: bytes are libcurl's decrypted count, as wrk's
  std::unique_ptr<curl_slist, SlistDeleter> headers_;  // declared before connections_: their handles point at it
  std::vector<Connection> connections_;
  // The kernel's bytes received on each TCP connection (by descriptor) at its last response. Keyed by socket, not
  // by easy handle: libcurl's connection cache is shared by the multi handle, so an easy handle's next transfer may
  // run on another handle's connection.
  std::unordered_map<curl_socket_t, uint64_t> wire_seen_;
};

}  // namespace bench::load
