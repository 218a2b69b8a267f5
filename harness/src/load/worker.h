#pragma once
// One load thread: its own epoll set, its own libcurl multi handles (curl_groups.h), its own share of the
// connections, its own counters and histograms. Nothing here is touched by another thread while it runs, except the
// relaxed atomics the coordinator reads for progress and the stop flag it sets.
//
// The worker is the path-neutral core: the phases, the schedule (closed loop, or rate mode's intended send times),
// the counting and the event loop. How bytes travel is its Exchange's (exchange.h): libcurl's transfers, or the
// direct exchange on sockets bench connected itself (or libcurl did, Options::libcurl_connect).

#include "load/curl_groups.h"
#include "load/engine.h"
#include "load/error_kind.h"
#include "load/exchange.h"
#include "load/socket_watch.h"
#include "load/target.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

namespace bench::load {

// Named tunables.
inline constexpr auto kRecordInterval = std::chrono::milliseconds(100);  // Req/Sec sampling, as wrk's RECORD_INTERVAL_MS
inline constexpr auto kConnectErrorBackoff = std::chrono::milliseconds(10);  // retry delay after a refused connect,
                                                                              // so a dead port is counted, not spun on
inline constexpr int kMaxEventsPerWait = 512;

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
  OwedCounts owed;
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
  // target: the address resolved once for all workers (used when bench connects itself; outlives the worker).
  Worker(const Options& options, int connections, int first_connection, const Target& target);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // The thread body: runs until phases.end or stop, drains when asked (Options::drain), then tears down.
  void run(const Phases& phases, const std::atomic<bool>& stop);

  const WorkerTotals& totals() const { return totals_; }
  // Responses completed in the current phase, refreshed every kRecordInterval (for progress lines).
  uint64_t phase_requests() const { return phase_requests_.load(std::memory_order_relaxed); }
  // Connections established at least once so far (for progress lines; any thread may read it).
  uint64_t connected() const { return connected_count_.load(std::memory_order_relaxed); }
  // When the last of them was first established (read after join).
  Clock::time_point last_first_connect() const { return last_first_connect_; }

  // What the exchange reports about connection c (exchange.h):
  // its request's bytes start going out now (its timeout starts here, and so does its latency in closed loop);
  void request_sent(uint32_t c, Clock::time_point now);
  // an answer arrived (`bytes` on the wire);
  void record_response(uint32_t c, long status, uint64_t bytes, Clock::time_point now);
  // `count` requests failed, and the connection is idle;
  void record_error(uint32_t c, ErrorKind kind, uint32_t count = 1);
  // its connection is established (`at`: when; only the first time per connection is counted, Result::connected);
  void connection_up(uint32_t c, Clock::time_point at);
  // it is ready for its next request (now, or at its next intended time in rate mode).
  void next_request(uint32_t c, bool connect_failed, Clock::time_point now);
  // When c's request went out (request_sent).
  Clock::time_point sent_at(uint32_t c) const { return slots_[c].sent; }
  bool active(uint32_t c) const { return slots_[c].active; }
  // A request is under way on c and its bytes were sent (its timeout runs).
  bool on_wire(uint32_t c) const { return slots_[c].active && slots_[c].on_wire; }
  bool measuring() const { return measuring_; }
  bool stopping() const { return stopping_; }

 private:
  // The core's view of one connection; the exchange keeps the rest.
  struct Slot {
    Clock::time_point intended;  // when this request should have been sent (rate mode's schedule; = sent otherwise)
    Clock::time_point sent;      // when its bytes started going out
    bool active = false;         // a request is under way (connecting, sending or awaiting its answer)
    bool on_wire = false;        // ... and its bytes were sent
    bool was_connected = false;  // established at least once (connection_up)
  };

  void start(uint32_t c, Clock::time_point now);
  void schedule(uint32_t c, Clock::time_point at);
  void start_due(Clock::time_point now);
  void begin_measurement(Clock::time_point now);
  void sample_rate(Clock::time_point now);
  Clock::time_point next_wakeup(const Phases& phases) const;
  void poll(Clock::time_point wake_at);  // waits for events until wake_at and handles them, then libcurl's timers
  // Rate mode: what the schedule asked for and never got an answer (owed.h); returns early on stop.
  void count_owed(Clock::time_point end, const std::atomic<bool>& stop);
  void drain(const std::atomic<bool>& stop);
  void tear_down();

  const Options& options_;
  bool open_loop_;
  Clock::duration interval_{0};   // rate mode: time between two sends on one connection
  Clock::time_point loop_now_;    // the time at the top of the current loop iteration (libcurl timers are relative)
  Clock::time_point next_expiry_;  // when the exchange wants to check timeouts next
  std::vector<Slot> slots_;
  // Declaration order matters for destruction: the exchange first (its easy handles leave the multi handles), then
  // the multi handles (closing sockets calls back into watch_), then the epoll set.
  SocketWatch watch_{kMaxEventsPerWait};
  std::unique_ptr<CurlGroups> groups_;
  std::unique_ptr<Exchange> exchange_;
  // Connections waiting for their next send time (rate mode, or backing off after a refused connect): a min-heap
  // over a vector reserved up front, so pushing never allocates.
  std::vector<std::pair<Clock::time_point, uint32_t>> waiting_;
  bool measuring_ = false;
  bool stopping_ = false;  // no new requests (the measured phase is over)
  bool draining_ = false;  // responses now count in totals_.drained only
  uint64_t interval_requests_ = 0;
  Clock::time_point interval_start_;
  double cpu_at_measure_start_ = 0;
  std::atomic<uint64_t> phase_requests_{0};
  uint64_t connected_ = 0;  // slots with was_connected
  std::atomic<uint64_t> connected_count_{0};
  Clock::time_point last_first_connect_{};
  uint64_t phase_requests_local_ = 0;
  WorkerTotals totals_;
};

}  // namespace bench::load
