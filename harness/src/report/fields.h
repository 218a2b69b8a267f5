#pragma once
// The one list of a cell's fields. CSV writes all of them, the markdown and HTML tables and the console summary
// pick columns from it by name, and compare's --metric names one: so no two formats can disagree on a figure.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/result.h"

namespace bench::report {

// How a number reads: drives human formatting ("12,345", "1.23ms", "45.6MiB").
enum class Unit { text, integer, per_second, microseconds, bytes, bytes_per_second, seconds, ratio };

// Which way is better, for relative speed and compare's verdicts.
enum class Better { neither, higher, lower };

struct Field {
  std::string name;    // CSV header and JSON key: "requests_per_sec"
  std::string header;  // table header: "Requests/s"
  Unit unit = Unit::text;
  Better better = Better::neither;
  std::function<std::optional<double>(const Cell&)> number;  // numeric fields; empty function for text fields
  std::function<std::string(const Cell&)> text;              // text fields; empty function for numeric fields
};

// Every field of a cell, in CSV column order: keys first, then load, latency, errors, database, process.
const std::vector<Field>& cell_fields();

// The field with that name. Throws std::out_of_range naming it when there is none.
const Field& field_named(std::string_view name);

// The raw value for CSV and JSON: full precision, no thousands separators; "" when absent.
std::string raw_value(const Field& field, const Cell& cell);

// A number as a person reads it in a table, by the field's unit: "12,345", "1.23ms", "45.6MiB", "3.2".
std::string human_value(Unit unit, double value);

}  // namespace bench::report
