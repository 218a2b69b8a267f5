#pragma once
// What a single check returns before it is tied to a test and URL: a level and a reason. An empty list means the
// check passed. Recorder turns lists of problems into the findings of a Report.

#include <string>
#include <vector>

#include "verify/verifier.h"

namespace bench::verify {

struct Problem {
  Level level = Level::fail;
  std::string message;
};
using Problems = std::vector<Problem>;

// The worst level in a list (pass when empty).
Level worst(const Problems& problems);

// Collects the findings of one test type into a Report.
class Recorder {
 public:
  explicit Recorder(std::string test) : test_(std::move(test)) {}

  // Adds every problem as a finding for `url`, or one pass finding saying `what_passed` when there are none.
  void add(const std::string& url, const Problems& problems, const std::string& what_passed);

  // Adds one finding directly.
  void add(const std::string& url, Level level, const std::string& message);

  Report take() { return std::move(report_); }

 private:
  std::string test_;
  Report report_;
};

}  // namespace bench::verify
