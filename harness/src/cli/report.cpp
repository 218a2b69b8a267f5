// bench report RESULTS... [--format md|csv|html|json] [-o FILE]: one report from one or more results files.
#include <fmt/core.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "report/exporter.h"
#include "report/result.h"
#include "util/errors.h"

namespace bench::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> results;  // results.json files, combined
  std::string format = "md";
  std::string output;  // empty: standard output
};

// Writes the report where asked; a bad path is an input error that names the flag.
void write_output(const std::string& text, const std::string& output) {
  if (output.empty() || output == "-") {
    fmt::print("{}", text);
    return;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) throw UsageError("-o: cannot write " + output);
  out << text;
  if (!out.flush()) throw UsageError("-o: cannot write " + output);
}

int run_report(const ReportOptions& options) {
  const auto exporter = report::make_exporter(options.format);  // an unknown format fails before any file is read
  std::vector<report::Run> runs;
  for (const auto& path : options.results) runs.push_back(report::load(path));
  write_output(exporter->render(runs), options.output);
  return exit_code::ok;
}

}  // namespace

Command setup_report(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  auto* sub = app.add_subcommand("report", "Report one or more results files (repeats and runs combine) as md, csv, "
                                           "html or json");
  sub->add_option("results", options->results, "results.json files written by bench run")->required();
  sub->add_option("--format,-f", options->format, "md, csv, html or json")
      ->check(CLI::IsMember({"md", "csv", "html", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", options->output, "write to FILE instead of standard output");
  return {sub, [options] { return run_report(*options); }};
}

}  // namespace bench::cli
