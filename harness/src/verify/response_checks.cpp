#include "verify/response_checks.h"

#include <regex>
#include <string>

namespace bench::verify {

namespace {

// RFC 7231 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (TFB checks '%a, %d %b %Y %H:%M:%S %Z').
bool is_http_date(const std::string& date) {
  static const std::regex pattern(
      R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} )"
      R"(\d{2}:\d{2}:\d{2} (GMT|UTC)$)");
  return std::regex_match(date, pattern);
}

}  // namespace

std::string_view content_type_pattern(ContentKind kind) {
  switch (kind) {
    case ContentKind::json: return "^application/json(; ?charset=(UTF|utf)-8)?$";
    case ContentKind::html: return "^text/html; ?charset=(UTF|utf)-8$";
    case ContentKind::plaintext: return "^text/plain(; ?charset=(UTF|utf)-8)?$";
  }
  return "";
}

std::string_view accept_header(ContentKind kind) {
  switch (kind) {
    case ContentKind::json:
      return "application/json,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7";
    case ContentKind::html: return "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    case ContentKind::plaintext:
      return "text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7";
  }
  return "";
}

Problems check_transport(const HttpResponse& response) {
  if (!response.error.empty()) return {{Level::fail, "no response: " + response.error}};
  if (response.status != 200) {
    return {{Level::fail, "status " + std::to_string(response.status) + ", expected 200"}};
  }
  if (response.body.empty()) return {{Level::fail, "empty response body"}};
  return {};
}

Problems check_headers(const HttpResponse& response, ContentKind kind) {
  Problems problems;
  for (const char* name : {"Server", "Date", "Content-Type"}) {
    if (!response.header(name)) problems.push_back({Level::fail, std::string("required header missing: ") + name});
  }
  if (!response.header("Content-Length") && !response.header("Transfer-Encoding")) {
    problems.push_back({Level::fail, "required size header missing: neither Content-Length nor Transfer-Encoding"});
  }
  if (const auto date = response.header("Date"); date && !is_http_date(*date)) {
    problems.push_back({Level::warn, "Date header '" + *date + "' is not in the form 'Sun, 06 Nov 1994 08:49:37 GMT'"});
  }
  if (const auto type = response.header("Content-Type")) {
    const std::string pattern(content_type_pattern(kind));
    if (!std::regex_search(*type, std::regex(pattern))) {
      problems.push_back({Level::fail, "Content-Type '" + *type + "' does not match " + pattern});
    }
  }
  return problems;
}

}  // namespace bench::verify
