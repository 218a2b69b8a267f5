#pragma once
// A minimal blocking HTTP GET client for verification: one libcurl easy handle, reused so the connection is kept
// alive like a benchmark client's, with the response headers captured (the checks need Server, Date, ...).

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bench::verify {

// One response as the checks see it. `error` is set (and status is 0) when no complete response arrived.
struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; a repeated header keeps its last value
  std::string body;
  std::string error;

  // The value of a header by case-insensitive name.
  std::optional<std::string> header(std::string_view name) const;
};

// Reuses one easy handle (and so one keep-alive connection) for all requests.
class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GETs `url` with the given Accept header (empty: curl's default). Never throws for network errors.
  HttpResponse get(const std::string& url, const std::string& accept = "");

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace bench::verify
