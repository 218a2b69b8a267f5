#include "load/worker.h"

#include "load/error_kind.h"
#include "load/process.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unistd.h>

namespace bench::load {

struct Worker::Group {
  struct MultiDeleter {
    void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
  };
  Worker* worker = nullptr;
  uint32_t index = 0;
  std::unique_ptr<CURLM, MultiDeleter> multi;
  Clock::time_point deadline = Clock::time_point::max();  // libcurl's next timeout for this multi handle
  bool touched = false;                                     // in touched_ this iteration
};

struct Worker::Connection {
  std::unique_ptr<CURL, EasyDeleter> easy;
  Group* group = nullptr;
  Clock::time_point intended;  // when this request should have been sent (rate mode's schedule; = sent otherwise)
  Clock::time_point sent;      // when it was handed to libcurl
  bool active = false;         // currently added to the multi handle
  bool h2_established = false; // --http2: this handle's connection already speaks HTTP/2 (see keep_http2)
};

namespace {

// Min-heap order for the waiting list: earliest send time on top.
constexpr auto later = [](const auto& a, const auto& b) { return a.first > b.first; };

// libcurl needs a non-const multi handle; the groups are created in the constructor.
CURLM* new_multi() {
  CURLM* multi = curl_multi_init();
  if (!multi) throw std::runtime_error("curl_multi_init failed");
  return multi;
}

int64_t micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

template <typename T>
void set(CURL* easy, CURLoption option, T value) {
  if (curl_easy_setopt(easy, option, value) != CURLE_OK)
    throw std::runtime_error("libcurl rejected option " + std::to_string(static_cast<int>(option)));
}

template <typename T>
void set(CURLM* multi, CURLMoption option, T value) {
  if (curl_multi_setopt(multi, option, value) != CURLM_OK)
    throw std::runtime_error("libcurl rejected multi option " + std::to_string(static_cast<int>(option)));
}

}  // namespace

Worker::Worker(const Options& options, int connections, int first_connection)
    : options_(options), open_loop_(options.rate > 0) {
  for (const auto& header : options.request.headers) {
    curl_slist* grown = curl_slist_append(headers_.get(), header.c_str());
    if (!grown) throw std::runtime_error("curl_slist_append failed");
    headers_.release();
    headers_.reset(grown);
  }
  if (!options.request.body.empty()) {
    curl_slist* grown = curl_slist_append(headers_.get(), "Expect:");  // no 100-continue round trip for bodies
    if (!grown) throw std::runtime_error("curl_slist_append failed");
    headers_.release();
    headers_.reset(grown);
  }
  if (open_loop_) {
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(options.connections) / options.rate));
  }

  const int group_count = (connections + kConnectionsPerMulti - 1) / kConnectionsPerMulti;
  for (int g = 0; g < group_count; ++g) {
    auto group = std::make_unique<Group>();
    group->worker = this;
    group->index = static_cast<uint32_t>(g);
    group->multi.reset(new_multi());
    CURLM* multi = group->multi.get();
    set(multi, CURLMOPT_SOCKETFUNCTION, &Worker::on_socket);
    set(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(group.get()));
    set(multi, CURLMOPT_TIMERFUNCTION, &Worker::on_timer);
    set(multi, CURLMOPT_TIMERDATA, static_cast<void*>(group.get()));
    set(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(kConnectionsPerMulti));  // keep every idle connection
    set(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_NOTHING));       // one transfer per connection, h2 too
    groups_.push_back(std::move(group));
  }
  touched_.reserve(groups_.size());

  connections_.resize(static_cast<size_t>(connections));
  waiting_.reserve(connections_.size());
  for (size_t i = 0; i < connections_.size(); ++i) configure(connections_[i], *groups_[i / kConnectionsPerMulti]);
  // Stagger the first sends of rate mode evenly over one interval, across all threads' connections.
  if (open_loop_) {
    const auto step = interval_ / options.connections;
    for (size_t i = 0; i < connections_.size(); ++i) {
      connections_[i].intended = Clock::time_point{} + step * (first_connection + static_cast<int>(i));
    }
  }
}

Worker::~Worker() { tear_down(); }

