#pragma once
// The tables every text format shows, built once as plain grids of strings; markdown, HTML and the console only
// decide the markup. (hyperfine's "table formats share one markup base".)

#include <string>
#include <vector>

#include "report/aggregate.h"
#include "report/rung_cost.h"

namespace bench::report {

struct Grid {
  std::vector<std::string> headers;
  std::vector<bool> right_aligned;  // one per column: numbers right, names left
  std::vector<std::vector<std::string>> rows;
};

// Columns of the per-test results table, by field name (fields.h), after Variant and Level.
const std::vector<std::string>& result_columns();

// One test's results: variant x level, the result_columns() medians, requests/s with its 95% interval when
// there are repeats, and each variant's speed relative to the fastest at the same level.
Grid results_grid(const Table& table, const std::string& test);

// The console's shorter table (variant x test x level: requests/s, p50, p99, queries/request).
Grid summary_grid(const Table& table);

// The cost ladders of one level: ladder (named on its first rung), variant, requests/s, server CPU us/request,
// and the difference from the previous rung of the same ladder.
Grid rung_grid(const Ladder& ladder);

// Every variant in scenario order: its status, reason and how many checks passed, then each warn/fail finding.
Grid checks_grid(const Table& table);

// What each variant's server reported about itself (its `versions:` command), in scenario order: one row per
// variant that reported any, its components as "name version" joined by commas. No rows when none reported.
Grid versions_grid(const Table& table);

// Markup for a grid.
std::string markdown_table(const Grid& grid);
std::string text_table(const Grid& grid);  // aligned with spaces, for terminals
std::string html_table(const Grid& grid);

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string html_escape(const std::string& text);

}  // namespace bench::report
