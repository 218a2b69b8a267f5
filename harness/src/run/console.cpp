#include "run/console.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>

namespace bench::run {

Console::Console(bool interactive) : interactive_(interactive) {}

Console Console::for_terminal() { return Console(isatty(STDERR_FILENO) == 1); }

std::string format_status(const Status& s) {
  std::string out = fmt::format("[{}] {}", s.variant, s.phase);
  if (!s.level.empty()) out += " " + s.level;
  const double elapsed = to_seconds(s.elapsed);
  if (s.planned.count() > 0) {
    out += fmt::format("  {:.1f}s/{:.0f}s", elapsed, to_seconds(s.planned));
  } else if (elapsed > 0) {
    out += fmt::format("  {:.1f}s", elapsed);
  }
  if (s.requests_per_sec > 0) out += fmt::format("  {:.0f} req/s", s.requests_per_sec);
  if (s.passes > 0) out += "  " + format_progress(s.pass, s.passes, s.left);
  return out;
}

void Console::clear() {
  if (!line_drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  line_drawn_ = false;
}

std::string format_progress(int pass, int passes, Nanos left) {
  // Whole seconds: a countdown in tenths would only flicker; under a minute keeps its seconds, above it minutes.
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left + std::chrono::milliseconds(500));
  const Nanos rounded = seconds.count() >= 60 ? Nanos(std::chrono::minutes((seconds.count() + 30) / 60)) : Nanos(seconds);
  return fmt::format("pass {}/{}, ~{} left", pass, passes, format_duration(rounded));
}

void Console::set_progress(int pass, int passes, Nanos left) {
  pass_ = pass;
  passes_ = passes;
  expected_end_ = std::chrono::steady_clock::now() + left;
}

void Console::error(std::string_view line) {
  clear();
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

void Console::log(std::string_view line) {
  if (quiet_) return;
  clear();
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

void Console::status(const Status& status) {
  if (!interactive_ || quiet_) return;
  Status s = status;
  if (passes_ > 0) {
    s.pass = pass_;
    s.passes = passes_;
    s.left = std::max(Nanos(0), std::chrono::duration_cast<Nanos>(expected_end_ - std::chrono::steady_clock::now()));
  }
  fmt::print(stderr, "\r\033[K{}", format_status(s));
  std::fflush(stderr);
  line_drawn_ = true;
}

void Console::print(std::string_view text) {
  clear();
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace bench::run
