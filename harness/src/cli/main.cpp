// bench: parse, dispatch, map errors to exit codes.
#include "cli/commands.h"
#include "util/build_info.h"
#include "util/errors.h"

#include <fmt/core.h>

#include <exception>
#include <vector>

int main(int argc, char** argv) {
  CLI::App app{"bench: a TechEmpower-style benchmark harness (wrk-compatible load generator, scenarios, reports)"};
  const auto commit = bench::util::bench_commit();
  app.set_version_flag("--version", fmt::format("bench {} (commit {})", bench::util::bench_version(),
                                                commit.empty() ? "unknown" : commit));
  app.require_subcommand(1);

  const std::vector<bench::cli::Command> commands = {
      bench::cli::setup_run(app),    bench::cli::setup_load(app),    bench::cli::setup_validate(app),
      bench::cli::setup_report(app), bench::cli::setup_compare(app), bench::cli::setup_history(app),
      bench::cli::setup_verify(app), bench::cli::setup_db(app), bench::cli::setup_check(app),
  };

  // CLI11 would say only "A subcommand is required" for a misspelt one: name it and suggest the closest.
  if (const auto error = bench::cli::check_subcommand(app, argc, argv)) {
    fmt::print(stderr, "bench: {}\n", *error);
    return bench::exit_code::usage;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "bench: {}\n", e.what());
    return bench::exit_code::usage;
  }

  try {
    for (const auto& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const bench::UsageError& e) {
    fmt::print(stderr, "bench: {}\n", e.what());
    return bench::exit_code::usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench: error: {}\n", e.what());
    return bench::exit_code::failure;
  }
  return bench::exit_code::usage;
}
