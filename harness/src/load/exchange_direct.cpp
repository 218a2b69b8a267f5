// The direct exchange (exchange_direct.h). Hand-written because no library does this part for a libcurl connection:
// the response framing is http_parser's, the rest is connect/send/recv on a non-blocking socket.
#include "load/exchange_direct.h"

#include "load/exchange_libcurl.h"
#include "load/worker.h"

#include <algorithm>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace bench::load {

std::unique_ptr<Exchange> make_exchange(Worker& worker, CurlGroups& groups, const Options& options,
                                        const Target& target, size_t connections) {
  if (direct_exchange_possible(options))
    return std::make_unique<DirectExchange>(worker, groups, options, target, connections);
  return std::make_unique<LibcurlExchange>(worker, groups, options, connections);
}

size_t transfer_slots(const Options& options, size_t connections) {
  if (own_connect_possible(options)) return 0;
  return direct_exchange_possible(options) ? std::min(connections, kMaxConnecting) : connections;
}

DirectExchange::DirectExchange(Worker& worker, CurlGroups& groups, const Options& options, const Target& target,
                               size_t connections)
    : worker_(worker),
      groups_(groups),
      options_(options),
      target_(target),
      own_connect_(own_connect_possible(options)),
      connect_timeout_(std::chrono::duration_cast<Clock::duration>(options.connect_timeout)),
      watch_(groups.watch()),
      timeout_(std::chrono::duration_cast<Clock::duration>(options.timeout)),
      // A tenth of the timeout (so a timeout is counted at most 10% late), between 1 ms and the record interval.
      expiry_scan_(std::clamp<Clock::duration>(std::chrono::duration_cast<Clock::duration>(options.timeout / 10),
                                               std::chrono::milliseconds(1), std::chrono::milliseconds(100))),
      connections_(connections) {
  const std::string one = format_request(options.request);
  for (int i = 0; i < options.pipeline; ++i) request_bytes_ += one;
  read_buffer_.resize(static_cast<size_t>(kReceiveBufferBytes));
  if (!own_connect_) url_.reset(curl_url());
  if (url_ && curl_url_set(url_.get(), CURLUPART_URL, options.request.url.c_str(), 0) != CURLUE_OK) url_.reset();
  for (auto& connection : connections_) connection.reader = ResponseReader(options.request.method == "HEAD");
}

DirectExchange::~DirectExchange() { close_all(); }

void DirectExchange::start(uint32_t c, Clock::time_point now) {
  if (connections_[c].fd >= 0) {
    send_batch(c, now);
  } else {
    connect(c);
  }
}

bool DirectExchange::slot_free() const {
  if (own_connect_) return own_connecting_ < kMaxConnecting;
  return !idle_handles_.empty() || easy_handles_.size() < kMaxConnecting;
}

void DirectExchange::free_slot() {
  if (starting_queued_) return;  // an outer free_slot is starting them (a connect failing at once ends here)
  starting_queued_ = true;
  while (!connect_queue_.empty() && slot_free()) {
    const uint32_t next = connect_queue_.front();
    connect_queue_.pop_front();
    if (!connections_[next].started) --waiting_first_;
    connect(next);
  }
  starting_queued_ = false;
}

