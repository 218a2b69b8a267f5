#pragma once
// Absolute limits a scenario sets on its results, as k6's thresholds: `p99 < 50ms`, `errors == 0`,
// `requests_per_sec > 500`, `server_cpu_us_per_request < 900`, `db_queries_per_request <= 1`, each for every cell
// or for one variant and/or one test. Parsed here (file:line:column errors); checked on a results file by
// check/limits.h, at the end of `bench run` and by `bench check`.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scenario/scenario.h"

namespace bench::scenario {

class NodeReader;
struct Field;

// Threshold itself is in scenario.h (Scenario holds them).

// The metric names a limit may use: latency aliases (p50 p75 p90 p99 p999 p9999 mean, in durations), rps, errors
// (socket errors plus non-2xx/3xx answers), and numeric results fields by their results name.
const std::vector<std::string_view>& threshold_metric_names();

// "METRIC OP VALUE" -> a Threshold without scope or place; an error message when it is not one.
std::variant<Threshold, std::string> parse_threshold_expression(std::string_view text);

// The `thresholds:` list: each item a string ("p99 < 50ms") or a mapping {limit, variant, test}. Variants and
// tests must exist in `scenario` (servers and tests are parsed first). Throws ScenarioError at the item.
std::vector<Threshold> parse_thresholds(const NodeReader& reader, const Field& field, const Scenario& scenario);

}  // namespace bench::scenario
