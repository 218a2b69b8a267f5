// Placeholder until the compare subcommand lands; replaced by its owner.
#include "cli/commands.h"

#include <fmt/core.h>

namespace bench::cli {

Command setup_compare(CLI::App& app) {
  auto* sub = app.add_subcommand("compare", "(not implemented yet)");
  sub->allow_extras();
  return {sub, [] {
            fmt::print(stderr, "bench compare: not implemented yet\n");
            return 1;
          }};
}

}  // namespace bench::cli
