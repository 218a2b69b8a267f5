// Placeholder until the report subcommand lands; replaced by its owner.
#include "cli/commands.h"

#include <fmt/core.h>

namespace bench::cli {

Command setup_report(CLI::App& app) {
  auto* sub = app.add_subcommand("report", "(not implemented yet)");
  sub->allow_extras();
  return {sub, [] {
            fmt::print(stderr, "bench report: not implemented yet\n");
            return 1;
          }};
}

}  // namespace bench::cli
