#pragma once
// How requests and responses travel on a worker's connections: the swappable part of a worker (as wrk swaps its
// transport for TLS). The worker's core (worker.h) owns the schedule, the phases and the counting; an exchange owns
// its connections' state and reports back through the core's record_* and next_request calls.
//
// - LibcurlExchange (exchange_libcurl.cpp): every request is a libcurl transfer; each connection has an easy handle,
//   set up once and re-added after each response, and libcurl reuses its cached connection. Needed for https:// and
//   --http2.
// - DirectExchange (exchange_direct.cpp), the default for http://: bench opens the connection itself (a
//   non-blocking connect() to the address resolved once, target.h), or with Options::libcurl_connect libcurl does (a
//   CONNECT_ONLY transfer) and the exchange claims the socket (curl_groups.h); bench then writes the request bytes
//   it formatted once and reads responses with http_parser, as wrk does.
//   libcurl's work per transfer (URL parsing, connection lookup, header formatting and matching, liveness polls) is
//   most of its cost per request, two to three times all of wrk's (docs/performance.md); the direct exchange does
//   without it.

#include "load/curl_groups.h"
#include "load/engine.h"
#include "load/error_kind.h"
#include "load/target.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>

namespace bench::load {

class Worker;

// Named tunables of the exchanges.
inline constexpr size_t kMaxConnecting = 1024;     // direct: connects in flight per thread; more wait for a slot
inline constexpr long kReceiveBufferBytes = 8192;  // as wrk's RECVBUF: per connection for libcurl (its default 16 KB
                                                   // doubles the memory of 10,000 connections), per thread when direct
inline constexpr int kMaxReadsPerEvent = 16;       // direct: buffers read from one socket before the loop runs again

class Exchange {
 public:
  virtual ~Exchange() = default;

  // Starts the next request on connection c (connecting first when it has no open connection).
  virtual void start(uint32_t c, Clock::time_point now) = 0;
  // A socket the exchange claimed for connection c is ready (CURL_CSELECT_* mask).
  virtual void ready(uint32_t c, int mask) = 0;
  // libcurl finished a transfer the exchange started for connection c.
  virtual void transfer_done(uint32_t c, CURL* easy, CURLcode code, Clock::time_point now) = 0;
  // Fails the requests whose timeout has passed; returns when to look again (max(): libcurl times them itself).
  virtual Clock::time_point expire(Clock::time_point now) = 0;
  // No new connects will start (the measured phase is over): connections waiting for a connect slot (or, connected,
  // for their first request to go out) give up. Returns the connections that were waiting.
  virtual uint32_t cancel_waiting() = 0;
  // Connects first: whether connected connections are holding their first request back while others still wait for
  // their first connect slot (DirectExchange), and releasing them. The worker releases them when its loop finds nothing else
  // to do, so holding only ever reorders work the CPU could not do at once.
  virtual bool holding() const { return false; }
  virtual void release_held(Clock::time_point /*now*/) {}
  // Takes every transfer out of libcurl and closes every claimed socket (before the multi handles go).
  virtual void close_all() = 0;
};

// The exchange for these options: DirectExchange when direct_exchange_possible(options) (http1.h), else libcurl's.
// target: where bench connects itself (own_connect_possible, http1.h); unused otherwise.
std::unique_ptr<Exchange> make_exchange(Worker& worker, CurlGroups& groups, const Options& options,
                                        const Target& target, size_t connections);
// How many libcurl transfers that exchange runs at once at most on `connections` connections (CurlGroups' slots):
// one per connection for libcurl's, one per connect in flight (at most kMaxConnecting) for the direct exchange when
// libcurl connects, none when bench connects itself.
size_t transfer_slots(const Options& options, size_t connections);

}  // namespace bench::load
