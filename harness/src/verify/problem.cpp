#include "verify/problem.h"

#include "util/utf8.h"

#include <algorithm>

namespace bench::verify {

Level worst(const Problems& problems) {
  Level level = Level::pass;
  for (const auto& problem : problems) level = std::max(level, problem.level);
  return level;
}

void Recorder::add(const std::string& url, const Problems& problems, const std::string& what_passed) {
  if (problems.empty()) {
    add(url, Level::pass, what_passed);
    return;
  }
  for (const auto& problem : problems) add(url, problem.level, problem.message);
}

void Recorder::add(const std::string& url, Level level, const std::string& message) {
  // Messages quote bodies and headers, often cut to an excerpt: kept valid UTF-8 whatever the cut (util/utf8.h).
  report_.findings.push_back(Finding{test_, util::valid_utf8(url), level, util::valid_utf8(message)});
}

}  // namespace bench::verify
