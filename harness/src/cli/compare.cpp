// bench compare BASELINE CURRENT [--threshold 5%] [--metric rps|p50|...] [--threshold-only] [--relative-to V[/T]]
// [--format text|md|json]: the CI verdict. bench compare RESULTS --between A B [--unpaired]: revision B against A,
// both measured in the run(s) of RESULTS (bench run --revisions, compare/between.h). Exit 0: no regression; 1: a regression; 2: bad input (missing or
// unreadable file, not a results file, unknown schema, scenarios with nothing in common); 3: no regression, but a
// row changed beyond the threshold that the samples cannot decide (compare/compare.h).
#include <fmt/core.h>

#include <string>
#include <vector>

#include "cli/commands.h"
#include "compare/between.h"
#include "compare/compare.h"
#include "compare/metric.h"
#include "compare/render.h"
#include "report/output.h"
#include "report/result.h"
#include "util/errors.h"

namespace bench::cli {
namespace {

struct CompareOptions {
  std::string baseline, current;  // each one results file, or several joined by commas (pooled as repeats)
  std::string threshold = "5%";
  std::string metric = "rps";
  std::string format = "text";
  bool threshold_only = false;
  std::string relative_to;
  std::vector<std::string> between;  // A B
  bool unpaired = false;
};

std::vector<report::Run> load_side(const std::string& list, const char* side) {
  std::vector<report::Run> runs;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string path = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (path.empty()) throw UsageError(std::string(side) + ": empty file name in \"" + list + "\"");
    runs.push_back(report::load(path));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return runs;
}

int run_compare(const CompareOptions& options) {
  compare::Options settings;
  settings.threshold = compare::parse_threshold(options.threshold);
  settings.metric = options.metric;
  settings.threshold_only = options.threshold_only;
  settings.relative_to = options.relative_to;
  compare::metric_field(settings.metric);  // a bad --metric fails before any file is read
  if (options.unpaired && options.between.empty()) throw UsageError("--unpaired: only with --between");
  compare::Comparison comparison;
  if (!options.between.empty()) {
    if (!options.current.empty()) {
      throw UsageError("--between: takes one RESULTS argument (both revisions are in it), got a second: " +
                       options.current);
    }
    const auto sides = compare::between(load_side(options.baseline, "RESULTS"), options.between[0], options.between[1]);
    settings.paired = !options.unpaired;
    comparison = compare::compare(sides.baseline, sides.current, settings);
    comparison.notes.insert(comparison.notes.begin(),
                            fmt::format("baseline: revision {}; current: revision {}, measured interleaved in one run",
                                        sides.baseline_label, sides.current_label));
  } else {
    if (options.current.empty()) throw UsageError("CURRENT: required (or --between A B with one RESULTS)");
    comparison =
        compare::compare(load_side(options.baseline, "BASELINE"), load_side(options.current, "CURRENT"), settings);
  }
  if (options.format == "md") {
    report::write_stdout(compare::render_markdown(comparison));
  } else if (options.format == "json") {
    report::write_stdout(compare::render_json(comparison));
  } else {
    report::write_stdout(compare::render_text(comparison));
  }
  return comparison.exit_code();
}

}  // namespace

Command setup_compare(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  auto* sub = app.add_subcommand(
      "compare", "Compare a results file with a baseline; exit 1 on a regression, 3 when undecided (for CI)");
  sub->add_option("baseline", options->baseline, "baseline results.json (several: a,b,c, pooled as repeats)")
      ->required();
  sub->add_option("current", options->current, "current results.json (several: a,b,c, pooled as repeats)");
  sub->add_option("--threshold", options->threshold, "smallest change that counts, e.g. 5% or 2.5")
      ->capture_default_str();
  sub->add_option("--metric", options->metric, "rps, p50, p75, p90, p99, p999, p9999 or mean")
      ->check(CLI::IsMember(compare::metric_names()))
      ->capture_default_str();
  sub->add_flag("--threshold-only", options->threshold_only,
                "let the threshold alone decide (no intervals, never inconclusive): for a quick look, not a gate");
  sub->add_option("--relative-to", options->relative_to,
                  "compare each figure as a ratio to this variant (VARIANT or VARIANT/TEST) measured in the same run");
  sub->add_option("--between", options->between,
                  "judge revision B against A, both measured in BASELINE (bench run --revisions A,B; docs/ci.md)")
      ->expected(2)
      ->type_name("A B");
  sub->add_flag("--unpaired", options->unpaired,
                "with --between: the rank test of independent samples instead of pairing repeats");
  sub->add_option("--format", options->format, "text, md or json")
      ->check(CLI::IsMember({"text", "md", "json"}))
      ->capture_default_str();
  return {sub, [options] { return run_compare(*options); }};
}

}  // namespace bench::cli
