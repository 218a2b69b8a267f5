#include "util/duration.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace bench {

namespace {

struct Unit {
  std::string_view suffix;
  double nanos;
};

// Longest suffixes first so that "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {
    {"ns", 1.0},         {"us", 1e3},          {"ms", 1e6},   {"s", 1e9},
    {"m", 60e9},         {"min", 60e9},        {"h", 3600e9}, {"d", 86400e9},
};

}  // namespace

Nanos parse_duration(std::string_view text) {
  const auto fail = [&](const std::string& why) -> Nanos {
    throw std::invalid_argument("invalid duration '" + std::string(text) + "': " + why +
                                " (expected a number with a unit: 10s, 2m, 1h, 250ms, 800us)");
  };
  if (text.empty()) return fail("empty");
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin) return fail("no number");
  if (!std::isfinite(value)) return fail("not a finite number");
  if (value < 0) return fail("negative");
  const std::string_view suffix(ptr, static_cast<size_t>(end - ptr));
  double scale = 1e9;  // a bare number means seconds, as in wrk
  if (!suffix.empty()) {
    bool found = false;
    for (const auto& unit : kUnits) {
      if (suffix == unit.suffix) {
        scale = unit.nanos;
        found = true;
        break;
      }
    }
    if (!found) return fail("unknown unit '" + std::string(suffix) + "'");
  }
  const double nanos = value * scale;
  if (nanos > 9.2e18) return fail("too large");
  return Nanos(static_cast<int64_t>(std::llround(nanos)));
}

std::string format_duration(Nanos d) {
  using namespace std::chrono;
  const int64_t ns = d.count();
  if (ns == 0) return "0s";
  if (ns % 1'000'000'000 == 0) {
    int64_t s = ns / 1'000'000'000;
    std::string out;
    if (s >= 3600) { out += std::to_string(s / 3600) + "h"; s %= 3600; }
    if (s >= 60) { out += std::to_string(s / 60) + "m"; s %= 60; }
    if (s > 0) out += std::to_string(s) + "s";
    return out;
  }
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return std::to_string(ns) + "ns";
}

}  // namespace bench
