// json, plaintext, db and fortunes: one request each (plus the query-count burst for the database ones).
#include <algorithm>
#include <cctype>

#include "verify/fortunes.h"
#include "verify/json_checks.h"
#include "verify/response_checks.h"
#include "verify/test_types.h"

namespace bench::verify {

namespace {

constexpr std::string_view kHello = "hello, world!";

// Requests `url` and runs the transport, body and header checks; one pass finding when all hold.
// Returns false when the response was not usable (transport problems), so callers can stop early.
template <typename BodyCheck>
bool check_url(const Target& target, const std::string& url, ContentKind kind, BodyCheck body_check,
               Recorder& recorder) {
  const HttpResponse response = target.client.get(url, std::string(accept_header(kind)));
  if (auto problems = check_transport(response); !problems.empty()) {
    recorder.add(url, problems, "");
    return false;
  }
  Problems problems = body_check(response.body);
  const auto headers = check_headers(response, kind);
  problems.insert(problems.end(), headers.begin(), headers.end());
  recorder.add(url, problems, "status 200, required headers and body as expected");
  return true;
}

Problems check_plaintext_body(const std::string& body) {
  std::string lowered = body;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lowered.find(kHello) == std::string::npos) {
    return {{Level::fail, "body does not contain 'Hello, World!': '" + body.substr(0, 40) + "'"}};
  }
  if (body.size() > kHello.size()) {
    return {{Level::warn, std::to_string(body.size() - kHello.size()) + " bytes more than 'Hello, World!'"}};
  }
  return {};
}

}  // namespace

void verify_json(const Target& target, Recorder& recorder) {
  check_url(target, target.base_url + target.path, ContentKind::json, check_hello_body, recorder);
}

void verify_plaintext(const Target& target, Recorder& recorder) {
  check_url(target, target.base_url + target.path, ContentKind::plaintext, check_plaintext_body, recorder);
}

void verify_db(const Target& target, Recorder& recorder) {
  const std::string url = target.base_url + target.path;
  if (check_url(target, url, ContentKind::json, check_db_body, recorder)) {
    verify_query_burst(target, TestKind::db, url, recorder);
  }
}

void verify_fortunes(const Target& target, Recorder& recorder) {
  const std::string url = target.base_url + target.path;
  if (check_url(target, url, ContentKind::html, check_fortunes_body, recorder)) {
    verify_query_burst(target, TestKind::fortunes, url, recorder);
  }
}

}  // namespace bench::verify
