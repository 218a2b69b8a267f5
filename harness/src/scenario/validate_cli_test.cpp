// `bench validate` as users run it: the real binary, real files, exit codes and messages.
#include "scenario/test_support.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_all(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `bench <args>` through /bin/sh, capturing stdout and stderr apart.
Outcome run_bench(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "stdout";
  const fs::path err = dir / "stderr";
  const std::string command = std::string("'") + BENCH_PATH + "' " + args + " >'" + out.string() + "' 2>'" +
                              err.string() + "'";
  const int status = std::system(command.c_str());
  Outcome outcome;
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  outcome.out = read_all(out);
  outcome.err = read_all(err);
  return outcome;
}

// A fresh folder for one test case, removed at the end.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("bench-validate-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("bench validate accepts a good file and summarises it") {
  TempDir dir;
  const fs::path file = dir.path / "good.yaml";
  std::ofstream(file) << "servers:\n  a: {command: ./a}\n  b: {command: ./b, tests: [json]}\n"
                         "tests:\n  json: /json\n  queries: {path: \"/q?n=\", levels: [1, 5]}\n"
                         "load: {connections: [8, 16], repeat: 2}\n";
  const Outcome result = run_bench("validate '" + file.string() + "'", dir.path);
  CHECK(result.exit_code == 0);
  // a: json x 2 connection levels + queries x 2 levels; b: json x 2; twice.
  // 12 cells x (5s warmup + 10s) + 4 starts x 2s + 2 verifications x 4s = 3m16s (run/progress.h).
  CHECK(result.out == file.string() + ": ok (2 servers, 2 tests, 12 cells, about 3m to run plus builds)\n");
  CHECK(result.err.empty());

  const Outcome json = run_bench("validate --json '" + file.string() + "'", dir.path);
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"threads\": \"auto\"") != std::string::npos);
}

TEST_CASE("bench validate reports file:line:column and exits 2 on a bad file") {
  TempDir dir;
  const fs::path file = dir.path / "bad.yaml";
  std::ofstream(file) << "servers:\n  a: {command: ./a}\ntests:\n  json: /json\nload:\n  conections: 8\n";
  const Outcome result = run_bench("validate '" + file.string() + "'", dir.path);
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err.rfind(file.string() + ":6:3: load.conections: unknown key; did you mean 'connections'?", 0) == 0);
}

TEST_CASE("bench validate names a missing file and exits 2") {
  TempDir dir;
  const fs::path file = dir.path / "missing.yaml";
  const Outcome result = run_bench("validate '" + file.string() + "'", dir.path);
  CHECK(result.exit_code == 2);
  CHECK(result.err == file.string() + ": no such file\n");
}

TEST_CASE("bench validate without a file is a usage error") {
  TempDir dir;
  const Outcome result = run_bench("validate", dir.path);
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("scenario") != std::string::npos);
}

// Issue #10: a scenario with bytes that are not UTF-8 is refused by validate and by run alike, with the place.
TEST_CASE("bench validate and bench run both refuse a file that is not UTF-8, naming line and column") {
  TempDir dir;
  const fs::path file = dir.path / "latin1.yaml";
  std::ofstream(file) << "servers:\n  a: {command: \"echo caf\xC3\xA9 caf\xE9\"}\ntests:\n  json: /json\n";
  const std::string expected = file.string() + ":2:30: invalid UTF-8 (byte 0xE9)";
  const Outcome validate = run_bench("validate '" + file.string() + "'", dir.path);
  CHECK(validate.exit_code == 2);
  CHECK(validate.err.rfind(expected, 0) == 0);
  const Outcome run = run_bench("run '" + file.string() + "' -o '" + (dir.path / "results").string() + "'", dir.path);
  CHECK(run.exit_code == 2);
  CHECK(run.err.find(expected) != std::string::npos);  // after bench's "bench: " prefix
  CHECK_FALSE(fs::exists(dir.path / "results"));  // refused before anything was created
}

// Issue #10: the default name comes from the file's stem, which may hold anything a file name can.
TEST_CASE("bench validate makes a safe default name from a hostile file name") {
  TempDir dir;
  const fs::path file = dir.path / "ok name \xC3\xBC;$(touch x).yaml";
  std::ofstream(file) << "servers:\n  a: {command: ./a}\ntests:\n  json: /json\n";
  const Outcome result = run_bench("validate --json '" + file.string() + "'", dir.path);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("\"name\": \"ok-name-touch-x\"") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path / "x"));
}