void DirectExchange::connect(uint32_t c) {
  if (!slot_free()) {
    connect_queue_.push_back(c);  // free_slot starts it when a slot comes back; no timeout runs meanwhile
    if (!connections_[c].started) ++waiting_first_;
    return;
  }
  Connection& connection = connections_[c];
  connection.started = true;
  if (own_connect_) {
    ++own_connecting_;
    connection.connecting = true;
    connection.tried = 0;
    connection.connect_started = Clock::now();
    open_socket(c, connection.connect_started);
    return;
  }
  if (idle_handles_.empty()) {
    CURL* easy = new_easy_handle(options_, groups_);
    idle_handles_.push_back(static_cast<uint32_t>(easy_handles_.size()));
    easy_handles_.emplace_back(easy);
    // The connect's own timeout covers the whole CONNECT_ONLY transfer (resolve and connect).
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(options_.connect_timeout).count()));
    curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);  // connect, then the socket is claimed (transfer_done)
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 1024L);  // libcurl's smallest: it never receives on these handles
    // The URL pre-parsed (libcurl reads it, never changes it): libcurl 7.88 otherwise parses CURLOPT_URL on every
    // transfer, and every connect is one here. 19% fewer instructions per connect in libcurl (callgrind, a loop of
    // CONNECT_ONLY transfers to nginx on loopback: 53,600 to 43,300).
    if (url_) curl_easy_setopt(easy, CURLOPT_CURLU, url_.get());
  }
  const uint32_t handle = idle_handles_.back();
  idle_handles_.pop_back();
  connection.handle = static_cast<int32_t>(handle);
  CURL* easy = easy_handles_[handle].get();
  CurlGroups::set_connection(easy, c);
  groups_.add(handle, easy);
}

void DirectExchange::open_socket(uint32_t c, Clock::time_point now) {
  Connection& connection = connections_[c];
  const size_t count = target_.addresses.size();
  if (connection.tried >= count) {  // none left (or the name did not resolve): as libcurl's COULDNT_CONNECT
    connect_failed(c, ErrorKind::connect, now);
    return;
  }
  connection.address = static_cast<uint32_t>((preferred_address_ + connection.tried) % count);
  const Address& address = target_.addresses[connection.address];
  ++connection.tried;
  const int fd = socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) {  // out of descriptors or memory: libcurl reports that as a failed connect too
    connect_failed(c, ErrorKind::connect, now);
    return;
  }
  const int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // as libcurl's CURLOPT_TCP_NODELAY, and wrk
  groups_.claim(fd);  // the exchange is its only holder: release() closes it
  connection.fd = fd;
  connection.events = 0;
  // Even a connect that succeeds at once is reported through the epoll set (writable at once), so a failure or a
  // success never recurses from here into the next connect.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0 || errno == EINPROGRESS) {
    watch(c, EPOLLOUT);
    return;
  }
  close(c);
  open_socket(c, now);  // refused or unreachable at once: the next address, or a connect error
}

