#include "load/http1.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace bench::load {

namespace {

std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || !text) return {};
  std::string value = text;
  curl_free(text);
  return value;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The header's name, lower-cased ("X-Test: yes" -> "x-test"), and whether it has a value.
std::pair<std::string, bool> name_of(const std::string& header) {
  const auto colon = header.find(':');
  const auto value = header.find_first_not_of(" \t", colon + 1);
  return {lower(std::string_view(header).substr(0, colon)), value != std::string::npos};
}

}  // namespace

bool direct_exchange_possible(const Options& options) {
  if (options.libcurl_exchange || options.request.http2) return false;
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, options.request.url.c_str(), 0) != CURLUE_OK) return false;
  // Credentials in the URL ask for authentication, which is libcurl's to do.
  return url_part(url.get(), CURLUPART_SCHEME) == "http" && url_part(url.get(), CURLUPART_USER).empty() &&
         url_part(url.get(), CURLUPART_PASSWORD).empty();
}

bool own_connect_possible(const Options& options) {
  return !options.libcurl_connect && direct_exchange_possible(options);
}

std::string format_request(const Request& request) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0) != CURLUE_OK)
    throw std::invalid_argument("invalid URL '" + request.url + "'");
  std::string target = url_part(url.get(), CURLUPART_PATH);
  if (target.empty()) target = "/";
  if (const auto query = url_part(url.get(), CURLUPART_QUERY); !query.empty()) target += "?" + query;
  std::string host = url_part(url.get(), CURLUPART_HOST);
  if (const auto port = url_part(url.get(), CURLUPART_PORT); !port.empty()) host += ":" + port;

  bool user_host = false;
  bool user_length = false;
  std::string user_headers;
  for (const auto& header : request.headers) {
    const auto [name, has_value] = name_of(header);
    user_host = user_host || name == "host";
    user_length = user_length || name == "content-length";
    if (has_value) user_headers += header + "\r\n";
  }
  std::string bytes = request.method + " " + target + " HTTP/1.1\r\n";
  if (!user_host) bytes += "Host: " + host + "\r\n";
  bytes += user_headers;
  if (!request.body.empty() && !user_length) bytes += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  bytes += "\r\n";
  bytes += request.body;
  return bytes;
}

const http_parser_settings ResponseReader::settings_ = [] {
  http_parser_settings settings{};
  settings.on_message_begin = &ResponseReader::on_message_begin;
  settings.on_headers_complete = &ResponseReader::on_headers_complete;
  settings.on_message_complete = &ResponseReader::on_message_complete;
  return settings;
}();

ResponseReader::ResponseReader(bool head) : head_(head) { reset(); }

void ResponseReader::reset() {
  http_parser_init(&parser_, HTTP_RESPONSE);
  parser_.data = this;
  started_ = completed_ = false;
  status_ = 0;
  keep_alive_ = true;
}

int ResponseReader::on_message_begin(http_parser* parser) {
  static_cast<ResponseReader*>(parser->data)->started_ = true;
  return 0;
}

int ResponseReader::on_headers_complete(http_parser* parser) {
  return static_cast<ResponseReader*>(parser->data)->head_ ? 1 : 0;  // 1: no body follows
}

int ResponseReader::on_message_complete(http_parser* parser) {
  auto* self = static_cast<ResponseReader*>(parser->data);
  self->started_ = false;
  if (parser->status_code / 100 == 1 && parser->status_code != 101) return 0;  // interim (100 Continue): read on
  self->completed_ = true;
  self->status_ = parser->status_code;
  self->keep_alive_ = http_should_keep_alive(parser) != 0;
  http_parser_pause(parser, 1);  // stop right after this response: the caller decides about what follows
  return 0;
}

ResponseReader::Outcome ResponseReader::feed(const char* data, size_t size, size_t& used) {
  parser_.data = this;  // the reader may have been moved since the last call
  completed_ = false;
  used = http_parser_execute(&parser_, &settings_, data, size);
  if (completed_) {
    http_parser_pause(&parser_, 0);
    return Outcome::complete;
  }
  return HTTP_PARSER_ERRNO(&parser_) == HPE_OK && used == size ? Outcome::partial : Outcome::error;
}

ResponseReader::Outcome ResponseReader::closed() {
  if (!started_) return Outcome::partial;
  parser_.data = this;
  completed_ = false;
  http_parser_execute(&parser_, &settings_, nullptr, 0);  // tells the parser the stream ended
  if (completed_) {
    http_parser_pause(&parser_, 0);
    keep_alive_ = false;
    return Outcome::complete;
  }
  return Outcome::error;
}

}  // namespace bench::load
