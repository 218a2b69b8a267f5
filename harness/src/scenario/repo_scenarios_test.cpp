// Every scenario shipped in the repository parses, and each server it starts has a versions command. The folder may be empty or missing (scenarios are written by
// another hand); then there is nothing to check.
#include "scenario/scenario.h"
#include "scenario/test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace bench::scenario {

TEST_CASE("every scenarios/*.yaml in the repository parses") {
  const auto folder = testing::source_dir() / "scenarios";
  std::vector<std::filesystem::path> files;
  std::error_code error;
  if (std::filesystem::is_directory(folder, error)) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      const auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    INFO(file.string());
    std::string problem;
    try {
      const Scenario s = parse_file(file);
      CHECK_FALSE(s.servers.empty());
      CHECK(cell_count(s) > 0);
      // Every server the repository's scenarios start says what it is made of (docs/servers.md, issue #19).
      for (const auto& server : s.servers) {
        INFO(server.name);
        CHECK((server.external() || server.versions.has_value()));
      }
    } catch (const ScenarioError& e) {
      problem = e.what();
    }
    CHECK(problem.empty());
    if (!problem.empty()) FAIL_CHECK(problem);
  }
  SUCCEED(files.size() << " scenario file(s) checked");
}

}  // namespace bench::scenario