void DirectExchange::own_connect_ready(uint32_t c, int mask, Clock::time_point now) {
  Connection& connection = connections_[c];
  // Writable without an error or hang-up: connected (as wrk takes it, without asking; a system call less per
  // connect). Otherwise SO_ERROR says whether it failed.
  int error = 0;
  if ((mask & CURL_CSELECT_ERR) || !(mask & CURL_CSELECT_OUT)) {
    socklen_t size = sizeof error;
    if (getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
    if (error == 0 && !(mask & CURL_CSELECT_OUT)) return;  // not writable yet: still connecting
  }
  if (error != 0) {
    close(c);
    open_socket(c, now);
    return;
  }
  preferred_address_ = connection.address;
  connection.connecting = false;
  --own_connecting_;
  const int fd = connection.fd;
  free_slot();
  connected(c, fd, now);
}

void DirectExchange::connect_failed(uint32_t c, ErrorKind kind, Clock::time_point now) {
  Connection& connection = connections_[c];
  close(c);
  if (connection.connecting) {
    connection.connecting = false;
    --own_connecting_;
  }
  free_slot();
  worker_.record_error(c, kind);
  worker_.next_request(c, kind == ErrorKind::connect, now);
}

void DirectExchange::transfer_done(uint32_t c, CURL* easy, CURLcode code, Clock::time_point now) {
  Connection& connection = connections_[c];
  curl_socket_t fd = CURL_SOCKET_BAD;
  if (code == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_ACTIVESOCKET, &fd);
  // Claimed before the transfer is removed: whenever libcurl closes its side, the descriptor stays ours.
  if (fd != CURL_SOCKET_BAD) groups_.claim(fd);
  groups_.remove(static_cast<uint32_t>(connection.handle), easy);
  idle_handles_.push_back(static_cast<uint32_t>(connection.handle));
  connection.handle = -1;
  if (fd == CURL_SOCKET_BAD) {
    // A CONNECT_ONLY transfer that timed out timed out connecting: a connect error, as on the own-connect path.
    const ErrorKind kind = code == CURLE_OK ? ErrorKind::other
                           : code == CURLE_OPERATION_TIMEDOUT ? ErrorKind::connect
                                                              : classify(code);
    connect_failed(c, kind, now);
    return;
  }
  free_slot();
  connected(c, fd, now);
}

void DirectExchange::connected(uint32_t c, int fd, Clock::time_point now) {
  Connection& connection = connections_[c];
  worker_.connection_up(c, now);
  if (connection.fd != fd) {  // claimed from libcurl (own sockets are in the epoll set for writing already)
    connection.fd = fd;
    connection.events = 0;
  }
  connection.received = 0;
  connection.reader.reset();
  if (waiting_first_ > 0) {
    // Connects first (exchange_direct.h). Watched for reading meanwhile, as after a send: a server that closes the
    // connection before its first request is noticed (ready), and the epoll entry libcurl made is kept as it is.
    connection.held = true;
    held_.push_back(c);
    watch(c, EPOLLIN);
    return;
  }
  release_held(now);
  send_batch(c, now);
}

void DirectExchange::release_held(Clock::time_point now) {
  for (const uint32_t c : held_) {
    if (!connections_[c].held) continue;  // closed while held (ready, fail), and on its way again
    connections_[c].held = false;
    send_batch(c, now);
  }
  held_.clear();
}

void DirectExchange::send_batch(uint32_t c, Clock::time_point now) {
  Connection& connection = connections_[c];
  connection.unsent = request_bytes_.size();
  connection.awaiting = static_cast<uint32_t>(options_.pipeline);
  worker_.request_sent(c, now);
  send_rest(c, now);
}

void DirectExchange::send_rest(uint32_t c, Clock::time_point now) {
  Connection& connection = connections_[c];
  const char* from = request_bytes_.data() + (request_bytes_.size() - connection.unsent);
  const ssize_t sent = send(connection.fd, from, connection.unsent, MSG_NOSIGNAL);
  if (sent < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      watch(c, EPOLLIN | EPOLLOUT);
    } else {
      fail(c, ErrorKind::write, now);
    }
    return;
  }
  connection.unsent -= static_cast<size_t>(sent);
  watch(c, connection.unsent > 0 ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

void DirectExchange::ready(uint32_t c, int mask) {
  Connection& connection = connections_[c];
  if (connection.fd < 0) return;  // a stale event for a socket closed earlier in this batch
  if (connection.connecting) {
    own_connect_ready(c, mask, Clock::now());
    return;
  }
  if ((mask & CURL_CSELECT_OUT) && connection.unsent > 0) {
    send_rest(c, Clock::now());
    if (connection.fd < 0) return;
  }
  if (!(mask & (CURL_CSELECT_IN | CURL_CSELECT_ERR))) return;
  // At most kMaxReadsPerEvent full buffers, then back to the worker's loop (epoll is level-triggered: the rest is
  // reported again): a server streaming without pause would otherwise hold the thread here, past timeouts and stop.
  for (int reads = 0; reads < kMaxReadsPerEvent; ++reads) {
    const ssize_t got = recv(connection.fd, read_buffer_.data(), read_buffer_.size(), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (connection.held) {
      // The server closed (or spoke on) a connection before its first request went out: counted as a read error, as
      // wrk, which would have sent that request, counts it; the connection connects again.
      fail(c, ErrorKind::read, Clock::now());
      return;
    }
    if (!worker_.active(c)) {
      // Idle (rate mode between sends): the server closed the connection, or said something nobody asked for.
      // Either way the connection is done; the next request connects afresh. Only unasked-for bytes are an error.
      close(c);
      if (got > 0) worker_.record_error(c, ErrorKind::read);
      return;
    }
    const auto now = Clock::now();  // one read for every answer in these bytes: they arrived together
    if (got <= 0) {  // closed (which may end a response without a length) or failed
      if (got == 0 && connection.reader.closed() == ResponseReader::Outcome::complete) {
        response_arrived(c, now, true);
      } else {
        fail(c, ErrorKind::read, now);
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
        fail(c, ErrorKind::read, now);
        return;
      }
      if (!response_arrived(c, now, false)) return;
    }
    if (static_cast<size_t>(got) < read_buffer_.size()) return;  // the rest is still on its way
  }
}

bool DirectExchange::response_arrived(uint32_t c, Clock::time_point now, bool closing) {
  Connection& connection = connections_[c];
  worker_.record_response(c, connection.reader.status(), connection.received, now);
  connection.received = 0;
  --connection.awaiting;
  const bool open = !closing && connection.reader.keep_alive();
  if (connection.awaiting > 0) {
    if (open) return true;  // more answers of this batch to come
    fail(c, ErrorKind::read, now);  // the server ended the connection with answers still owed
    return false;
  }
  // Done with the connection when the server closes it, or answered before taking the whole request (the rest of
  // it would be read as the start of the next one).
  if (!open || connection.unsent > 0) close(c);
  worker_.next_request(c, false, now);
  return false;
}

void DirectExchange::fail(uint32_t c, ErrorKind kind, Clock::time_point now) {
  const uint32_t failed = std::max<uint32_t>(1, connections_[c].awaiting);  // every request of the batch unanswered
  close(c);
  worker_.record_error(c, kind, failed);
  worker_.next_request(c, false, now);
}

void DirectExchange::close(uint32_t c) {
  Connection& connection = connections_[c];
  if (connection.fd < 0) return;
  groups_.release(connection.fd);
  connection.fd = -1;
  connection.held = false;
  connection.events = 0;
  connection.unsent = 0;
  connection.awaiting = 0;
  connection.received = 0;
  connection.reader.reset();
}

void DirectExchange::watch(uint32_t c, uint32_t events) {
  Connection& connection = connections_[c];
  if (connection.events == events) return;
  watch_.watch(connection.fd, events, kClaimedOwner | c);
  connection.events = events;
}

Clock::time_point DirectExchange::expire(Clock::time_point now) {
  for (uint32_t c = 0; c < connections_.size(); ++c) {
    // A request's timeout runs from its send (held ones have not sent theirs); a connect's from its slot (libcurl
    // times its own connects).
    const Connection& connection = connections_[c];
    if (connection.connecting) {
      if (now - connection.connect_started >= connect_timeout_) connect_failed(c, ErrorKind::connect, now);
    } else if (connection.fd >= 0 && worker_.on_wire(c) && now - worker_.sent_at(c) >= timeout_) {
      fail(c, ErrorKind::timeout, now);
    }
  }
  return now + expiry_scan_;
}

uint32_t DirectExchange::cancel_waiting() {
  auto waiting = static_cast<uint32_t>(connect_queue_.size());
  const auto now = Clock::now();
  for (const uint32_t c : connect_queue_) worker_.next_request(c, false, now);  // never sent: idle, and stays so
  connect_queue_.clear();
  waiting_first_ = 0;
  for (const uint32_t c : held_) {
    if (!connections_[c].held) continue;
    connections_[c].held = false;  // connected, stays open and idle
    worker_.next_request(c, false, now);
    ++waiting;
  }
  held_.clear();
  return waiting;
}

void DirectExchange::close_all() {
  connect_queue_.clear();
  waiting_first_ = 0;
  held_.clear();
  own_connecting_ = 0;
  for (uint32_t c = 0; c < connections_.size(); ++c) {
    Connection& connection = connections_[c];
    connection.connecting = false;
    if (connection.handle >= 0) {
      const auto handle = static_cast<uint32_t>(connection.handle);
      groups_.remove(handle, easy_handles_[handle].get());
      idle_handles_.push_back(handle);
      connection.handle = -1;
    }
    close(c);
  }
}

}  // namespace bench::load
