// The direct exchange (worker.h, http1.h): libcurl connects; bench writes the request and reads the response on the
// socket itself, as wrk does. Hand-written because no library does this part for a libcurl connection: the response
// framing is http_parser's, the rest is send/recv on a non-blocking socket.
#include "load/worker.h"

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace bench::load {

void Worker::connect_direct(Connection& connection) {
  if (idle_easy_.empty() && easy_handles_.size() >= kMaxConnecting) {
    connect_queue_.push_back(&connection);  // connected() starts it when a handle comes back
    return;
  }
  if (idle_easy_.empty()) idle_easy_.push_back(new_easy());
  connection.easy = idle_easy_.back();
  idle_easy_.pop_back();
  curl_easy_setopt(connection.easy, CURLOPT_PRIVATE, static_cast<void*>(&connection));
  add_to_multi(connection);
}

void Worker::connected(Connection& connection, CURLcode code, Clock::time_point now) {
  curl_socket_t fd = CURL_SOCKET_BAD;
  if (code == CURLE_OK) curl_easy_getinfo(connection.easy, CURLINFO_ACTIVESOCKET, &fd);
  // Removing a CONNECT_ONLY transfer makes libcurl 7.88 close its connection at once; on_close_socket keeps this one
  // socket open for us instead (and says so through handover_fd_).
  handover_fd_ = fd;
  connection.in_multi = false;
  curl_multi_remove_handle(connection.group->multi.get(), connection.easy);
  const bool handed_over = fd != CURL_SOCKET_BAD && handover_fd_ == kHandedOver;
  handover_fd_ = -1;
  idle_easy_.push_back(connection.easy);
  connection.easy = nullptr;
  if (!connect_queue_.empty()) {
    Connection* next = connect_queue_.front();
    connect_queue_.pop_front();
    connect_direct(*next);
  }
  if (!handed_over) {
    const ErrorKind kind = code == CURLE_OK ? ErrorKind::other : classify(code);
    record_error(connection, kind);
    next_request(connection, kind == ErrorKind::connect, now);
    return;
  }
  connection.fd = fd;
  connection.events = 0;
  connection.received = 0;
  connection.reader.reset();
  send_batch(connection);
}

void Worker::send_batch(Connection& connection) {
  connection.unsent = request_bytes_.size();
  connection.awaiting = static_cast<uint32_t>(options_.pipeline);
  send_request(connection);
}

void Worker::send_request(Connection& connection) {
  const char* from = request_bytes_.data() + (request_bytes_.size() - connection.unsent);
  const ssize_t sent = send(connection.fd, from, connection.unsent, MSG_NOSIGNAL);
  if (sent < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      watch_direct(connection, EPOLLIN | EPOLLOUT);
    } else {
      fail_direct(connection, ErrorKind::write, Clock::now());
    }
    return;
  }
  connection.unsent -= static_cast<size_t>(sent);
  watch_direct(connection, connection.unsent > 0 ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

void Worker::on_direct_ready(Connection& connection, int mask) {
  if (connection.fd < 0) return;  // a stale event for a socket closed earlier in this batch
  if ((mask & CURL_CSELECT_OUT) && connection.unsent > 0) {
    send_request(connection);
    if (connection.fd < 0) return;
  }
  if (!(mask & (CURL_CSELECT_IN | CURL_CSELECT_ERR))) return;
  for (;;) {
    const ssize_t got = recv(connection.fd, read_buffer_.data(), read_buffer_.size(), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (!connection.active) {
      // Idle (rate mode between sends): the server closed the connection, or said something nobody asked for.
      // Either way the connection is done; the next request connects afresh. Only unasked-for bytes are an error.
      if (got > 0 && measuring_) ++totals_.errors.read;
      close_direct(connection);
      return;
    }
    const auto now = Clock::now();  // one read for every answer in these bytes: they arrived together
    if (got <= 0) {  // closed (which may end a response without a length) or failed
      if (got == 0 && connection.reader.closed() == ResponseReader::Outcome::complete) {
        response_arrived(connection, now, true);
      } else {
        fail_direct(connection, ErrorKind::read, now);
      }
      return;
    }
    const char* data = read_buffer_.data();
    size_t left = static_cast<size_t>(got);
    while (left > 0) {
      size_t used = 0;
      const auto outcome = connection.reader.feed(data, left, used);
      if (outcome == ResponseReader::Outcome::partial) {
        connection.received += left;
        break;
      }
      connection.received += used;
      data += used;
      left -= used;
      // An unparsable answer, or bytes after the last answer owed (nobody asked for them).
      if (outcome == ResponseReader::Outcome::error || (connection.awaiting == 1 && left > 0)) {
        fail_direct(connection, ErrorKind::read, now);
        return;
      }
      if (!response_arrived(connection, now, false)) return;
    }
    if (static_cast<size_t>(got) < read_buffer_.size()) return;  // the rest is still on its way
  }
}

bool Worker::response_arrived(Connection& connection, Clock::time_point now, bool closing) {
  record_response(connection, connection.reader.status(), connection.received, now);
  connection.received = 0;
  --connection.awaiting;
  const bool open = !closing && connection.reader.keep_alive();
  if (connection.awaiting > 0) {
    if (open) return true;  // more answers of this batch to come
    fail_direct(connection, ErrorKind::read, now);  // the server ended the connection with answers still owed
    return false;
  }
  connection.active = false;
  // Done with the connection when the server closes it, or answered before taking the whole request (the rest of
  // it would be read as the start of the next one).
  if (!open || connection.unsent > 0) close_direct(connection);
  next_request(connection, false, now);
  return false;
}

void Worker::fail_direct(Connection& connection, ErrorKind kind, Clock::time_point now) {
  const uint32_t failed = std::max<uint32_t>(1, connection.awaiting);  // every request of the batch left unanswered
  close_direct(connection);
  record_error(connection, kind, failed);
  next_request(connection, false, now);
}

void Worker::close_direct(Connection& connection) {
  if (connection.fd < 0) return;
  watch_.forget(connection.fd);
  close(connection.fd);  // also drops it from the epoll set
  connection.fd = -1;
  connection.events = 0;
  connection.unsent = 0;
  connection.awaiting = 0;
  connection.received = 0;
  connection.reader.reset();
}

void Worker::watch_direct(Connection& connection, uint32_t events) {
  if (connection.events == events) return;
  watch_.watch(connection.fd, events, kDirectOwner | connection.index);
  connection.events = events;
}

void Worker::expire_direct(Clock::time_point now) {
  next_expiry_scan_ = now + expiry_scan_;
  const auto timeout = std::chrono::duration_cast<Clock::duration>(options_.timeout);
  for (auto& connection : connections_) {
    // Connecting ones are libcurl's to time out (CURLOPT_TIMEOUT_MS covers the connect-only transfer).
    if (connection.active && connection.fd >= 0 && now - connection.sent >= timeout)
      fail_direct(connection, ErrorKind::timeout, now);
  }
}

}  // namespace bench::load
