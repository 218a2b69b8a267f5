#include "report/csv_exporter.h"

#include "report/fields.h"

namespace bench::report {

std::string csv_quoted(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void append_csv_line(std::string& out, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) out += (i == 0 ? "" : ",") + csv_quoted(values[i]);
  out += "\r\n";  // RFC 4180 line ending
}

std::string CsvExporter::render(const std::vector<Run>& runs) const {
  std::string out;
  std::vector<std::string> header = {"scenario", "run_started_at"};
  for (const auto& field : cell_fields()) header.push_back(field.name);
  append_csv_line(out, header);
  for (const auto& run : runs) {
    for (const auto& cell : run.cells) {
      std::vector<std::string> line = {run.scenario_name, run.started_at};
      for (const auto& field : cell_fields()) line.push_back(raw_value(field, cell));
      append_csv_line(out, line);
    }
  }
  return out;
}

}  // namespace bench::report
