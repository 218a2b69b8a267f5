#pragma once
// Findings in words for a person (the console, a variant's failure reason): each names the URL it is about, and one
// result given by several URLs is one line with a count, so "verification failed: 12 checks" lists what the 12 are.

#include <string>
#include <vector>

#include "verify/verifier.h"

namespace bench::verify {

// The URL without `base_url` ("/queries?queries=2"), or the whole URL when it does not start with it.
std::string url_path(const std::string& url, const std::string& base_url);

// One line per distinct (test, message) among the findings of `level`, in first-seen order:
// "queries /queries?queries=0: array of 0 rows, expected 1", or for a result several findings share
// "queries /queries?queries=2 (5 times, also /queries?queries=0, /queries?queries=foo and 2 more): ...".
struct SummaryLine {
  std::string text;
  size_t count = 0;  // findings this line stands for
};
std::vector<SummaryLine> summarize(const Report& report, Level level, const std::string& base_url);

// The failure reason of a variant: "verification failed: 12 checks failed (3 distinct)" and at most `max_lines`
// lines, then "... and N more" so the count and the list always agree.
std::string failure_reason(const Report& report, const std::string& base_url, size_t max_lines = 5);

}  // namespace bench::verify
