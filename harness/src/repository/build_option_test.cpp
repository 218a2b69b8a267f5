// BENCH_BUILD_TESTS: off, a configure leaves every test executable out of `all` and out of ctest, so that
// scripts/run builds bench and nothing else; on (the default, and scripts/test), the tests are there.
// BENCH_BUILD_TOOLS (off by default): the perftests and make_testdata, programs run by hand, are out of `all`.
#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

// Runs a shell command, bounded by timeout(1); returns its stdout and stderr together and its exit status.
std::pair<int, std::string> run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(("timeout 300 " + command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  return {::pclose(pipe), out};
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int total_tests(const std::string& ctest_listing) {
  std::smatch m;
  if (!std::regex_search(ctest_listing, m, std::regex(R"(Total Tests: (\d+))"))) return -1;
  return std::stoi(m[1]);
}

}  // namespace

TEST_CASE("BENCH_BUILD_TESTS=OFF leaves the tests out of the build and of ctest", "[build]") {
  const fs::path dir = fs::temp_directory_path() / fmt::format("bench-notests-{}", ::getpid());
  fs::remove_all(dir);
  const auto [configured, log] =
      run(fmt::format("cmake -S '{}' -B '{}' -G Ninja -DBENCH_BUILD_TESTS=OFF", SOURCE_DIR, dir.string()));
  INFO(log);
  REQUIRE(configured == 0);
  // What `cmake --build` (the `all` target) would do, without doing it.
  const auto [planned, plan] = run(fmt::format("ninja -C '{}' -n all", dir.string()));
  INFO(plan);
  CHECK(planned == 0);
  CHECK_THAT(plan, Catch::Contains("Linking CXX executable bench"));
  CHECK_THAT(plan, !Catch::Contains("_tests"));
  // Nor the programs run by hand (BENCH_BUILD_TOOLS is off by default), which can still be built by name.
  CHECK_THAT(plan, !Catch::Contains("perftest"));
  CHECK_THAT(plan, !Catch::Contains("make_testdata"));
  CHECK(run(fmt::format("ninja -C '{}' -n make_testdata", dir.string())).first == 0);
  CHECK(total_tests(run(fmt::format("ctest --test-dir '{}' -N", dir.string())).second) == 0);
  // A test target can still be asked for by name (the modules refer to their test targets).
  CHECK(run(fmt::format("ninja -C '{}' -n run_tests", dir.string())).first == 0);
  fs::remove_all(dir);
}

TEST_CASE("this build has its tests registered, and the scripts ask for what they need", "[build]") {
  // This very test runs from a build with the option on: ctest knows it (and the others built so far).
  const auto listing = run(fmt::format("ctest --test-dir '{}' -N", BINARY_DIR)).second;
  CHECK(total_tests(listing) > 0);
  CHECK_THAT(listing, Catch::Contains("BENCH_BUILD_TESTS=OFF leaves the tests out"));
  // scripts/run builds only the bench target; scripts/test builds with the tests on.
  CHECK_THAT(read(fs::path(SOURCE_DIR) / "scripts" / "run"), Catch::Contains("scripts/build --bench-only"));
  CHECK_THAT(read(fs::path(SOURCE_DIR) / "scripts" / "build"), Catch::Contains("target=(--target bench)"));
  CHECK_THAT(read(fs::path(SOURCE_DIR) / "scripts" / "test"), Catch::Contains("BENCH_BUILD_TESTS=ON scripts/build"));
}
