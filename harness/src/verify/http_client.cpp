#include "verify/http_client.h"

#include "util/utf8.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace bench::verify {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Called once per header line; a new status line (after a 1xx or a redirect) starts the header set afresh.
size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    // Headers and the body come from the server: valid UTF-8 from here on (util/utf8.h), since checks quote them
    // into results, which are JSON.
    headers[util::valid_utf8(lower(trim(line.substr(0, colon))))] = util::valid_utf8(trim(line.substr(colon + 1)));
  }
  return size * count;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  const auto it = headers.find(lower(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

struct HttpClient::Handle {
  struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  };
  std::unique_ptr<CURL, CurlDeleter> curl;
  std::chrono::milliseconds timeout;
};

HttpClient::HttpClient(std::chrono::milliseconds timeout) : handle_(std::make_unique<Handle>()) {
  handle_->curl.reset(curl_easy_init());
  if (!handle_->curl) throw std::runtime_error("curl_easy_init failed");
  handle_->timeout = timeout;
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const std::string& url, const std::string& accept) {
  HttpResponse response;
  CURL* curl = handle_->curl.get();
  char error[CURL_ERROR_SIZE] = {};
  struct CurlSlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };
  std::unique_ptr<curl_slist, CurlSlistDeleter> request_headers;
  if (!accept.empty()) request_headers.reset(curl_slist_append(nullptr, ("Accept: " + accept).c_str()));

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(handle_->timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(handle_->timeout.count()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, request_headers.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);  // the list dies with this call
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    response.error = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
    response.status = 0;
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = util::valid_utf8(response.body);  // a binary or cut body must not break the results (util/utf8.h)
  return response;
}

}  // namespace bench::verify
