#pragma once
// Numbers in wrk's units, so output that imitates wrk reads (and parses) the same: "635.91us", "12.57ms", "2.00s",
// "7.03M" (binary, 1024), "3.28k" (metric, 1000). Hand-written after wrk's units.c: a unit is chosen once the value
// reaches 85% of the next scale.

#include <string>

namespace bench {

// Microseconds: "635.91us", "12.57ms", "1.50s", "2.00m".
std::string format_time_us(double us);
// Whole seconds for wrk's "Running 10s test" line: "10s", "2m", "1h".
std::string format_time_s(double seconds);
// Bytes with 1024 steps, without the trailing "B" (wrk prints "%sB"): "512.00", "7.03M", "1.20G".
std::string format_binary(double bytes);
// Plain counts with 1000 steps: "950.00", "3.28k", "1.20M".
std::string format_metric(double n);
// Right-aligns a formatted figure in a column of `width` the way wrk's print_units does (numbers without a unit
// letter get the same right edge as those with one).
std::string pad_units(const std::string& formatted, int width);

}  // namespace bench
