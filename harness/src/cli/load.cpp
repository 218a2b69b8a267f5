// Placeholder until the load subcommand lands; replaced by its owner.
#include "cli/commands.h"

#include <fmt/core.h>

namespace bench::cli {

Command setup_load(CLI::App& app) {
  auto* sub = app.add_subcommand("load", "(not implemented yet)");
  sub->allow_extras();
  return {sub, [] {
            fmt::print(stderr, "bench load: not implemented yet\n");
            return 1;
          }};
}

}  // namespace bench::cli
