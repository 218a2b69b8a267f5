#pragma once
// HTTP/1.1 on a socket bench owns: the request's bytes, written once per run, and a response reader on the
// http_parser library (Debian's libhttp-parser, the parser wrk uses). Used by the worker's direct exchange
// (exchange_direct.cpp), where bench (or, on request, libcurl) opens the connection and bench does the request/response exchange itself.

#include "load/engine.h"

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace bench::load {

// True when the direct exchange can carry this request: plain http:// without credentials in the URL, HTTP/1.1
// (https, --http2 and authentication need libcurl's whole transfer), and the caller did not ask for libcurl's.
bool direct_exchange_possible(const Options& options);
// True when, on top of that, bench opens the connections itself (Options::libcurl_connect not set).
bool own_connect_possible(const Options& options);

// The bytes of one request: "METHOD /path?query HTTP/1.1", Host (as libcurl would send it), the user's headers,
// Content-Length when there is a body, then the body. A user header replaces the default of the same name (Host,
// Content-Length); "Name:" with nothing after the colon removes it, as with curl -H. Throws std::invalid_argument
// when the URL cannot be parsed.
std::string format_request(const Request& request);

// Reads responses one at a time from a keep-alive connection. It stops at the end of each response; whether bytes
// after it were asked for (pipelining) is the caller's to judge.
class ResponseReader {
 public:
  enum class Outcome { partial, complete, error };

  // head: responses to HEAD have no body, whatever their Content-Length says.
  explicit ResponseReader(bool head = false);

  // Starts over for a fresh connection.
  void reset();
  // Feeds bytes read from the socket. complete: one whole response ended after the first `used` of them (feed the
  // rest again for the next one); partial: all of them were used and the response goes on.
  Outcome feed(const char* data, size_t size, size_t& used);
  // The peer closed the connection: completes a response whose end is the close (no Content-Length); partial when
  // nothing of a response had arrived; error when the close cut a response short.
  Outcome closed();

  // After complete: the response's status and whether the connection may carry another request.
  int status() const { return status_; }
  bool keep_alive() const { return keep_alive_; }

 private:
  static int on_message_begin(http_parser* parser);
  static int on_headers_complete(http_parser* parser);
  static int on_message_complete(http_parser* parser);

  static const http_parser_settings settings_;
  http_parser parser_{};
  bool head_;
  bool started_ = false;   // bytes of the current response have arrived
  bool completed_ = false; // the current response ended inside the last feed
  int status_ = 0;
  bool keep_alive_ = true;
};

}  // namespace bench::load
