#pragma once
// Several results files (repeats, or several runs) combined into one table: cells grouped by variant x test x
// level, each group's figures summarised by the median and a 95% confidence interval of its repeats. Every
// exporter, the console summary and compare read this grouping; none groups on its own.

#include <compare>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "report/fields.h"
#include "report/result.h"

namespace bench::report {

// What a row is about: one variant at one level of one test.
struct Key {
  std::string variant, test;
  int connections = 0;
  int queries = 0;
  auto operator<=>(const Key&) const = default;
};

// "c=64" or "c=64 q=20": a level as tables print it.
std::string level_label(const Key& key);

// The key of one cell.
Key key_of(const Cell& cell);

// All measurements of one key across every run and repeat.
struct Row {
  Key key;
  std::vector<Cell> samples;  // cells with status "ok", the figures to summarise
  int not_ok = 0;             // cells that failed or were interrupted, counted so tables can say so
  int interrupted = 0;        // of those, the ones stopped by Ctrl-C (tables say "interrupted", not "failed")
};

// A figure summarised over a row's samples.
struct Estimate {
  double median = 0;
  double low = 0, high = 0;  // confidence interval of the median (equal to median for one sample)
  double confidence = 0;     // its true coverage, 0..1 (stats/statistics.h)
  std::size_t n = 0;         // samples that had the figure
};

// The median and interval of a numeric field over the row's samples; nullopt when no sample has it.
std::optional<Estimate> estimate(const Row& row, const Field& field);

// Values of a numeric field over the row's samples, for significance tests.
std::vector<double> values(const Row& row, const Field& field);

// Several runs combined.
struct Table {
  std::vector<std::string> tests;     // in order of first appearance
  std::vector<std::string> variants;  // scenario order (run.variants, then any only seen in cells)
  std::vector<Variant> variant_info;  // one per name; a variant that failed in any run shows that failure
  std::vector<Row> rows;              // ordered by test, variant, connections, queries
  std::vector<std::string> warnings;  // one line per row and warning code, prefixed with its key
  // Variant -> the ladder it is a rung of, as its scenario declares it (meta.ladder); a variant on no ladder is
  // absent. Rung costs are only differenced within one ladder. A run whose scenario declares no ladder at all
  // (results from before `ladder:`) has one ladder per code base instead: meta's language/framework, else the
  // server's cwd (or url), so FastAPI -> Gin is still no rung.
  std::map<std::string, std::string> ladder;
  // Variant -> component -> the version its server reported (variants[].versions); the versions of several runs
  // that differ are joined ("0.92.0, 0.95.1"), so a report over runs before and after an upgrade shows both.
  std::map<std::string, std::map<std::string, std::string>> versions;
};

Table combine(const std::vector<Run>& runs);

// The rows of one test, in table order.
std::vector<const Row*> rows_of(const Table& table, const std::string& test);

}  // namespace bench::report
