#pragma once
// The direct exchange (exchange.h, http1.h): bench writes the request bytes formatted once and reads responses with
// http_parser, as wrk does, on a connection that either
// - bench opened itself (the default, own_connect_possible): a non-blocking connect() to the address resolved once
//   at the start (target.h), on the worker's epoll set, as wrk connects. libcurl's connect costs about 1.85x the CPU
//   of a bare connect() (getsockname, getpeername, poll, getsockopt and ~43,000 instructions, docs/performance.md),
//   which made every workload that opens connections (Connection: close, a 10,000-connection ramp) 1.4x wrk's; or
// - libcurl opened (Options::libcurl_connect): a CONNECT_ONLY transfer, after which the exchange claims the socket
//   (CurlGroups::claim). Its easy handles are needed only while connecting: a pool of at most kMaxConnecting per
//   thread, so 10,000 connections do not keep 10,000 of them (about 6 KB each, plus libcurl's state) in memory.
// Either way at most kMaxConnecting connects per thread are in flight ("connect slots"); more wait for one.
//
// Connects first, as wrk (which calls connect() for every connection before its event loop sends anything): while
// connections wait for their first connect slot, a connection that has just connected holds its first request back,
// until the last of them got a slot or the worker's loop finds nothing else to do (Exchange::holding). Only first
// connects count: reconnects (after a refused connect or the server's close) waiting for a slot could keep the queue
// full for the whole run, and a busy loop would then never release the held ones. On a CPU-bound client (loopback,
// 10,000 connections on one core) the answers of the first connections would otherwise take the CPU the remaining
// connects need (all connected after 1.39 s instead of 1.22 s; wrk: 0.63 s, docs/performance.md). On a distant
// server the loop goes idle while connects are under way, and the held requests go out then.
//
// Timeouts: a connect has Options::connect_timeout, counted from the moment it got its slot (not while it waits for
// one), and fails as a connect error on both connect paths; a request's timeout is counted from its first byte sent
// (Options::timeout), never while connecting.

#include "load/exchange.h"
#include "load/http1.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace bench::load {

class DirectExchange final : public Exchange {
 public:
  DirectExchange(Worker& worker, CurlGroups& groups, const Options& options, const Target& target,
                 size_t connections);
  ~DirectExchange() override;

  void start(uint32_t c, Clock::time_point now) override;
  void ready(uint32_t c, int mask) override;
  void transfer_done(uint32_t c, CURL* easy, CURLcode code, Clock::time_point now) override;  // connected (or not)
  Clock::time_point expire(Clock::time_point now) override;
  uint32_t cancel_waiting() override;
  bool holding() const override { return !held_.empty(); }
  void release_held(Clock::time_point now) override;
  void close_all() override;

 private:
  struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
  };
  struct UrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
  };
  struct Connection {
    int32_t handle = -1;     // libcurl's connect: the pool's handle (and transfer slot) it borrowed; -1 = none
    int fd = -1;             // the socket (own, or claimed from libcurl); -1 = connect before the next request
    bool connecting = false; // own connect: connect() under way on fd (it holds a connect slot)
    uint32_t tried = 0;      // own connect: addresses of the target tried for this connect
    uint32_t address = 0;    // own connect: the one being tried
    Clock::time_point connect_started;  // own connect: when it got its slot (its connect timeout runs from here)
    size_t unsent = 0;       // bytes at the end of the request (batch, when pipelining) still to write
    uint32_t awaiting = 0;   // answers still owed for the batch sent
    uint64_t received = 0;   // bytes of the current response so far
    uint32_t events = 0;     // what the epoll set watches fd for
    bool held = false;       // connected, its first request held back (connects first)
    bool started = false;    // has had a connect slot at least once
    ResponseReader reader;
  };

  void connect(uint32_t c);
  bool slot_free() const;
  void free_slot();  // a connect ended: starts the connects waiting for a slot
  // Own connect: tries the target's next address (the one that worked last, first); connect_failed when none is left.
  void open_socket(uint32_t c, Clock::time_point now);
  void own_connect_ready(uint32_t c, int mask, Clock::time_point now);  // fd ready (CURL_CSELECT_*) while connecting
  void connected(uint32_t c, int fd, Clock::time_point now);  // either path: the connection is up
  void connect_failed(uint32_t c, ErrorKind kind, Clock::time_point now);
  void send_batch(uint32_t c, Clock::time_point now);  // starts writing the request (pipeline() of them)
  void send_rest(uint32_t c, Clock::time_point now);   // writes what the socket takes of the rest
  bool response_arrived(uint32_t c, Clock::time_point now, bool closing);
  void fail(uint32_t c, ErrorKind kind, Clock::time_point now);
  void close(uint32_t c);
  void watch(uint32_t c, uint32_t events);

  Worker& worker_;
  CurlGroups& groups_;
  const Options& options_;
  const Target& target_;
  bool own_connect_;               // own_connect_possible(options)
  size_t own_connecting_ = 0;      // own connects in flight (connect slots taken)
  size_t preferred_address_ = 0;   // the target's address that connected last
  bool starting_queued_ = false;   // free_slot is starting waiting connects (no recursion through failures)
  Clock::duration connect_timeout_;
  SocketWatch& watch_;
  Clock::duration timeout_;
  Clock::duration expiry_scan_;    // how often requests are checked against the timeout
  std::string request_bytes_;      // the request, formatted once (Options::pipeline times over)
  std::vector<char> read_buffer_;  // one receive buffer for all of this thread's connections
  // The URL parsed once, for every handle's CURLOPT_CURLU (null if libcurl could not parse it: CURLOPT_URL then).
  // Declared before the handles, which use it, so that it outlives them.
  std::unique_ptr<CURLU, UrlDeleter> url_;
  // Every handle made (at most kMaxConnecting); a handle's index is its transfer slot in groups_.
  std::vector<std::unique_ptr<CURL, EasyDeleter>> easy_handles_;
  std::vector<uint32_t> idle_handles_;  // made, not connecting now
  std::deque<uint32_t> connect_queue_;  // connections waiting for a free handle (a connect slot)
  size_t waiting_first_ = 0;            // ... of which never started (Connection::started): holding while > 0
  std::vector<uint32_t> held_;          // connected, first request held back (Connection::held; may hold stale ones)
  std::vector<Connection> connections_;
};

}  // namespace bench::load
