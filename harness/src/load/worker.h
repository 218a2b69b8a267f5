#pragma once
// One load thread: its own epoll set, its own libcurl multi handles driven by curl_multi_socket_action, its own share
// of the connections, its own counters and histograms. Nothing here is touched by another
// thread while it runs, except the relaxed atomics the coordinator reads for progress and the stop flag it sets.
//
// Two ways to exchange requests on a connection (Options::libcurl_exchange, http1.h):
// - libcurl exchange (worker_curl.cpp): every request is a libcurl transfer; each connection has an easy handle, set up
//   once and re-added after each response, and libcurl reuses its cached connection. Needed for https:// and --http2.
// - direct exchange (worker_direct.cpp), the default for http://: libcurl opens the connection (a CONNECT_ONLY
//   transfer: resolving, connecting, its timeouts and errors) and hands the socket over; bench then writes the
//   request bytes it formatted once and reads responses with http_parser, as wrk does. libcurl's work per transfer
//   (URL parsing, connection lookup, header formatting and matching, liveness polls) is most of its cost per request,
//   two to three times all of wrk's (docs/performance.md); the direct exchange does without it. Its easy handles are
//   needed only while connecting: a pool of at most kMaxConnecting per thread, so 10,000 connections do not keep
//   10,000 of them (about 6 KB each, plus libcurl's connection state while connecting) in memory.
//
// Why several multi handles per thread: libcurl 7.88 walks its whole connection cache on every
// curl_multi_remove_handle (Curl_conncache_foreach looking for connect-only connections) and walks the host's bundle
// on every new transfer. One multi handle with 1,000 connections made each request cost several times wrk's. Groups
// of kConnectionsPerMulti keep both walks short; all groups share the thread's epoll set.

#include "load/engine.h"
#include "load/error_kind.h"
#include "load/http1.h"
#include "load/socket_watch.h"