void Worker::configure(Connection& connection, Group& group) {
  const Request& request = options_.request;
  connection.group = &group;
  connection.easy.reset(curl_easy_init());
  CURL* easy = connection.easy.get();
  if (!easy) throw std::runtime_error("curl_easy_init failed");
  set(easy, CURLOPT_URL, request.url.c_str());
  set(easy, CURLOPT_NOSIGNAL, 1L);  // without it libcurl 7.88 spends CPU on signal handling around every resolve
  set(easy, CURLOPT_PRIVATE, static_cast<void*>(&connection));
  set(easy, CURLOPT_WRITEFUNCTION, &Worker::on_body);
  set(easy, CURLOPT_CLOSESOCKETFUNCTION, &Worker::on_close_socket);
  set(easy, CURLOPT_CLOSESOCKETDATA, static_cast<void*>(&group));
  set(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(options_.timeout).count()));
  set(easy, CURLOPT_TCP_NODELAY, 1L);
  set(easy, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
  set(easy, CURLOPT_HTTP_VERSION,
      static_cast<long>(request.http2 ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_1_1));
  if (headers_) set(easy, CURLOPT_HTTPHEADER, headers_.get());
  if (!request.body.empty()) {
    set(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(easy, CURLOPT_POSTFIELDS, request.body.c_str());  // not copied: the Options outlive the run
    if (request.method != "POST") set(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method == "HEAD") {
    set(easy, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    set(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

int Worker::on_socket(CURL*, curl_socket_t fd, int what, void* group, void*) {
  auto* g = static_cast<Group*>(group);
  g->worker->watch_.want(fd, what, g->index);
  return 0;
}

int Worker::on_timer(CURLM*, long timeout_ms, void* group) {
  auto* g = static_cast<Group*>(group);
  // Relative to the top of the loop iteration rather than a fresh clock read: at worst the timer fires a little
  // early (libcurl then re-arms it), and a clock read per call is measurable at these rates.
  g->deadline = timeout_ms < 0 ? Clock::time_point::max() : g->worker->loop_now_ + std::chrono::milliseconds(timeout_ms);
  return 0;
}

int Worker::on_close_socket(void* group, curl_socket_t fd) {
  static_cast<Group*>(group)->worker->watch_.forget(fd);
  return close(fd);
}

size_t Worker::on_body(char*, size_t size, size_t count, void*) { return size * count; }  // counted, never copied

void Worker::start(Connection& connection, Clock::time_point now) {
  connection.sent = now;
  if (!open_loop_) connection.intended = now;
  connection.active = true;
  curl_multi_add_handle(connection.group->multi.get(), connection.easy.get());
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

void Worker::finish(Connection& connection, CURLcode code, Clock::time_point now) {
  connection.active = false;
  ErrorKind error = ErrorKind::other;
  if (code == CURLE_UNSUPPORTED_PROTOCOL && connection.h2_established && !stopping_) {
    // --http2 after the server closed the connection (nginx sends GOAWAY every 1,000 requests): keep_http2's
    // work-around asked for an h2c upgrade, which a prior-knowledge-only server cannot parse. Nothing was measured;
    // go back to prior knowledge on a fresh connection and send this request again, on the same schedule.
    keep_http2(connection, code);
    start(connection, now);
    return;
  }
  if (code == CURLE_OK) {
    ++phase_requests_local_;
    ++interval_requests_;
    if (measuring_) {
      CURL* easy = connection.easy.get();
      long status = 0;
      long header_bytes = 0;
      curl_off_t body_bytes = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
      curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
      ++totals_.requests;
      totals_.bytes_read += static_cast<uint64_t>(header_bytes) + static_cast<uint64_t>(body_bytes);
      ++totals_.status_codes[static_cast<size_t>(std::clamp(status, 0L, 599L))];
      if (status < 200 || status > 399) ++totals_.non_2xx_3xx;
      totals_.latency.record(micros(now - connection.intended));
      if (open_loop_) totals_.latency_uncorrected.record(micros(now - connection.sent));
    }
  } else {
    error = classify(code);
    if (measuring_) count_error(error, totals_.errors);
  }
  if (options_.request.http2) keep_http2(connection, code);
  if (stopping_) return;

  Clock::time_point at = now;
  if (open_loop_) {
    connection.intended += interval_;
    at = connection.intended;
  }
  if (code != CURLE_OK && error == ErrorKind::connect) at = std::max(at, now + kConnectErrorBackoff);
  if (at <= now) {
    start(connection, now);
  } else {
    schedule(connection, at);
  }
}

void Worker::act(Group& group, curl_socket_t fd, int mask) {
  int running = 0;
  curl_multi_socket_action(group.multi.get(), fd, mask, &running);
  if (!group.touched) {
    group.touched = true;
    touched_.push_back(&group);
  }
}

void Worker::run_due_timers(Clock::time_point now) {
  for (auto& group : groups_) {
    if (group->deadline > now) continue;
    group->deadline = Clock::time_point::max();
    act(*group, CURL_SOCKET_TIMEOUT, 0);
    if (group->deadline == Clock::time_point::max()) {
      // libcurl calls the timer callback only when its next timeout changes. A deadline computed from loop_now_ can
      // fire a little before libcurl's own; then nothing expired, nothing changed, and no callback came: ask.
      long timeout_ms = -1;
      curl_multi_timeout(group->multi.get(), &timeout_ms);
      if (timeout_ms >= 0) group->deadline = now + std::chrono::milliseconds(timeout_ms);
    }
  }
}

void Worker::keep_http2(Connection& connection, CURLcode code) {
  CURL* easy = connection.easy.get();
  long version = 0;
  if (code == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  const bool on_http2 = code == CURLE_OK && version == CURL_HTTP_VERSION_2_0;
  if (on_http2 && !connection.h2_established) {
    // libcurl 7.88.1 fails every reuse of a prior-knowledge HTTP/2 connection with "Error in the HTTP2 framing
    // layer" (curl issue 10634, fixed in 8.0). Asking for plain HTTP/2 reuses the established connection correctly.
    set(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2_0));
    set(easy, CURLOPT_FRESH_CONNECT, 0L);
    connection.h2_established = true;
  } else if (!on_http2 && connection.h2_established) {
    // The connection is gone (error, or the server's GOAWAY led to an HTTP/1.1 fallback): start a fresh h2c one.
    set(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE));
    set(easy, CURLOPT_FRESH_CONNECT, 1L);
    connection.h2_established = false;
  }
}

void Worker::drain_completions() {
  // Completions appear only inside curl_multi_socket_action, so only the groups act() touched have any.
  for (Group* touched : touched_) {
    Group& group = *touched;
    group.touched = false;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(group.multi.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      const auto now = Clock::now();
      char* connection = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &connection);
      curl_multi_remove_handle(group.multi.get(), easy);  // the connection stays cached for the next request
      finish(*reinterpret_cast<Connection*>(connection), code, now);
    }
  }
  touched_.clear();
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
  for (const auto& group : groups_) next = std::min(next, group->deadline);
  if (!waiting_.empty()) next = std::min(next, waiting_.front().first);
  return next;
}

void Worker::run(const Phases& phases, const std::atomic<bool>& stop) {
  interval_start_ = phases.start;
  if (phases.measure_start <= phases.start) begin_measurement(phases.start);
  loop_now_ = Clock::now();
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
    start_due(now);
    for (const auto& ready : watch_.wait(next_wakeup(phases) - now)) act(*groups_[ready.owner], ready.fd, ready.mask);
    loop_now_ = Clock::now();
    run_due_timers(loop_now_);
    drain_completions();
  }
  stopping_ = true;
  totals_.stopped = loop_now_;  // responses are counted up to here (a little past phases.end, as wrk does)
  if (measuring_) totals_.cpu_seconds = thread_cpu_seconds() - cpu_at_measure_start_;
  if (!open_loop_) totals_.latency_uncorrected = totals_.latency;
  phase_requests_.store(phase_requests_local_, std::memory_order_relaxed);
  tear_down();
}

void Worker::tear_down() {
  if (groups_.empty()) return;
  for (auto& connection : connections_) {
    if (connection.active) curl_multi_remove_handle(connection.group->multi.get(), connection.easy.get());
    connection.active = false;
  }
  groups_.clear();  // closes the cached connections (through on_close_socket, while watch_ still exists)
}

}  // namespace bench::load
