#pragma once
// Helpers for the revisions tests only: shell lines in a folder, files written with their folders.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace bench::revisions::testing {

// Runs `command` through the shell in `cwd`, its output discarded; the test fails when it fails.
inline void sh(const std::filesystem::path& cwd, const std::string& command) {
  const std::string line = "cd '" + cwd.string() + "' && " + command + " >/dev/null 2>&1";
  REQUIRE(std::system(line.c_str()) == 0);
}

inline void write(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

}  // namespace bench::revisions::testing
