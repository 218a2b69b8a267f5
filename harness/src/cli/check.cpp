// bench check RESULTS: the scenario's thresholds checked on a results file. Exit 0: every limit holds (or the
// scenario sets none); 1: a limit is broken, one line each on stdout; 2: bad input (check/limits.h).
#include <fmt/format.h>

#include <memory>
#include <string>

#include "check/limits.h"
#include "cli/commands.h"
#include "report/output.h"
#include "report/result.h"
#include "util/errors.h"

namespace bench::cli {
namespace {

int run_check(const std::string& path) {
  const auto outcome = check::check(report::load(path));
  std::string text;
  for (const auto& line : outcome.broken) text += "broken: " + line + "\n";
  if (outcome.limits == 0) {
    text += path + ": the scenario sets no thresholds: nothing to check\n";
  } else if (outcome.broken.empty()) {
    text += fmt::format("ok: {} limit(s) hold on {} row(s)\n", outcome.limits, outcome.rows);
  } else {
    text += fmt::format("FAILED: {} broken limit line(s), {} limit(s) on {} row(s)\n", outcome.broken.size(),
                        outcome.limits, outcome.rows);
  }
  report::write_stdout(text);
  return outcome.broken.empty() ? exit_code::ok : exit_code::failure;
}

}  // namespace

Command setup_check(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("check", "Check a results file against its scenario's thresholds; exit 1 when one "
                                          "is broken");
  sub->add_option("results", *path, "results.json written by bench run")->required();
  return {sub, [path] { return run_check(*path); }};
}

}  // namespace bench::cli
