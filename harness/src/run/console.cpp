#include "run/console.h"

#include <fmt/core.h>
#include <unistd.h>

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
  return out;
}

void Console::clear() {
  if (!line_drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  line_drawn_ = false;
}

void Console::log(std::string_view line) {
  clear();
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

void Console::status(const Status& s) {
  if (!interactive_) return;
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
