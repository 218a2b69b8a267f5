#pragma once
// Durations as users write them ("10s", "2m", "1.5h", "250ms", "800us", bare "15" = seconds), parsed in one place
// for the command line and the YAML alike.

#include <chrono>
#include <string>
#include <string_view>

namespace bench {

using Nanos = std::chrono::nanoseconds;

// Parses a duration. Throws std::invalid_argument with a message saying what was expected.
// Negative values, empty strings, unknown units and values that overflow are rejected; zero is accepted
// (callers that need a positive duration check that themselves, so the message can name their flag or key).
Nanos parse_duration(std::string_view text);

// A short human form: "15s", "1m30s", "250ms", "800us".
std::string format_duration(Nanos d);

// Seconds as a double, for rates and reports.
inline double to_seconds(Nanos d) { return std::chrono::duration<double>(d).count(); }

}  // namespace bench
