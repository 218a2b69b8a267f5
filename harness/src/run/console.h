#pragma once
// What a person sees while a run goes on. Results (wrk-like blocks, the summary) go to stdout; log lines and the
// live progress line go to stderr. On a terminal the progress line redraws in place (variant, phase, level,
// elapsed, current requests/s); otherwise only plain log lines are written, so CI logs stay readable.

#include "util/duration.h"

#include <chrono>
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
  // The whole run's progress, appended as "pass 3/14, ~2m left" when passes > 0 (Console fills these in).
  int pass = 0;       // 1-based
  int passes = 0;
  Nanos left{0};
};

class Console {
 public:
  // interactive: draw the live line (default: when stderr is a terminal).
  explicit Console(bool interactive);
  static Console for_terminal();

  // A log line on stderr ("[variant] phase: message"), above the live line; nothing when quiet.
  void log(std::string_view line);
  // An error (a failed variant, a database that did not start): on stderr even when quiet.
  void error(std::string_view line);
  // Quiet: no log lines and no live line; errors and what print() gets (the summary) still appear.
  void set_quiet(bool quiet) { quiet_ = quiet; }
  bool quiet() const { return quiet_; }
  // The run's progress shown on the live line from now on: pass `pass` of `passes` (1-based) has begun and the
  // rest of the run is expected to take `left` (run/progress.h), counted down from now.
  void set_progress(int pass, int passes, Nanos left);
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
  bool quiet_ = false;
  int pass_ = 0;
  int passes_ = 0;
  std::chrono::steady_clock::time_point expected_end_{};
};

// The live line's text (without control characters), for tests.
std::string format_status(const Status& status);
// "pass 3/14, ~2m left" (whole seconds under a minute, whole minutes above).
std::string format_progress(int pass, int passes, Nanos left);

}  // namespace bench::run
