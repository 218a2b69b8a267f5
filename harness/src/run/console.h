#pragma once
// What a person sees while a run goes on. Results (wrk-like blocks, the summary) go to stdout; log lines and the
// live progress line go to stderr. On a terminal the progress line redraws in place (variant, phase, level,
// elapsed, current requests/s); otherwise only plain log lines are written, so CI logs stay readable.

#include "util/duration.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace bench::run {

// The state shown in the live line.
struct Status {
  std::string variant;
  std::string phase;  // build, start, verify, warmup, measure, stop
  std::string level;  // "db c=50", "queries q=20 c=64"
  Nanos elapsed{0};
  Nanos planned{0};   // 0 when open-ended
  double requests_per_sec = 0;
};

class Console {
 public:
  // interactive: draw the live line (default: when stderr is a terminal).
  explicit Console(bool interactive);
  static Console for_terminal();

  // A log line on stderr ("[variant] phase: message"), above the live line.
  void log(std::string_view line);
  // Redraws the live line (only when interactive).
  void status(const Status& status);
  // Text for stdout (a result block, the summary), above the live line.
  void print(std::string_view text);
  // Removes the live line.
  void clear();

  bool interactive() const { return interactive_; }

 private:
  bool interactive_;
  bool line_drawn_ = false;
};

// The live line's text (without control characters), for tests.
std::string format_status(const Status& status);

}  // namespace bench::run
