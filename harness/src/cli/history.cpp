// bench history RESULTS... [--metric rps] [--format md|csv|html] [-o FILE] [--group-by host|cpu] [--threshold 5%]:
// nightly results of one scenario as series per machine, variant, test and level, with the runs where a step began
// (history/history.h). Exit 1 when the latest run is past a change for the worse, so it can gate a nightly job.
#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "compare/compare.h"
#include "compare/metric.h"
#include "history/history.h"
#include "report/output.h"
#include "report/result.h"
#include "util/errors.h"

namespace bench::cli {
namespace {

struct HistoryOptions {
  std::vector<std::string> results;  // files and folders of results files
  std::string metric = "rps";
  std::string format = "md";
  std::string output;  // empty: standard output
  std::string group_by = "host";
  std::string threshold = "5%";
};

int run_history(const HistoryOptions& options) {
  history::ChangePointOptions change_options;
  change_options.min_change = compare::parse_threshold(options.threshold);
  std::vector<std::string> files;
  for (const auto& given : options.results) {
    std::error_code error;
    if (std::filesystem::is_directory(given, error)) {
      for (auto& file : history::results_files_in(given)) files.push_back(std::move(file));
    } else {
      files.push_back(given);
    }
    if (files.size() > history::kMaxHistoryFiles) {
      throw UsageError("more than " + std::to_string(history::kMaxHistoryFiles) + " results files in one history");
    }
  }
  const std::vector<report::Run> runs = report::load_all(files);  // bounded together (kMaxReportCells)
  const auto history = history::build_history(
      runs, files, options.metric, options.group_by == "cpu" ? history::GroupBy::cpu : history::GroupBy::host,
      change_options);
  const std::string text = options.format == "csv"    ? history::render_csv(history)
                           : options.format == "html" ? history::render_html(history)
                                                      : history::render_markdown(history);
  report::write_output(text, options.output, "-o");
  return history.worse_now() ? exit_code::failure : exit_code::ok;
}

}  // namespace

Command setup_history(CLI::App& app) {
  auto options = std::make_shared<HistoryOptions>();
  auto* sub = app.add_subcommand(
      "history",
      "Results of many runs of one scenario as series with their change points; exit 1 when the latest "
      "run is past a change for the worse (for a nightly job)");
  sub->add_option("results", options->results, "results.json files, or folders of them (their *.json files)")
      ->required();
  sub->add_option("--metric", options->metric, "rps, p50, p75, p90, p99, p999, p9999 or mean")
      ->check(CLI::IsMember(compare::metric_names()))
      ->capture_default_str();
  sub->add_option("--format,-f", options->format, "md (or markdown), csv or html")
      ->check(CLI::IsMember({"md", "markdown", "csv", "html"}))
      ->capture_default_str();
  sub->add_option("-o,--output", options->output, "write to FILE instead of standard output");
  sub->add_option("--group-by", options->group_by,
                  "host: a series per machine (CPU, cores, hostname); cpu: per machine type (runners of one pool)")
      ->check(CLI::IsMember({"host", "cpu"}))
      ->capture_default_str();
  sub->add_option("--threshold", options->threshold, "smallest step that is a change, e.g. 5% or 2.5")
      ->capture_default_str();
  return {sub, [options] { return run_history(*options); }};
}

}  // namespace bench::cli
