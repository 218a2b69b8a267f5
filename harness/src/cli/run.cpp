// bench run SCENARIO: the whole experiment (run/runner.h).
#include "cli/commands.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "util/errors.h"

#include <memory>

namespace bench::cli {

namespace {

struct Options {
  std::string scenario;
  run::RunOptions run;
  std::string dsn;
  bool quiet = false;
};

}  // namespace

Command setup_run(CLI::App& app) {
  auto options = std::make_shared<Options>();
  auto* sub = app.add_subcommand("run", "Run a scenario: database, servers, verification, load, results");
  sub->add_option("scenario", options->scenario, "Scenario file (YAML, see docs/scenario.md)")->required();
  // The same bounds as a scenario's `repeat:` (1..1000); CLI::PositiveNumber would print a 309-digit range.
  sub->add_option("-r,--repeat", options->run.repeat, "Run every variant N times, interleaved (overrides repeat:)")
      ->check(CLI::Range(1, 1000).description("1..1000"));
  sub->add_option("-o,--results-dir", options->run.results_root,
                  "Folder for the run's folder (default: results)");
  sub->add_option("-s,--server", options->run.only, "Run only this server variant (repeatable)");
  sub->add_option("--dsn", options->dsn, "Use this existing PostgreSQL database instead of the scenario's");
  sub->add_flag("--seed", options->run.seed, "With --dsn: create and fill the TechEmpower tables there");
  sub->add_flag("-q,--quiet", options->quiet, "One line per cell instead of wrk's block");
  return {sub, [options] {
            const auto scenario = scenario::parse_file(options->scenario);
            auto run_options = options->run;
            if (!options->dsn.empty()) run_options.dsn = options->dsn;
            if (run_options.seed && !run_options.dsn) throw UsageError("--seed: only with --dsn");
            run_options.print_cells = !options->quiet;
            auto console = run::Console::for_terminal();
            return run::run_scenario(scenario, run_options, console).exit_code;
          }};
}

}  // namespace bench::cli
