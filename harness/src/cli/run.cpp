// bench run SCENARIO: the whole experiment (run/runner.h).
#include "cli/commands.h"
#include "database/connection.h"
#include "run/overrides.h"
#include "revisions/revisions.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "supervisor/signals.h"
#include "util/errors.h"

#include <memory>
#include <optional>

namespace bench::cli {

namespace {

struct Options {
  std::string scenario;
  run::RunOptions run;
  std::string dsn;
  bool quiet = false;
  run::Overrides overrides;  // -d, --warmup, -c, -R, --only
  std::vector<std::string> revisions;  // --revisions A,B: git revisions of the scenario's repository
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
  sub->add_flag("-q,--quiet", options->quiet, "Quiet: only the summary and report paths (errors on stderr)");
  sub->add_option("-d,--duration", options->overrides.duration, "Measured time per cell (overrides load.duration)");
  sub->add_option("--warmup", options->overrides.warmup, "Warmup before each cell, 0s for none (overrides load.warmup)");
  sub->add_option("-c,--connections", options->overrides.connections,
                  "Connection levels, comma-separated: 16,64 (overrides load.connections and tests' own)")
      ->delimiter(',');
  sub->add_option("-R,--rate", options->overrides.rate, "Total requests/s, 0 = closed loop (overrides load.rate)");
  sub->add_option("--only", options->overrides.only, "Run only these variants: raw,orm")->delimiter(',');
  sub->add_option("--revisions", options->revisions,
                  "Measure every variant at each of these git revisions, interleaved: main,HEAD (WORKTREE = the "
                  "working tree with its changes; docs/ci.md)")
      ->delimiter(',');
  return {sub, [options] {
            auto scenario = scenario::parse_file(options->scenario);
            auto run_options = options->run;
            run_options.overrides = run::apply_overrides(scenario, options->overrides);
            for (const auto& name : options->overrides.only) run_options.only.push_back(name);
            if (!options->dsn.empty()) {
              // Checked before anything is created (results folder, processes): a typo costs nothing.
              try {
                database::parse_dsn(options->dsn);
              } catch (const database::DatabaseError& e) {
                throw UsageError(std::string("--dsn: ") + e.what());
              }
              run_options.dsn = options->dsn;
            }
            if (run_options.seed && !run_options.dsn) throw UsageError("--seed: only with --dsn");
            run_options.print_cells = !options->quiet;
            // --revisions: every started server once per revision, each in a checkout of it; the checkouts are
            // removed when this scope ends (normally, after Ctrl-C, or on an exception).
            std::optional<revisions::Checkouts> checkouts;
            if (!options->revisions.empty()) {
              supervisor::install_signal_handlers();  // Ctrl-C while checking out ends here, not mid-copy
              const auto repository = revisions::repository_of(scenario.file);
              run_options.revisions = revisions::resolve(repository, options->revisions);
              checkouts.emplace(repository, run_options.revisions);
              if (supervisor::stop_requested()) return exit_code::interrupted;
              scenario = revisions::expand(scenario, repository, run_options.revisions, *checkouts);
            }
            auto console = run::Console::for_terminal();
            console.set_quiet(options->quiet);
            return run::run_scenario(scenario, run_options, console).exit_code;
          }};
}

}  // namespace bench::cli
