// The worker's loop, schedule and counting, common to both exchanges (worker.h).
#include "load/worker.h"

#include "load/process.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bench::load {

namespace {

// Min-heap order for the waiting list: earliest send time on top.
constexpr auto later = [](const auto& a, const auto& b) { return a.first > b.first; };

int64_t micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

Worker::Worker(const Options& options, int connections, int first_connection)
    : options_(options), open_loop_(options.rate > 0), direct_(direct_exchange_possible(options)) {
  // libcurl's transfers send the user's headers from this list; the direct exchange has them in request_bytes_.
  if (!direct_) {
    std::vector<std::string> headers = options.request.headers;
    if (!options.request.body.empty()) headers.push_back("Expect:");  // no 100-continue round trip for bodies
    for (const auto& header : headers) {
      curl_slist* grown = curl_slist_append(headers_.get(), header.c_str());
      if (!grown) throw std::runtime_error("curl_slist_append failed");
      headers_.release();
      headers_.reset(grown);
    }
  }
  if (open_loop_) {
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(options.connections) * options.pipeline / options.rate));
  }
  // A tenth of the timeout (so a timeout is counted at most 10% late), between 1 ms and the record interval.
  expiry_scan_ = std::clamp<Clock::duration>(std::chrono::duration_cast<Clock::duration>(options.timeout / 10),
                                             std::chrono::milliseconds(1), kRecordInterval);
  if (direct_) {
    const std::string one = format_request(options.request);
    for (int i = 0; i < options.pipeline; ++i) request_bytes_ += one;
    read_buffer_.resize(static_cast<size_t>(kReceiveBufferBytes));
  }

  make_groups(static_cast<size_t>(connections));
  connections_.resize(static_cast<size_t>(connections));
  waiting_.reserve(connections_.size());
  for (size_t i = 0; i < connections_.size(); ++i) {
    Connection& connection = connections_[i];
    connection.index = static_cast<uint32_t>(i);
    connection.group = groups_[i / kConnectionsPerMulti].get();
    connection.reader = ResponseReader(options.request.method == "HEAD");
    if (!direct_) {
      connection.easy = new_easy();
      curl_easy_setopt(connection.easy, CURLOPT_PRIVATE, static_cast<void*>(&connection));
    }
  }
  // Stagger the first sends of rate mode evenly over one interval, across all threads' connections.
  if (open_loop_) {
    const auto step = interval_ / options.connections;
    for (size_t i = 0; i < connections_.size(); ++i) {
      connections_[i].intended = Clock::time_point{} + step * (first_connection + static_cast<int>(i));
    }
  }
}

Worker::~Worker() { tear_down(); }

void Worker::start(Connection& connection, Clock::time_point now) {
  connection.sent = now;
  if (!open_loop_) connection.intended = now;
  connection.active = true;
  if (!direct_) {
    add_to_multi(connection);
  } else if (connection.fd >= 0) {
    send_batch(connection);
  } else {
    connect_direct(connection);
  }
}

void Worker::schedule(Connection& connection, Clock::time_point at) {
  waiting_.emplace_back(at, &connection);
  std::push_heap(waiting_.begin(), waiting_.end(), later);
}

void Worker::start_due(Clock::time_point now) {
  while (!waiting_.empty() && waiting_.front().first <= now) {
    std::pop_heap(waiting_.begin(), waiting_.end(), later);
    Connection* connection = waiting_.back().second;
    waiting_.pop_back();
    start(*connection, now);
  }
}

void Worker::record_response(Connection& connection, long status, uint64_t bytes, Clock::time_point now) {
  ++phase_requests_local_;
  ++interval_requests_;
  if (draining_) ++totals_.drained;
  if (!measuring_) return;
  ++totals_.requests;
  totals_.bytes_read += bytes;
  ++totals_.status_codes[static_cast<size_t>(std::clamp(status, 0L, 599L))];
  if (status < 200 || status > 399) ++totals_.non_2xx_3xx;
  totals_.latency.record(micros(now - connection.intended));
  if (open_loop_) totals_.latency_uncorrected.record(micros(now - connection.sent));
}

void Worker::record_error(Connection& connection, ErrorKind kind, uint32_t count) {
  connection.active = false;
  if (!measuring_) return;
  for (uint32_t i = 0; i < count; ++i) count_error(kind, totals_.errors);
}

void Worker::next_request(Connection& connection, bool connect_failed, Clock::time_point now) {
  if (stopping_) return;
  Clock::time_point at = now;
  if (open_loop_) {
    connection.intended += interval_;
    at = connection.intended;
  }
  if (connect_failed) at = std::max(at, now + kConnectErrorBackoff);
  if (at <= now) {
    start(connection, now);
  } else {
    schedule(connection, at);
  }
}

