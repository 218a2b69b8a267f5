// libcurl's side of the worker (worker.h): the multi handles, their callbacks, and whole transfers for the libcurl
// exchange. The direct exchange uses the same machinery to connect.
#include "load/worker.h"

#include <stdexcept>
#include <unistd.h>

namespace bench::load {

namespace {

// libcurl needs a non-const multi handle; the groups are created in the constructor.
CURLM* new_multi() {
  CURLM* multi = curl_multi_init();
  if (!multi) throw std::runtime_error("curl_multi_init failed");
  return multi;
}

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

void Worker::make_groups(size_t connections) {
  const size_t group_count = (connections + kConnectionsPerMulti - 1) / kConnectionsPerMulti;
  for (size_t g = 0; g < group_count; ++g) {
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
}

CURL* Worker::new_easy() {
  const Request& request = options_.request;
  easy_handles_.emplace_back(curl_easy_init());
  CURL* easy = easy_handles_.back().get();
  if (!easy) throw std::runtime_error("curl_easy_init failed");
  const long timeout_ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(options_.timeout).count());
  set(easy, CURLOPT_URL, request.url.c_str());
  set(easy, CURLOPT_NOSIGNAL, 1L);  // without it libcurl 7.88 spends CPU on signal handling around every resolve
  set(easy, CURLOPT_NOPROXY, "*");  // as wrk: straight to the target (and no proxy lookup in the environment)
  set(easy, CURLOPT_CLOSESOCKETFUNCTION, &Worker::on_close_socket);
  set(easy, CURLOPT_CLOSESOCKETDATA, static_cast<void*>(this));
  set(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  set(easy, CURLOPT_TCP_NODELAY, 1L);
  if (direct_) {
    set(easy, CURLOPT_CONNECT_ONLY, 1L);  // connect, then hand the socket over (connected())
    set(easy, CURLOPT_BUFFERSIZE, 1024L);  // libcurl's smallest: it never receives on these handles
    return easy;
  }
  set(easy, CURLOPT_WRITEFUNCTION, &Worker::on_body);
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
  return easy;
}

int Worker::on_socket(CURL*, curl_socket_t fd, int what, void* group, void*) {
  auto* g = static_cast<Group*>(group);
  // A socket handed over to the direct exchange is not libcurl's any more, whatever late wish it has for it.
  if (g->worker->watch_.owner_of(fd) & kDirectOwner) return 0;
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

int Worker::on_close_socket(void* self, curl_socket_t fd) {
  auto* worker = static_cast<Worker*>(self);
  worker->watch_.forget(fd);
  if (fd == worker->handover_fd_) {
    worker->handover_fd_ = kHandedOver;  // kept open: the direct exchange owns it from now on (connected())
    return 0;
  }
  return close(fd);
}

size_t Worker::on_body(char*, size_t size, size_t count, void*) { return size * count; }  // counted, never copied

void Worker::add_to_multi(Connection& connection) {
  connection.in_multi = true;
  curl_multi_add_handle(connection.group->multi.get(), connection.easy);
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
      auto& c = *reinterpret_cast<Connection*>(connection);
      if (direct_) {
        connected(c, code, now);
      } else {
        c.in_multi = false;
        curl_multi_remove_handle(group.multi.get(), easy);  // the connection stays cached for the next request
        finish_transfer(c, code, now);
      }
    }
  }
  touched_.clear();
}

void Worker::finish_transfer(Connection& connection, CURLcode code, Clock::time_point now) {
  if (code == CURLE_UNSUPPORTED_PROTOCOL && connection.h2_established && !stopping_) {
    // --http2 after the server closed the connection (nginx sends GOAWAY every 1,000 requests): keep_http2's
    // work-around asked for an h2c upgrade, which a prior-knowledge-only server cannot parse. Nothing was measured;
    // go back to prior knowledge on a fresh connection and send this request again, on the same schedule.
    keep_http2(connection, code);
    start(connection, now);
    return;
  }
  ErrorKind error = ErrorKind::other;
  connection.active = false;
  if (code == CURLE_OK) {
    CURL* easy = connection.easy;
    long status = 0;
    long header_bytes = 0;
    curl_off_t body_bytes = 0;
    if (measuring_) {
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
      curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
    }
    record_response(connection, status, static_cast<uint64_t>(header_bytes) + static_cast<uint64_t>(body_bytes), now);
  } else {
    error = classify(code);
    record_error(connection, error);
  }
  if (options_.request.http2) keep_http2(connection, code);
  next_request(connection, code != CURLE_OK && error == ErrorKind::connect, now);
}

void Worker::keep_http2(Connection& connection, CURLcode code) {
  CURL* easy = connection.easy;
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

}  // namespace bench::load
