// Placeholder until the validate subcommand lands; replaced by its owner.
#include "cli/commands.h"

#include <fmt/core.h>

namespace bench::cli {

Command setup_validate(CLI::App& app) {
  auto* sub = app.add_subcommand("validate", "(not implemented yet)");
  sub->allow_extras();
  return {sub, [] {
            fmt::print(stderr, "bench validate: not implemented yet\n");
            return 1;
          }};
}

}  // namespace bench::cli
