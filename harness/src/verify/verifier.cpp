#include "verify/verifier.h"

#include <algorithm>
#include <exception>

#include "verify/http_client.h"
#include "verify/problem.h"
#include "verify/test_types.h"

namespace bench::verify {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::pass: return "pass";
    case Level::warn: return "warn";
    case Level::fail: return "fail";
  }
  return "?";
}

std::string_view to_string(TestKind kind) {
  switch (kind) {
    case TestKind::json: return "json";
    case TestKind::db: return "db";
    case TestKind::queries: return "queries";
    case TestKind::fortunes: return "fortunes";
    case TestKind::updates: return "updates";
    case TestKind::plaintext: return "plaintext";
  }
  return "?";
}

Level Report::worst() const {
  Level level = Level::pass;
  for (const auto& finding : findings) level = std::max(level, finding.level);
  return level;
}

bool Report::failed() const { return worst() == Level::fail; }

void Report::append(const Report& other) {
  findings.insert(findings.end(), other.findings.begin(), other.findings.end());
}

QueryCounts operator-(const QueryCounts& after, const QueryCounts& before) {
  return QueryCounts{after.select_world_calls - before.select_world_calls,
                     after.select_world_rows - before.select_world_rows,
                     after.update_world_calls - before.update_world_calls,
                     after.update_world_rows - before.update_world_rows,
                     after.select_fortune_calls - before.select_fortune_calls,
                     after.select_fortune_rows - before.select_fortune_rows};
}

Report verify(TestKind kind, const std::string& base_url, const std::string& path, DbProbe* db,
              const Options& options) {
  Recorder recorder{std::string(to_string(kind))};
  try {
    HttpClient client(options.timeout);
    const Target target{client, base_url, path, db, options};
    switch (kind) {
      case TestKind::json: verify_json(target, recorder); break;
      case TestKind::plaintext: verify_plaintext(target, recorder); break;
      case TestKind::db: verify_db(target, recorder); break;
      case TestKind::fortunes: verify_fortunes(target, recorder); break;
      case TestKind::queries: verify_queries(target, false, recorder); break;
      case TestKind::updates: verify_queries(target, true, recorder); break;
    }
  } catch (const std::exception& e) {
    recorder.add(base_url + path, Level::fail, std::string("verification aborted: ") + e.what());
  }
  return recorder.take();
}

}  // namespace bench::verify
