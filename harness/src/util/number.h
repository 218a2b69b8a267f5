#pragma once
// Counts and rates as users write them ("1000", "20k", "1.5M", "2G", "1e6"), parsed in one place for the command
// line (bench load -R, -c, -t) and the YAML (load.rate) alike.
//
// Locale-independent (std::from_chars: "1.5" is one and a half whatever LC_NUMERIC says). The suffixes are wrk's
// metric units, read case-insensitively as wrk does: k = 1e3, M = 1e6, G = 1e9.

#include <string_view>

namespace bench {

// The highest total rate (requests/s) a load run accepts: 100 million a second, far beyond what one machine's
// loopback answers (a few million), and low enough that the schedule's interval between two sends on one connection
// (connections * pipeline / rate, in whole nanoseconds) is at least 10 ns and never rounds to zero.
inline constexpr double kMaxRate = 1e8;
// The lowest rate above 0: one request every 1000 s. Below it the interval between two sends on a connection leaves
// the clock's range (1e-300 did).
inline constexpr double kMinRate = 1e-3;

// Parses a finite number >= 0 with an optional suffix (k, M, G). Throws std::invalid_argument saying what was
// expected: empty text, no number, a sign, spaces, an unknown suffix, infinity, NaN or a negative value.
double parse_count(std::string_view text);

// A rate in requests/s through parse_count: 0 (closed loop), or from kMinRate to kMaxRate (the message names the
// limit). Throws std::invalid_argument.
double parse_rate(std::string_view text);

}  // namespace bench
