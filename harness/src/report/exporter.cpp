#include "report/exporter.h"

#include "report/csv_exporter.h"
#include "report/html_exporter.h"
#include "report/json_exporter.h"
#include "report/markdown_exporter.h"

namespace bench::report {

std::unique_ptr<Exporter> make_exporter(std::string_view format) {
  if (format == "md" || format == "markdown") return std::make_unique<MarkdownExporter>();
  if (format == "csv") return std::make_unique<CsvExporter>();
  if (format == "html") return std::make_unique<HtmlExporter>();
  if (format == "json") return std::make_unique<JsonExporter>();
  throw UsageError("--format: unknown format \"" + std::string(format) + "\" (expected md, csv, html or json)");
}

}  // namespace bench::report
