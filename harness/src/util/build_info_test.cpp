#include "util/build_info.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

TEST_CASE("the build names its version and the commit it was built from") {
  CHECK(std::regex_match(std::string(bench::util::bench_version()), std::regex(R"(\d+\.\d+\.\d+)")));
  const std::string commit(bench::util::bench_commit());
  // Built from a git checkout (BENCH_SOURCE_DIR is set by ctest): git describe's words, a short hash at least.
  const char* source = std::getenv("BENCH_SOURCE_DIR");
  if (source != nullptr && std::filesystem::exists(std::filesystem::path(source) / ".git")) {
    CHECK(std::regex_search(commit, std::regex(R"([0-9a-f]{7})")));
    CHECK(commit != "unknown");
  } else {
    CHECK((commit.empty() || std::regex_search(commit, std::regex(R"([0-9a-f]{7})"))));
  }
}
