#include "run/results_folder.h"

#include "supervisor/process.h"
#include "util/errors.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {
struct Scratch {
  fs::path path = fs::temp_directory_path() / ("bench-results-folder-" + std::to_string(::getpid()));
  Scratch() { fs::remove_all(path); }
  ~Scratch() { fs::remove_all(path); }
};
}  // namespace

TEST_CASE("runs started in the same second each get a folder of their own") {
  Scratch scratch;
  const auto first = bench::run::create_run_folder(scratch.path / "results", "20261129-190000-quick");
  const auto second = bench::run::create_run_folder(scratch.path / "results", "20261129-190000-quick");
  CHECK(first.filename() == "20261129-190000-quick");
  CHECK(second.filename() == "20261129-190000-quick-2");
  // Racing threads: mkdir decides, every caller gets a distinct, existing folder.
  std::vector<fs::path> made(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < made.size(); ++i)
    threads.emplace_back([&, i] { made[i] = bench::run::create_run_folder(scratch.path / "results", "race"); });
  for (auto& t : threads) t.join();
  CHECK(std::set<fs::path>(made.begin(), made.end()).size() == made.size());
  for (const auto& dir : made) CHECK(fs::is_directory(dir));
}

TEST_CASE("a results root that cannot be created names --results-dir") {
  Scratch scratch;
  fs::create_directories(scratch.path);
  const auto file = scratch.path / "a-file";
  { std::ofstream(file) << "x"; }
  CHECK_THROWS_WITH(bench::run::create_run_folder(file / "sub", "x"), Catch::StartsWith("--results-dir: cannot create"));
}

TEST_CASE("the command handed to the guardian marks only the top-level status interrupted") {
  Scratch scratch;
  fs::create_directories(scratch.path);
  const auto results = scratch.path / "results.json";
  const std::string cells = "{\n  \"cells\": [\n    {\n      \"status\": \"running\"\n    }\n  ],\n";
  { std::ofstream(results) << cells << "  \"status\": \"running\"\n}\n"; }
  const auto command = bench::run::mark_interrupted_command(results);
  REQUIRE(command.front().front() == '/');  // the guardian runs only absolute paths
  REQUIRE(bench::supervisor::run_to_completion({.argv = command}, std::chrono::seconds(30)).ok());
  std::ifstream in(results);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == cells + "  \"status\": \"interrupted\"\n}\n");
}
