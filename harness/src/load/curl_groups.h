#pragma once
// A worker's libcurl multi handles, driven by the worker's epoll set (SocketWatch) through libcurl's event interface
// (curl_multi_socket_action), and the ownership of every socket libcurl opens for them. Both exchanges connect
// through here; libcurl's exchange also does its whole transfers here.
//
// Why several multi handles ("groups") per thread: libcurl 7.88 walks its whole connection cache on every
// curl_multi_remove_handle (Curl_conncache_foreach looking for connect-only connections) and walks the host's bundle
// on every new transfer. One multi handle with 1,000 connections made each request cost several times wrk's. Groups
// of kConnectionsPerMulti transfer slots keep both walks short; all groups share the thread's epoll set.
//
// A group holds the transfers of kConnectionsPerMulti slots, not of as many connections: libcurl's exchange has one
// slot per connection (its connections stay cached in the group), the direct exchange one per connect in flight
// (kMaxConnecting; a connected socket leaves libcurl). Each multi handle costs libcurl 7.88 about 16 KB at
// curl_multi_init (its socket hash of 911 lists, its connection and DNS hashes, a closure easy handle, a wake-up
// socket pair) and more once used: at -t2 -c10000 groups of 32 connections made 314 of them, 2 x 1,024 connect slots
// make 64, and the peak RSS fell by 9 MB (docs/performance.md).
//
// Socket ownership, through documented libcurl API only: libcurl opens every socket through
// CURLOPT_OPENSOCKETFUNCTION ("called instead of socket(2)") and closes it through CURLOPT_CLOSESOCKETFUNCTION
// ("called instead of close(3)"), both ours. A socket has up to two holders: libcurl, from its open to its close
// callback, and the exchange that claimed it after a CONNECT_ONLY transfer connected it (claim() to release()). The
// descriptor is closed when the last holder lets go. So whenever libcurl decides to close its side (at once in
// curl_multi_remove_handle, as 7.88 does, or later, or at cleanup), the exchange's descriptor stays open, and its
// number cannot be reused while either side still holds it.

#include "load/socket_watch.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace bench::load {

using Clock = std::chrono::steady_clock;

class Exchange;

inline constexpr int kConnectionsPerMulti = 32;  // see the header comment
// SocketWatch owners: a group index for libcurl's sockets, or this bit plus a connection index for a claimed socket.
inline constexpr uint32_t kClaimedOwner = 1u << 31;

class CurlGroups {
 public:
  // loop_now: the worker's time at the top of its loop iteration (libcurl's timers are relative to it).
  // transfer_slots: how many transfers the exchange runs at once at most (exchange.h, transfer_slots()).
  CurlGroups(SocketWatch& watch, const Clock::time_point& loop_now, size_t transfer_slots);
  ~CurlGroups();  // cleans up the multi handles: libcurl closes its cached connections through on_close_socket
  CurlGroups(const CurlGroups&) = delete;
  CurlGroups& operator=(const CurlGroups&) = delete;

  // The worker's epoll set, where an exchange watches the sockets it claimed (owner kClaimedOwner | connection).
  SocketWatch& watch() { return watch_; }

  // Where finished transfers go (Exchange::transfer_done).
  void set_exchange(Exchange* exchange) { exchange_ = exchange; }

  // Makes every socket this easy handle opens one of ours (the open and close callbacks above). CURLOPT_PRIVATE is
  // the connection's index; set it with set_connection.
  void adopt(CURL* easy);
  static void set_connection(CURL* easy, uint32_t connection);

  // The transfer in slot `slot` (< transfer_slots; one transfer per slot at a time) starts or is taken out of its
  // group's multi handle.
  void add(uint32_t slot, CURL* easy);
  void remove(uint32_t slot, CURL* easy);
  size_t multi_handles() const { return groups_.size(); }

  // The event loop's side: a libcurl socket of group `group` is ready; libcurl's timers; finished transfers (handed
  // to the exchange); the earliest timer.
  void act(uint32_t group, curl_socket_t fd, int mask);
  void run_due_timers(Clock::time_point now);
  void read_completions();
  Clock::time_point next_deadline() const;

  // Ownership: the exchange takes fd over from a finished CONNECT_ONLY transfer, and gives it back when done with it
  // (closed then, unless libcurl still holds it; then its close callback closes it).
  void claim(curl_socket_t fd);
  void release(curl_socket_t fd);

 private:
  struct Group {
    struct MultiDeleter {
      void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
    };
    CurlGroups* owner = nullptr;
    uint32_t index = 0;
    std::unique_ptr<CURLM, MultiDeleter> multi;
    Clock::time_point deadline = Clock::time_point::max();  // libcurl's next timeout for this multi handle
    bool touched = false;                                     // in touched_ this iteration
  };
  enum Holder : uint8_t { kLibcurl = 1, kExchange = 2 };

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* group, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* group);
  static curl_socket_t on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* address);
  static int on_close_socket(void* self, curl_socket_t fd);
  uint8_t& holders(curl_socket_t fd);

  SocketWatch& watch_;
  const Clock::time_point& loop_now_;
  Exchange* exchange_ = nullptr;
  std::vector<uint8_t> holders_;  // by fd: Holder bits
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<Group*> touched_;  // groups acted on in this iteration, whose completions are to be read
};

}  // namespace bench::load
