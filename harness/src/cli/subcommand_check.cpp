// The first word after `bench` must be a subcommand; say which ones exist and which one was probably meant.
#include "cli/commands.h"
#include "scenario/suggest.h"

#include <fmt/core.h>

#include <string_view>
#include <vector>

namespace bench::cli {

std::optional<std::string> check_subcommand(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;

  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help" || arg == "--version") return std::nullopt;
    if (arg.starts_with("-")) continue;  // CLI11 reports unknown options itself
    for (const auto& name : names)
      if (arg == name) return std::nullopt;
    std::vector<std::string_view> candidates(names.begin(), names.end());
    const auto guess = scenario::closest_match(arg, candidates);
    return fmt::format("unknown command '{}'{}; the commands are {} (bench --help)", arg,
                       guess ? fmt::format("; did you mean '{}'?", *guess) : "", list);
  }
  return fmt::format("a command is required: {} (bench --help)", list);
}

}  // namespace bench::cli
