#pragma once
// Errors that end a command with exit code 2 (bad input). Everything else that goes wrong during a run is data
// (a failed variant, a counted socket error), not an exception.

#include <stdexcept>
#include <string>

namespace bench {

// Bad command-line input. The message names the flag: "--connections: must be at least --threads (4)".
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exit codes shared by every subcommand.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int failure = 1;      // the command ran and something failed (a variant, a regression)
inline constexpr int usage = 2;        // bad input: flags, files, YAML
inline constexpr int interrupted = 130; // stopped by SIGINT/SIGTERM (results kept)
}  // namespace exit_code

}  // namespace bench
