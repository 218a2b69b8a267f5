#pragma once
// One verification per TechEmpower test type (TFB's test_types/*.py). verifier.cpp picks one by TestKind; each
// requests its URLs, runs the checks of response_checks.h, json_checks.h, fortunes.h, ... and records findings.

#include <string>

#include "verify/http_client.h"
#include "verify/problem.h"
#include "verify/verifier.h"

namespace bench::verify {

// Everything a test type's verification needs.
struct Target {
  HttpClient& client;
  std::string base_url;
  std::string path;  // the scenario's path; queries/updates values are appended to it
  DbProbe* db;       // may be null
  Options options;
};

void verify_json(const Target& target, Recorder& recorder);
void verify_plaintext(const Target& target, Recorder& recorder);
void verify_db(const Target& target, Recorder& recorder);
void verify_fortunes(const Target& target, Recorder& recorder);
// queries and updates share TFB's cases ("2", "0", "foo", "501", ""); updates adds the before/after table check.
void verify_queries(const Target& target, bool updates, Recorder& recorder);

// The query-count burst: options.burst_requests GETs of `url` over options.burst_connections connections, with the
// pg_stat_statements delta compared by check_query_counts and the statements the test does not need named by
// check_extra_statements. Without a DbProbe, one warn says it was not checked.
void verify_query_burst(const Target& target, TestKind kind, const std::string& url, Recorder& recorder);

}  // namespace bench::verify
