// Placeholder until the run subcommand lands; replaced by its owner.
#include "cli/commands.h"

#include <fmt/core.h>

namespace bench::cli {

Command setup_run(CLI::App& app) {
  auto* sub = app.add_subcommand("run", "(not implemented yet)");
  sub->allow_extras();
  return {sub, [] {
            fmt::print(stderr, "bench run: not implemented yet\n");
            return 1;
          }};
}

}  // namespace bench::cli
