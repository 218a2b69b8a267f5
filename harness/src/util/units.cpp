#include "util/units.h"

#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <algorithm>
#include <vector>

namespace bench {

namespace {

struct Units {
  double scale;
  std::string_view base;
  std::vector<std::string_view> larger;  // the last one is never reached, as in wrk's table
};

// wrk's format_units: divide while the amount is at least 85% of the scale and a next-but-one unit exists.
std::string format_units(double n, const Units& units, int precision) {
  double amount = n;
  std::string_view unit = units.base;
  for (size_t i = 0; i + 1 < units.larger.size() && amount >= units.scale * 0.85; ++i) {
    amount /= units.scale;
    unit = units.larger[i];
  }
  char number[64];
  std::snprintf(number, sizeof number, "%.*f", precision, amount);
  return std::string(number) + std::string(unit);
}

const Units kTimeUs{1000, "us", {"ms", "s"}};
const Units kTimeS{60, "s", {"m", "h"}};
const Units kBinary{1024, "", {"K", "M", "G", "T", "P"}};
const Units kMetric{1000, "", {"k", "M", "G", "T", "P"}};

}  // namespace

std::string format_time_us(double us) {
  if (us >= 1'000'000.0) return format_units(us / 1'000'000.0, kTimeS, 2);
  return format_units(us, kTimeUs, 2);
}

std::string format_time_s(double seconds) { return format_units(seconds, kTimeS, 0); }

std::string format_binary(double bytes) { return format_units(bytes, kBinary, 2); }

std::string format_metric(double n) { return format_units(n, kMetric, 2); }

std::string pad_units(const std::string& formatted, int width) {
  // wrk's print_units: a value without a unit gets two spaces after it, one with a one-letter unit gets one, so the
  // digits line up in a column.
  int pad = 2;
  const size_t len = formatted.size();
  if (len >= 1 && std::isalpha(static_cast<unsigned char>(formatted[len - 1]))) --pad;
  if (len >= 2 && std::isalpha(static_cast<unsigned char>(formatted[len - 2]))) --pad;
  const int field = width - pad;
  std::string text = formatted.substr(0, static_cast<size_t>(std::max(field, 0)));
  std::string out(static_cast<size_t>(std::max(0, field - static_cast<int>(text.size()))), ' ');
  out += text;
  out.append(static_cast<size_t>(pad), ' ');
  return out;
}

}  // namespace bench
