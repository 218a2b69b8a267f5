// bench validate SCENARIO...: parse and check scenario files without starting anything; the same check
// `bench run` does before it starts. Exit 0 when every file is valid, 2 (bad input) otherwise.
#include "cli/commands.h"
#include "run/plan.h"
#include "run/progress.h"
#include "scenario/scenario.h"
#include "util/errors.h"

#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

namespace bench::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  bool json = false;  // print the resolved scenario (every default applied) as JSON
};

// Checks one file: its summary line on stdout, or its "file:line:column: message" on stderr.
bool validate_one(const std::string& file, bool json) {
  try {
    const scenario::Scenario s = scenario::parse_file(file);
    if (json) {
      fmt::print("{}\n", scenario::to_json(s).dump(2));
    } else {
      // The estimate the live line counts down from (run/progress.h): load time plus starts, builds not counted.
      const auto expected = run::expected_time(run::make_plan(s), s.load);
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(expected + std::chrono::seconds(30));
      fmt::print("{}: ok ({} servers, {} tests, {} cells, about {} to run plus builds)\n", file, s.servers.size(),
                 s.tests.size(), scenario::cell_count(s),
                 expected < std::chrono::minutes(2) ? format_duration(std::chrono::duration_cast<std::chrono::seconds>(expected))
                                                    : format_duration(minutes));
    }
    return true;
  } catch (const scenario::ScenarioError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return false;
  }
}

int run_validate(const ValidateOptions& options) {
  bool all_ok = true;
  for (const auto& file : options.files) all_ok = validate_one(file, options.json) && all_ok;
  return all_ok ? exit_code::ok : exit_code::usage;
}

}  // namespace

Command setup_validate(CLI::App& app) {
  auto options = std::make_shared<ValidateOptions>();
  auto* sub = app.add_subcommand("validate", "Check scenario files (schema, types, values) without running anything");
  sub->add_option("scenario", options->files, "Scenario YAML file(s)")->required();
  sub->add_flag("--json", options->json, "Print the resolved scenario, every default applied, as JSON");
  return {sub, [options] { return run_validate(*options); }};
}

}  // namespace bench::cli
