#pragma once
// Helpers shared by the scenario tests.

#include "scenario/scenario.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace bench::scenario::testing {

// The error parse_string reports for `yaml` (file "t.yaml"), or "no error".
inline std::string error_of(std::string_view yaml) {
  try {
    parse_string(yaml, "t.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

// A valid scenario's servers and tests sections, for tests that vary only another part.
inline constexpr std::string_view kMinimal =
    "servers:\n"
    "  a:\n"
    "    command: ./a\n"
    "tests:\n"
    "  json: /json\n";

// The repository root (ctest sets BENCH_SOURCE_DIR); the current folder when run by hand.
inline std::filesystem::path source_dir() {
  const char* dir = std::getenv("BENCH_SOURCE_DIR");
  return dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

}  // namespace bench::scenario::testing
