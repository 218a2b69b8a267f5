#pragma once
// CSV (RFC 4180): one row per variant x test x level x repeat of every run, every field of fields.h.

#include <string>
#include <vector>

#include "report/exporter.h"

namespace bench::report {

// RFC 4180: a field with a comma, quote, CR or LF is quoted, and quotes inside are doubled.
std::string csv_quoted(const std::string& value);
// Appends the values as one CSV line, ended by CRLF (RFC 4180's line ending).
void append_csv_line(std::string& out, const std::vector<std::string>& values);

class CsvExporter : public Exporter {
 public:
  std::string render(const std::vector<Run>& runs) const override;
};

}  // namespace bench::report
