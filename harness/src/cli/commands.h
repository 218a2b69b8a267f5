#pragma once
// The subcommands, one file each. setup_x registers "x" and its options on the app and returns the function that
// runs it once parsing succeeded; that function returns the process exit code (util/errors.h).

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

namespace bench::cli {

struct Command {
  CLI::App* app;             // the subcommand, to ask whether it was chosen
  std::function<int()> run;  // runs it; throws UsageError for bad input
};

Command setup_load(CLI::App& app);      // load.cpp:     bench load URL, wrk's flags and output
Command setup_run(CLI::App& app);       // run.cpp:      bench run SCENARIO, the whole experiment
Command setup_validate(CLI::App& app);  // validate.cpp: bench validate SCENARIO, check only
Command setup_report(CLI::App& app);    // report.cpp:   bench report RESULTS..., md/csv/html/json
Command setup_compare(CLI::App& app);   // compare.cpp:  bench compare BASELINE CURRENT, CI verdict
Command setup_history(CLI::App& app);   // history.cpp:  bench history RESULTS..., series and change points
Command setup_verify(CLI::App& app);    // verify.cpp:   bench verify URL, TechEmpower's checks on a running server
Command setup_db(CLI::App& app);        // db.cpp:       bench db, a seeded embedded PostgreSQL for development
Command setup_check(CLI::App& app);     // check.cpp:    bench check RESULTS, the scenario's thresholds

// subcommand_check.cpp: the message for a missing or unknown subcommand ("unknown command 'rnu'; did you mean
// 'run'?"), or nullopt when argv names one of app's subcommands (or asks for --help / --version).
std::optional<std::string> check_subcommand(const CLI::App& app, int argc, const char* const* argv);

}  // namespace bench::cli