void Worker::begin_measurement(Clock::time_point now) {
  const auto keep_stopped = totals_.stopped;
  totals_.requests = totals_.bytes_read = totals_.non_2xx_3xx = 0;
  totals_.errors = {};
  totals_.status_codes.fill(0);
  totals_.latency.reset();
  totals_.latency_uncorrected.reset();
  totals_.thread_rps.reset();
  totals_.stopped = keep_stopped;
  measuring_ = true;
  cpu_at_measure_start_ = thread_cpu_seconds();
  interval_start_ = now;
  interval_requests_ = 0;
  phase_requests_local_ = 0;
  phase_requests_.store(0, std::memory_order_relaxed);
}

void Worker::sample_rate(Clock::time_point now) {
  if (measuring_) {
    const double seconds = std::chrono::duration<double>(now - interval_start_).count();
    totals_.thread_rps.record(std::llround(static_cast<double>(interval_requests_) / seconds));
  }
  interval_requests_ = 0;
  interval_start_ = now;
  phase_requests_.store(phase_requests_local_, std::memory_order_relaxed);
}

Clock::time_point Worker::next_wakeup(const Phases& phases) const {
  auto next = std::min(interval_start_ + kRecordInterval, measuring_ ? phases.end : phases.measure_start);
  if (direct_) next = std::min(next, next_expiry_scan_);
  for (const auto& group : groups_) next = std::min(next, group->deadline);
  if (!waiting_.empty()) next = std::min(next, waiting_.front().first);
  return next;
}

void Worker::run(const Phases& phases, const std::atomic<bool>& stop) {
  interval_start_ = phases.start;
  if (phases.measure_start <= phases.start) begin_measurement(phases.start);
  loop_now_ = Clock::now();
  next_expiry_scan_ = loop_now_ + expiry_scan_;
  for (auto& connection : connections_) {
    if (open_loop_) {
      connection.intended = phases.start + (connection.intended - Clock::time_point{});
      schedule(connection, connection.intended);
    } else {
      start(connection, loop_now_);
    }
  }

  while (!stop.load(std::memory_order_relaxed) && loop_now_ < phases.end) {
    const auto now = loop_now_;
    if (!measuring_ && now >= phases.measure_start) begin_measurement(now);
    if (now - interval_start_ >= kRecordInterval) sample_rate(now);
    if (direct_ && now >= next_expiry_scan_) expire_direct(now);
    start_due(now);
    poll(next_wakeup(phases));
  }
  stopping_ = true;
  totals_.stopped = loop_now_;  // responses are counted up to here (a little past phases.end, as wrk does)
  if (measuring_) totals_.cpu_seconds = thread_cpu_seconds() - cpu_at_measure_start_;
  if (options_.drain) drain(stop);
  if (!open_loop_) totals_.latency_uncorrected = totals_.latency;
  phase_requests_.store(phase_requests_local_, std::memory_order_relaxed);
  tear_down();
}

void Worker::poll(Clock::time_point wake_at) {
  for (const auto& ready : watch_.wait(wake_at - loop_now_)) {
    if (ready.owner & kDirectOwner) {
      on_direct_ready(connections_[ready.owner & ~kDirectOwner], ready.mask);
    } else {
      act(*groups_[ready.owner], ready.fd, ready.mask);
    }
  }
  loop_now_ = Clock::now();
  run_due_timers(loop_now_);
  drain_completions();
}

void Worker::drain(const std::atomic<bool>& stop) {
  measuring_ = false;
  draining_ = true;
  waiting_.clear();  // scheduled sends and connect retries never happen
  for (Connection* queued : connect_queue_) queued->active = false;  // never sent
  connect_queue_.clear();
  const auto timeout = std::chrono::duration_cast<Clock::duration>(options_.timeout);
  // Every request in flight ends within its timeout; the direct exchange notices within one expiry scan.
  const auto deadline = loop_now_ + timeout + expiry_scan_ + std::chrono::milliseconds(10);
  const auto in_flight = [this] {
    return std::any_of(connections_.begin(), connections_.end(), [](const Connection& c) { return c.active; });
  };
  while (!stop.load(std::memory_order_relaxed) && loop_now_ < deadline && in_flight()) {
    if (direct_ && loop_now_ >= next_expiry_scan_) expire_direct(loop_now_);
    auto wake_at = std::min(deadline, direct_ ? next_expiry_scan_ : deadline);
    for (const auto& group : groups_) wake_at = std::min(wake_at, group->deadline);
    poll(wake_at);
  }
  draining_ = false;
}

void Worker::tear_down() {
  if (groups_.empty()) return;
  connect_queue_.clear();
  for (auto& connection : connections_) {
    if (connection.in_multi) curl_multi_remove_handle(connection.group->multi.get(), connection.easy);
    connection.in_multi = false;
    connection.active = false;
    close_direct(connection);
  }
  groups_.clear();  // closes the cached connections (through on_close_socket, while watch_ still exists)
}

}  // namespace bench::load
