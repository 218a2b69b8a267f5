// libcurl's exchange (exchange.h): every request is a whole libcurl transfer. Used for https://, --http2 and
// --libcurl-exchange.
#include "load/exchange_libcurl.h"

#include "load/worker.h"

#include <algorithm>
#include <netinet/in.h>
#include <linux/tcp.h>  // struct tcp_info with tcpi_bytes_received (glibc's netinet/tcp.h lacks it)
#include <stdexcept>
#include <string>
#include <sys/socket.h>

namespace bench::load {

namespace {

template <typename T>
void set(CURL* easy, CURLoption option, T value) {
  if (curl_easy_setopt(easy, option, value) != CURLE_OK)
    throw std::runtime_error("libcurl rejected option " + std::to_string(static_cast<int>(option)));
}

long milliseconds(Nanos d) { return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); }

size_t on_body(char*, size_t size, size_t count, void*) { return size * count; }  // counted, never copied

}  // namespace

CURL* new_easy_handle(const Options& options, CurlGroups& groups) {
  CURL* easy = curl_easy_init();
  if (!easy) throw std::runtime_error("curl_easy_init failed");
  set(easy, CURLOPT_URL, options.request.url.c_str());
  set(easy, CURLOPT_NOSIGNAL, 1L);  // without it libcurl 7.88 spends CPU on signal handling around every resolve
  set(easy, CURLOPT_NOPROXY, "*");  // as wrk: straight to the target (and no proxy lookup in the environment)
  set(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connect_timeout));
  set(easy, CURLOPT_TCP_NODELAY, 1L);
  if (options.insecure) {
    set(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    set(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  groups.adopt(easy);
  return easy;
}

LibcurlExchange::LibcurlExchange(Worker& worker, CurlGroups& groups, const Options& options, size_t connections)
    : worker_(worker),
      groups_(groups),
      options_(options),
      tls_(options.request.url.rfind("https:", 0) == 0 || options.request.url.rfind("HTTPS:", 0) == 0),
      connections_(connections) {
  const Request& request = options.request;
  std::vector<std::string> headers = request.headers;
  if (!request.body.empty()) headers.push_back("Expect:");  // no 100-continue round trip for bodies
  for (const auto& header : headers) {
    curl_slist* grown = curl_slist_append(headers_.get(), header.c_str());
    if (!grown) throw std::runtime_error("curl_slist_append failed");
    headers_.release();
    headers_.reset(grown);
  }
  for (uint32_t c = 0; c < connections_.size(); ++c) {
    Connection& connection = connections_[c];
    connection.easy.reset(new_easy_handle(options, groups));
    CURL* easy = connection.easy.get();
    CurlGroups::set_connection(easy, c);
    // The connect has its own timeout (new_easy_handle); this one covers the whole transfer, including a connect
    // when the connection must be made anew (after an error or the server's close): libcurl has no timeout that
    // starts when the request's bytes go out.
    set(easy, CURLOPT_TIMEOUT_MS, milliseconds(options.timeout));
    set(easy, CURLOPT_WRITEFUNCTION, &on_body);
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
}

LibcurlExchange::~LibcurlExchange() { close_all(); }

void LibcurlExchange::start(uint32_t c, Clock::time_point now) {
  Connection& connection = connections_[c];
  worker_.request_sent(c, now);  // libcurl sends as soon as it can; it tells nothing finer
  connection.in_multi = true;
  groups_.add(c, connection.easy.get());
}

void LibcurlExchange::transfer_done(uint32_t c, CURL* easy, CURLcode code, Clock::time_point now) {
  Connection& connection = connections_[c];
  long status = 0;
  uint64_t wire_bytes = 0;
  if (code == CURLE_OK) {  // read while the transfer still knows its connection; in warmup too (received_bytes)
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    wire_bytes = received_bytes(easy);
  }
  connection.in_multi = false;
  groups_.remove(c, easy);  // the connection stays cached for the next request
  if (code == CURLE_UNSUPPORTED_PROTOCOL && connection.h2_established && !worker_.stopping()) {
    // --http2 after the server closed the connection (nginx sends GOAWAY every 1,000 requests): keep_http2's
    // work-around asked for an h2c upgrade, which a prior-knowledge-only server cannot parse. Nothing was measured;
    // go back to prior knowledge on a fresh connection and send this request again, on the same schedule.
    keep_http2(connection, code);
    start(c, now);
    return;
  }
  // The connection's own connect (a fresh one for this transfer), and whether it completed: libcurl times from the
  // transfer's start, so the connect ended total - connect time before now.
  long new_connections = 0;
  curl_off_t total_us = 0;
  curl_off_t connect_us = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
  curl_easy_getinfo(easy, tls_ ? CURLINFO_APPCONNECT_TIME_T : CURLINFO_CONNECT_TIME_T, &connect_us);
  if (connect_us > 0 && (new_connections > 0 || code == CURLE_OK))
    worker_.connection_up(c, now - std::chrono::microseconds(std::max<curl_off_t>(0, total_us - connect_us)));
  ErrorKind error = ErrorKind::other;
  if (code == CURLE_OK) {
    worker_.record_response(c, status, wire_bytes, now);
  } else {
    error = classify(code);
    // Timed out before its connection was up: time spent connecting is never a request timeout (engine.h).
    if (error == ErrorKind::timeout && connect_us == 0) error = ErrorKind::connect;
    worker_.record_error(c, error);
  }
  if (options_.request.http2) keep_http2(connection, code);
  worker_.next_request(c, code != CURLE_OK && error == ErrorKind::connect, now);
}

uint64_t LibcurlExchange::received_bytes(CURL* easy) {
  // Wire bytes, as wrk and the direct exchange count them. libcurl reports only the headers' size and the body's
  // after decoding (no chunked framing, no HTTP/2 frames), so on a plain TCP connection the kernel's count of bytes
  // received (TCP_INFO's tcpi_bytes_received, Linux 4.1+) is read after each transfer and the difference taken. Over
  // TLS wrk counts the decrypted bytes, so there libcurl's headers + body are the figure.
  long new_connections = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
  curl_socket_t fd = CURL_SOCKET_BAD;
  tcp_info info{};
  socklen_t size = sizeof info;
  if (!tls_ && curl_easy_getinfo(easy, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK && fd != CURL_SOCKET_BAD &&
      getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) == 0 &&
      size >= offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received) {
    uint64_t& seen = wire_seen_[fd];
    if (new_connections > 0 || seen > info.tcpi_bytes_received) seen = 0;  // a fresh connection on this descriptor
    const uint64_t received = info.tcpi_bytes_received - seen;
    seen = info.tcpi_bytes_received;
    return received;
  }
  long header_bytes = 0;
  curl_off_t body_bytes = 0;
  curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
  curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
  return static_cast<uint64_t>(header_bytes) + static_cast<uint64_t>(body_bytes);
}

void LibcurlExchange::keep_http2(Connection& connection, CURLcode code) {
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

void LibcurlExchange::close_all() {
  for (uint32_t c = 0; c < connections_.size(); ++c) {
    Connection& connection = connections_[c];
    if (connection.in_multi) groups_.remove(c, connection.easy.get());
    connection.in_multi = false;
  }
}

}  // namespace bench::load
