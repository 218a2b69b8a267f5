// bench report RESULTS... [--format md|csv|html|json] [-o FILE]: one report from one or more results files.
#include <string>
#include <vector>

#include "cli/commands.h"
#include "report/exporter.h"
#include "report/output.h"
#include "report/result.h"
#include "util/errors.h"

namespace bench::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> results;  // results.json files, combined
  std::string format = "md";
  std::string output;  // empty: standard output
};

int run_report(const ReportOptions& options) {
  const auto exporter = report::make_exporter(options.format);  // an unknown format fails before any file is read
  const std::vector<report::Run> runs = report::load_all(options.results);  // bounded together (kMaxReportCells)
  report::write_output(exporter->render(runs), options.output, "-o");
  return exit_code::ok;
}

}  // namespace

Command setup_report(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  auto* sub = app.add_subcommand("report", "Report one or more results files (repeats and runs combine) as md, csv, "
                                           "html or json");
  sub->add_option("results", options->results, "results.json files written by bench run")->required();
  sub->add_option("--format,-f", options->format, "md (or markdown), csv, html or json")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(report::kFormats), std::end(report::kFormats))))
      ->capture_default_str();
  sub->add_option("-o,--output", options->output, "write to FILE instead of standard output");
  return {sub, [options] { return run_report(*options); }};
}

}  // namespace bench::cli
