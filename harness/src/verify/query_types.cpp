// queries and updates (TFB's verify_query_cases), and the query-count burst shared with db and fortunes.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "verify/json_checks.h"
#include "verify/query_counts.h"
#include "verify/response_checks.h"
#include "verify/statements.h"
#include "verify/test_types.h"
#include "verify/world_updates.h"

namespace bench::verify {

namespace {

constexpr size_t kMaxQueries = 500;

// One of TFB's cases: the value appended to the path, the rows it must give, and how bad a wrong answer is.
struct QueryCase {
  std::string value;
  size_t expected_rows;
  Level max_level;
};

// TFB's cases and order: a wrong count for an over-large value only warns (a clamp may come late to a framework).
const std::vector<QueryCase>& query_cases() {
  static const std::vector<QueryCase> cases = {
      {"2", 2, Level::fail}, {"0", 1, Level::fail}, {"foo", 1, Level::fail}, {"501", kMaxQueries, Level::warn},
      {"", 1, Level::fail}};
  return cases;
}

std::string no_database(const std::string& what) { return what + " not checked: no database access"; }

// Runs `probe` and turns a thrown error into a warn finding (the harness's side failed, not the server).
template <typename Probe>
bool call_probe(Probe probe, const std::string& url, const std::string& what, Recorder& recorder) {
  try {
    probe();
    return true;
  } catch (const std::exception& e) {
    recorder.add(url, Level::warn, what + " not checked: database probe failed: " + e.what());
    return false;
  }
}

// The before/after table check around the 501 case.
void check_updates_wrote(const std::map<int, int>& before, const std::map<int, int>& after,
                         const std::vector<WorldRow>& rows, const std::string& url, Recorder& recorder) {
  const size_t changed = changed_rows(before, after);
  recorder.add(url, check_changed_rows(changed, kMaxQueries),
               fmt::format("{} of {} rows changed in the database", changed, kMaxQueries));
  recorder.add(url, check_returned_rows(rows, after), "returned rows match the table after the request");
}

}  // namespace

void verify_queries(const Target& target, bool updates, Recorder& recorder) {
  const std::string base = target.base_url + target.path;
  const std::string accept(accept_header(ContentKind::json));
  bool any_usable = false;
  for (const auto& c : query_cases()) {
    const std::string url = base + c.value;
    const bool around_writes = updates && target.db && c.value == "501";
    std::map<int, int> before;
    if (around_writes && !call_probe([&] { before = target.db->world_snapshot(); }, url, "updates", recorder)) {
      continue;
    }
    const HttpResponse response = target.client.get(url, accept);
    if (auto problems = check_transport(response); !problems.empty()) {
      recorder.add(url, problems, "");
      continue;
    }
    any_usable = true;
    std::vector<WorldRow> rows;
    Problems problems = check_world_list(response.body, c.expected_rows, c.max_level, &rows);
    const auto headers = check_headers(response, ContentKind::json);
    problems.insert(problems.end(), headers.begin(), headers.end());
    recorder.add(url, problems, fmt::format("{} rows, headers as required", c.expected_rows));
    if (around_writes) {
      std::map<int, int> after;
      if (call_probe([&] { after = target.db->world_snapshot(); }, url, "updates", recorder)) {
        check_updates_wrote(before, after, rows, url, recorder);
      }
    } else if (updates && !target.db && c.value == "501") {
      recorder.add(url, Level::warn, no_database("changed rows"));
    }
  }
  if (any_usable) {
    verify_query_burst(target, updates ? TestKind::updates : TestKind::queries,
                       base + std::to_string(target.options.burst_queries), recorder);
  }
}

namespace {

// Sends `requests` GETs of `url` over `connections` concurrent keep-alive connections, each taking the next request
// as soon as its previous answer is in. Returns the first transport problem ("request 7 of 512 failed: ..."), or
// an empty string when every request got a usable answer.
std::string send_burst(const std::string& url, const std::string& accept, int requests, int connections,
                       std::chrono::milliseconds timeout) {
  std::atomic<int> next{0};
  std::mutex mutex;
  std::string first_problem;
  const auto record = [&](std::string problem) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (first_problem.empty()) first_problem = std::move(problem);
    next = requests;  // stop the other connections too
  };
  const auto worker = [&] {
    try {  // nothing may escape a thread
      HttpClient client(timeout);
      for (int i = next++; i < requests; i = next++) {
        const HttpResponse response = client.get(url, accept);
        if (auto problems = check_transport(response); !problems.empty()) {
          record(fmt::format("request {} of {} failed: {}", i + 1, requests, problems.front().message));
          return;
        }
      }
    } catch (const std::exception& e) {
      record(e.what());
    }
  };
  std::vector<std::thread> threads;
  const int count = std::clamp(connections, 1, std::max(requests, 1));
  for (int c = 1; c < count; ++c) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();
  return first_problem;
}

bool same(const QueryCounts& a, const QueryCounts& b) {
  return a.select_world_calls == b.select_world_calls && a.select_world_rows == b.select_world_rows &&
         a.update_world_calls == b.update_world_calls && a.update_world_rows == b.update_world_rows &&
         a.select_fortune_calls == b.select_fortune_calls && a.select_fortune_rows == b.select_fortune_rows;
}

// The counters once they stop moving: work still running from an earlier request (a 501 case that timed out goes on
// in the server) must not be counted against the burst. Two reads kSettle apart that agree, or the last read at
// `deadline`.
QueryCounts settled_counts(DbProbe& db, std::chrono::milliseconds deadline) {
  constexpr auto kSettle = std::chrono::milliseconds(150);
  const auto until = std::chrono::steady_clock::now() + deadline;
  QueryCounts last = db.query_counts();
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(kSettle);  // the interval of a poll with a deadline, not a stand-in for readiness
    const QueryCounts now = db.query_counts();
    if (same(now, last)) return now;
    last = now;
  }
  return last;
}

}  // namespace

void verify_query_burst(const Target& target, TestKind kind, const std::string& url, Recorder& recorder) {
  if (!target.db) {
    recorder.add(url, Level::warn, no_database("query counts"));
    return;
  }
  if (const auto why = target.db->counts_unavailable()) {
    recorder.add(url, Level::warn, "query counts not checked: " + *why);
    return;
  }
  const int requests = target.options.burst_requests;
  QueryCounts before;
  std::vector<StatementCalls> statements_before;
  if (!call_probe([&] { before = settled_counts(*target.db, target.options.timeout); }, url, "query counts",
                  recorder))
    return;
  const bool per_statement =
      call_probe([&] { statements_before = target.db->statements(); }, url, "extra statements", recorder);
  const std::string accept(accept_header(kind == TestKind::fortunes ? ContentKind::html : ContentKind::json));
  const std::string problem =
      send_burst(url, accept, requests, target.options.burst_connections, target.options.timeout);
  if (!problem.empty()) {
    recorder.add(url, Level::fail, "query-count burst: " + problem);
    return;
  }
  QueryCounts after;
  if (!call_probe([&] { after = target.db->query_counts(); }, url, "query counts", recorder)) return;
  const auto result = check_query_counts(kind, after - before, requests, target.options.burst_queries);
  recorder.add(url, result.problems,
               fmt::format("query counts over {} requests: {}", requests, result.summary));
  std::vector<StatementCalls> statements_after;
  if (per_statement &&
      call_probe([&] { statements_after = target.db->statements(); }, url, "extra statements", recorder)) {
    const auto extra = check_extra_statements(kind, statement_delta(statements_after, statements_before), requests);
    for (const auto& p : extra) recorder.add(url, p.level, p.message);
  }
}

}  // namespace bench::verify
