#include "verify/problem.h"

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
  report_.findings.push_back(Finding{test_, url, level, message});
}

}  // namespace bench::verify
