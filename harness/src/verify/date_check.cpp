// verify_date_header: TFB's cached-Date check, over a new and a kept-alive connection.
#include <algorithm>
#include <optional>
#include <thread>

#include "verify/http_client.h"
#include "verify/problem.h"
#include "verify/verifier.h"

namespace bench::verify {

namespace {

// The Date of one request, or the reason there is none.
struct DateAnswer {
  std::optional<std::string> date;
  std::string problem;
};

DateAnswer ask_date(HttpClient& client, const std::string& url) {
  const auto response = client.get(url);
  if (!response.error.empty()) return {std::nullopt, "no response: " + response.error};
  auto date = response.header("Date");
  if (!date) return {std::nullopt, "no Date header"};
  return {date, ""};
}

}  // namespace

Report verify_date_header(const std::string& base_url, const std::string& path, std::chrono::milliseconds first_wait,
                          std::chrono::milliseconds deadline, const Options& options) {
  using Clock = std::chrono::steady_clock;
  constexpr auto kPollInterval = std::chrono::milliseconds(500);
  const std::string url = base_url + path;
  Recorder recorder("date");
  HttpClient kept_alive(options.timeout);
  const auto first = ask_date(kept_alive, url);
  if (!first.date) {
    recorder.add(url, Level::fail, first.problem);
    return recorder.take();
  }
  const auto start = Clock::now();
  bool fresh_changed = false;  // on a new connection, as TFB asks
  bool kept_changed = false;   // on the connection of the first request, as a benchmark client asks
  std::string last_date = *first.date;
  auto waited = std::chrono::milliseconds(0);
  for (auto wait = first_wait; !(fresh_changed && kept_changed) && waited < deadline;
       wait = std::min<std::chrono::milliseconds>(kPollInterval, deadline - waited)) {
    std::this_thread::sleep_for(wait);  // the check is about time passing: waiting is the point, not readiness
    HttpClient fresh_client(options.timeout);
    const auto fresh = ask_date(fresh_client, url);
    const auto kept = ask_date(kept_alive, url);
    for (const auto* answer : {&fresh, &kept}) {
      if (!answer->date) {
        recorder.add(url, Level::fail, answer->problem + " on a later request");
        return recorder.take();
      }
    }
    fresh_changed = fresh_changed || *fresh.date != *first.date;
    kept_changed = kept_changed || *kept.date != *first.date;
    last_date = *fresh.date;
    waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }
  const std::string span = std::to_string(waited.count()) + " ms";
  if (!fresh_changed) {
    recorder.add(url, Level::fail,
                 "Date unchanged ('" + *first.date + "') on requests " + span + " apart: a cached Date header");
  } else if (!kept_changed) {
    recorder.add(url, Level::warn,
                 "Date unchanged ('" + *first.date + "') for " + span +
                     " on a kept-alive connection (new connections get a current one): the Date is cached per "
                     "connection, so a benchmark client sees a stale Date");
  } else {
    recorder.add(url, Level::pass,
                 "Date changed from '" + *first.date + "' to '" + last_date + "' within " + span +
                     ", on new and kept-alive connections");
  }
  return recorder.take();
}

}  // namespace bench::verify