#include <curl/curl.h>

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace bench::load {

using Clock = std::chrono::steady_clock;

// Named tunables.
inline constexpr auto kRecordInterval = std::chrono::milliseconds(100);  // Req/Sec sampling, as wrk's RECORD_INTERVAL_MS
inline constexpr auto kConnectErrorBackoff = std::chrono::milliseconds(10);  // retry delay after a refused connect,
                                                                              // so a dead port is counted, not spun on
inline constexpr int kMaxEventsPerWait = 512;
inline constexpr int kConnectionsPerMulti = 32;  // see the header comment
inline constexpr size_t kMaxConnecting = 1024;   // direct exchange: connects in flight per thread; more wait in line
inline constexpr long kReceiveBufferBytes = 8192;  // as wrk's RECVBUF: per connection for libcurl (its default 16 KB
                                                   // doubles the memory of 10,000 connections), per thread when direct

// The schedule every worker follows, fixed before they start.
struct Phases {
  Clock::time_point start;          // warmup (or measurement) begins
  Clock::time_point measure_start;  // counters reset here
  Clock::time_point end;            // workers stop here
};

// What one worker measured; merged by the engine after join.
struct WorkerTotals {
  uint64_t requests = 0;
  uint64_t drained = 0;  // responses completed while draining
  uint64_t bytes_read = 0;
  ErrorCounts errors;
  std::array<uint64_t, 600> status_codes{};  // index = HTTP status (0..599); no allocation per response
  uint64_t non_2xx_3xx = 0;
  stats::Histogram latency;
  stats::Histogram latency_uncorrected;
  stats::Histogram thread_rps;
  Clock::time_point stopped;  // when this worker stopped counting
  double cpu_seconds = 0;     // thread CPU during the measured phase
};

class Worker {
 public:
  // first_connection: this worker's connections are numbered first_connection.. (rate mode staggers them globally).
  Worker(const Options& options, int connections, int first_connection);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // The thread body: runs until phases.end or stop, drains when asked (Options::drain), then tears down.
  void run(const Phases& phases, const std::atomic<bool>& stop);

  const WorkerTotals& totals() const { return totals_; }
  // Responses completed in the current phase, refreshed every kRecordInterval (for progress lines).
  uint64_t phase_requests() const { return phase_requests_.load(std::memory_order_relaxed); }

 private:
  struct Group {
    struct MultiDeleter {
      void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
    };
    Worker* worker = nullptr;
    uint32_t index = 0;
    std::unique_ptr<CURLM, MultiDeleter> multi;
    Clock::time_point deadline = Clock::time_point::max();  // libcurl's next timeout for this multi handle
    bool touched = false;                                     // in touched_ this iteration
  };
  struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
  };
  struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };
  struct Connection {
    CURL* easy = nullptr;        // libcurl exchange: always; direct: borrowed from the pool while connecting
    Group* group = nullptr;
    uint32_t index = 0;          // in connections_
    Clock::time_point intended;  // when this request should have been sent (rate mode's schedule; = sent otherwise)
    Clock::time_point sent;      // when it was started
    bool active = false;         // a request is under way
    bool in_multi = false;       // the easy handle is added to its group's multi handle
    bool h2_established = false; // --http2: this handle's connection already speaks HTTP/2 (see keep_http2)
    // Direct exchange only:
    int fd = -1;                 // the socket libcurl handed over; -1 = connect before the next request
    size_t unsent = 0;           // bytes at the end of the request (batch, when pipelining) still to write
    uint32_t awaiting = 0;       // answers still owed for the batch sent
    uint64_t received = 0;       // bytes of the current response so far
    uint32_t events = 0;         // what the epoll set watches fd for
    ResponseReader reader;
  };
  // SocketWatch owners: a group index, or this bit plus a connection index for a socket of the direct exchange.
  static constexpr uint32_t kDirectOwner = 1u << 31;

  // worker.cpp: the loop, the schedule and the counting, common to both exchanges.
  void start(Connection& connection, Clock::time_point now);
  void schedule(Connection& connection, Clock::time_point at);
  void start_due(Clock::time_point now);
  void record_response(Connection& connection, long status, uint64_t bytes, Clock::time_point now);
  void record_error(Connection& connection, ErrorKind kind, uint32_t count = 1);
  void next_request(Connection& connection, bool connect_failed, Clock::time_point now);
  void begin_measurement(Clock::time_point now);
  void sample_rate(Clock::time_point now);
  Clock::time_point next_wakeup(const Phases& phases) const;
  void poll(Clock::time_point wake_at);  // waits for events until wake_at and handles them, then libcurl's timers
  void drain(const std::atomic<bool>& stop);
  void tear_down();

  // worker_curl.cpp: libcurl's side; callbacks are static functions that forward to the group's worker.
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* group, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* group);
  static int on_close_socket(void* worker, curl_socket_t fd);
  static size_t on_body(char* data, size_t size, size_t count, void* unused);
  void make_groups(size_t connections);
  CURL* new_easy();  // a handle with every option but CURLOPT_PRIVATE (which connection it serves) set
  void add_to_multi(Connection& connection);
  void act(Group& group, curl_socket_t fd, int mask);
  void run_due_timers(Clock::time_point now);
  void drain_completions();
  void finish_transfer(Connection& connection, CURLcode code, Clock::time_point now);
  void keep_http2(Connection& connection, CURLcode code);

  // worker_direct.cpp: the direct exchange.
  void connect_direct(Connection& connection);
  void connected(Connection& connection, CURLcode code, Clock::time_point now);
  void send_batch(Connection& connection);  // starts writing the request (pipeline() of them)
  void send_request(Connection& connection);  // writes what the socket takes of the rest
  bool response_arrived(Connection& connection, Clock::time_point now, bool closing);
  void on_direct_ready(Connection& connection, int mask);
  void fail_direct(Connection& connection, ErrorKind kind, Clock::time_point now);
  void close_direct(Connection& connection);
  void watch_direct(Connection& connection, uint32_t events);
  void expire_direct(Clock::time_point now);

  const Options& options_;
  bool open_loop_;
  bool direct_;                   // direct exchange (http1.h) rather than libcurl transfers
  Clock::duration interval_{0};   // rate mode: time between two sends on one connection
  Clock::duration expiry_scan_;   // direct exchange: how often requests are checked against the timeout
  Clock::time_point next_expiry_scan_;
  Clock::time_point loop_now_;    // the time at the top of the current loop iteration (libcurl timers are relative)
  std::string request_bytes_;     // direct exchange: the request, formatted once (Options::pipeline times over)
  std::vector<char> read_buffer_; // direct exchange: one receive buffer for all of this thread's connections
  int handover_fd_ = -1;          // the socket libcurl is about to "close" into bench's hands (on_close_socket),
                                  // kHandedOver once it did
  static constexpr int kHandedOver = -2;
  // Declaration order matters for destruction: the multi handles go first (closing sockets calls back into watch_),
  // then the epoll set, then the easy handles, then the header list they point at.
  std::unique_ptr<curl_slist, SlistDeleter> headers_;
  std::vector<std::unique_ptr<CURL, EasyDeleter>> easy_handles_;  // every handle this worker made
  std::vector<CURL*> idle_easy_;                 // direct exchange: made, not connecting now
  std::deque<Connection*> connect_queue_;        // direct exchange: waiting for a free handle
  std::vector<Connection> connections_;
  SocketWatch watch_{kMaxEventsPerWait};
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<Group*> touched_;  // groups acted on in this iteration, whose completions are to be read
  // Connections waiting for their next send time (rate mode, or backing off after a refused connect): a min-heap
  // over a vector reserved up front, so pushing never allocates.
  std::vector<std::pair<Clock::time_point, Connection*>> waiting_;
  bool measuring_ = false;
  bool stopping_ = false;  // no new requests (the measured phase is over)
  bool draining_ = false;  // responses now count in totals_.drained only
  uint64_t interval_requests_ = 0;
  Clock::time_point interval_start_;
  double cpu_at_measure_start_ = 0;
  std::atomic<uint64_t> phase_requests_{0};
  uint64_t phase_requests_local_ = 0;
  WorkerTotals totals_;
};

}  // namespace bench::load
