#include "util/number.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bench {

namespace {

double scale_of(std::string_view suffix) {
  if (suffix.empty()) return 1;
  if (suffix.size() == 1) {
    switch (suffix[0]) {
      case 'k': case 'K': return 1e3;
      case 'm': case 'M': return 1e6;
      case 'g': case 'G': return 1e9;
      default: break;
    }
  }
  return 0;
}

}  // namespace

double parse_count(std::string_view text) {
  const auto fail = [&](const std::string& why) -> double {
    throw std::invalid_argument("invalid number '" + std::string(text) + "': " + why +
                                " (expected a number >= 0 with an optional k, M or G: 1000, 20k, 1.5M)");
  };
  if (text.empty()) return fail("empty");
  if (text.front() == '-') return fail("negative");
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) return fail("too large");
  if (ec != std::errc() || ptr == text.data()) return fail("no number");
  if (!std::isfinite(value)) return fail("not a finite number");
  const std::string_view suffix(ptr, static_cast<size_t>(end - ptr));
  const double scale = scale_of(suffix);
  if (scale == 0) return fail("unknown suffix '" + std::string(suffix) + "'");
  value *= scale;
  if (!std::isfinite(value)) return fail("too large");
  if (value < 0) return fail("negative");
  return value == 0 ? 0.0 : value;  // no -0
}

double parse_rate(std::string_view text) {
  const double rate = parse_count(text);
  if (rate > kMaxRate) {
    throw std::invalid_argument("rate '" + std::string(text) + "' is above the most the load engine schedules, " +
                                "100M requests/s (1e8)");
  }
  if (rate > 0 && rate < kMinRate) {
    throw std::invalid_argument("rate '" + std::string(text) + "' is below the least the load engine schedules, " +
                                "0.001 requests/s (one every 1000 s); 0 means closed loop");
  }
  return rate;
}

}  // namespace bench
