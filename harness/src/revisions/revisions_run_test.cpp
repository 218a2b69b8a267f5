// End to end: the real bench binary measures a Go server at several revisions of a git repository this test makes,
// and bench compare --between judges them; the GitHub workflow of docs/ci.md runs as written on that repository.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "report/result.h"
#include "supervisor/process.h"
#include "revisions/test_support.h"
#include "supervisor/test_support.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>

namespace fs = std::filesystem;
using bench::revisions::testing::sh;
using bench::revisions::testing::write;
using bench::supervisor::testing::TempDir;
using bench::supervisor::testing::read_file;

namespace {

const fs::path kBench = BENCH_PATH;
const fs::path kTestdata = TESTDATA_DIR;
const fs::path kSource = SOURCE_DIR;



std::string with_spin(const std::string& source, const std::string& spin) {
  return std::regex_replace(source, std::regex("const spin = 0 \\* time.Microsecond"),
                            "const spin = " + spin + " * time.Microsecond");
}

constexpr const char* kCommit = "git -c user.name=t -c user.email=t@t commit -q";

// A repository with the Go server and the scenario: main (no spin); pr, which makes every request spin 25 us
// more; comment, which only adds a comment to main's server.
struct Repository {
  TempDir dir;
  fs::path root = dir.path() / "origin";
  Repository() {
    const std::string server = read_file(kTestdata / "spin_server.go");
    write(root / "server/main.go", server);
    write(root / "scenarios/spin.yaml", read_file(kTestdata / "spin.yaml"));
    write(root / ".gitignore", "spin-server\n");
    sh(root, std::string("git init -q -b main . && git add -A && ") + kCommit + " -m 'the server'");
    write(root / "server/main.go", with_spin(server, "25"));
    sh(root, std::string("git checkout -q -b pr && ") + kCommit + " -am 'spin 25 us a request'");
    sh(root, "git checkout -q main && git checkout -q -b comment");
    write(root / "server/main.go", "// a comment, nothing else\n" + server);
    sh(root, std::string(kCommit) + " -am 'a comment'");
    sh(root, "git checkout -q main");
  }
};

struct Outcome {
  int exit_code = -1;
  std::string output;
};

Outcome run(const std::vector<std::string>& argv, const fs::path& cwd, std::map<std::string, std::string> env = {}) {
  const fs::path log = cwd / ("out-" + std::to_string(std::rand()) + ".log");
  const auto outcome =
      bench::supervisor::run_to_completion({argv, cwd, std::move(env), log}, std::chrono::minutes(10));
  Outcome out{outcome.exit_code, read_file(log)};
  fs::remove(log);
  return out;
}

fs::path results_in(const fs::path& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (fs::exists(entry.path() / "results.json")) return entry.path() / "results.json";
  }
  FAIL("no results.json under " << folder);
  return {};
}

// The workflow of docs/ci.md section 3, as YAML.
YAML::Node github_workflow() {
  const std::string doc = read_file(kSource / "docs/ci.md");
  const std::string start = "```yaml\n# .github/workflows/bench.yml\n";
  const auto begin = doc.find(start);
  REQUIRE(begin != std::string::npos);
  const auto end = doc.find("\n```", begin + start.size());
  REQUIRE(end != std::string::npos);
  return YAML::Load(doc.substr(begin + 8, end - begin - 8));
}

// KEY=VALUE lines a step appended to $GITHUB_ENV or $GITHUB_OUTPUT.
std::map<std::string, std::string> key_values(const fs::path& file) {
  std::map<std::string, std::string> out;
  std::istringstream in(fs::exists(file) ? read_file(file) : "");
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("the GitHub workflow in docs/ci.md runs as written and fails a pull request that costs 25 us a request") {
  Repository origin;
  TempDir work;
  const fs::path clone = work.path() / "clone";
  sh(work.path(), "git clone -q -b pr '" + origin.root.string() + "' clone");  // origin/main is the base

  const auto workflow = github_workflow();
  const auto job = workflow["jobs"]["bench"];
  REQUIRE(job["env"]["BENCH"].as<std::string>() == "./build/bench");
  // What GitHub gives every step; bench and the scenario are this build's and this repository's.
  std::map<std::string, std::string> env = {{"BENCH", kBench.string()},
                                            {"SCENARIO", "scenarios/spin.yaml"},
                                            {"GITHUB_ENV", (work.path() / "github_env").string()},
                                            {"GITHUB_OUTPUT", (work.path() / "github_output").string()},
                                            {"GIT_CONFIG_GLOBAL", (work.path() / "gitconfig").string()},
                                            {"TMPDIR", (work.path() / "tmp").string()},
                                            {"GOCACHE", (fs::temp_directory_path() / "bench-gocache").string()}};
  fs::create_directories(work.path() / "tmp");
  int ran = 0;
  for (const auto& step : job["steps"]) {
    if (!step["run"] || step["run"].as<std::string>().find("$BENCH") == std::string::npos) continue;
    for (const auto& [key, value] : key_values(work.path() / "github_env")) env[key] = value;
    INFO("step: " << step["name"].as<std::string>());
    const auto outcome = run({"/bin/bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                              step["run"].as<std::string>()},
                             clone, env);
    INFO(outcome.output);
    // The measuring step may exit 0, or 1 when a revision failed: the spin must not fail to build or verify.
    CHECK(outcome.exit_code == 0);
    ++ran;
  }
  CHECK(ran == 2);  // measure, then compare
  const auto outputs = key_values(work.path() / "github_output");
  INFO(read_file(clone / "compare.md"));
  CHECK(outputs.at("verdict") == "1");
  CHECK_THAT(read_file(clone / "compare.md"), Catch::Contains("REGRESSION") && Catch::Contains("pairs measured side by side"));
  CHECK(fs::exists(clone / "report.html"));

  const auto results = bench::report::load(results_in(clone / "bench-results"));
  REQUIRE(results.revisions.size() == 2);
  CHECK(results.revisions[1].label == "HEAD");
  CHECK(results.revisions[1].subject == "spin 25 us a request");
  CHECK(results.revisions[0].subject == "the server");
  CHECK(results.revisions[0].label == results.revisions[0].commit.substr(0, 12));
  REQUIRE(results.variants.size() == 2);
  CHECK(results.variants[1].name == "spin@HEAD");
  CHECK(results.variants[1].base == "spin");
  for (const auto& variant : results.variants) CHECK(variant.status == "ok");
  CHECK(results.cells.size() == 10);
  // The checkouts were made under $TMPDIR and are gone.
  CHECK(fs::is_empty(work.path() / "tmp"));
}

TEST_CASE("a comment-only change measured interleaved is no regression") {
  Repository origin;
  const auto measured = run({kBench.string(), "run", "scenarios/spin.yaml", "--revisions", "main,comment", "-q",
                             "--results-dir", "results"},
                            origin.root);
  INFO(measured.output);
  REQUIRE(measured.exit_code == 0);
  const auto results = results_in(origin.root / "results");
  const auto compared = run({kBench.string(), "compare", results.string(), "--between", "main", "comment",
                             "--threshold", "10%"},
                            origin.root);
  INFO(compared.output);
  CHECK(compared.exit_code == 0);
  CHECK_THAT(compared.output, Catch::Contains("baseline: revision main; current: revision comment"));
}

TEST_CASE("bench run --revisions refuses an unknown revision and a scenario outside a repository before anything starts") {
  Repository origin;
  const auto unknown = run({kBench.string(), "run", "scenarios/spin.yaml", "--revisions", "main,nope", "-q",
                            "--results-dir", "results"},
                           origin.root);
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("--revisions: 'nope' is not a commit"));
  CHECK_FALSE(fs::exists(origin.root / "results"));

  TempDir outside;
  fs::create_directories(outside.path() / "scenarios");
  fs::create_directories(outside.path() / "server");
  fs::copy_file(origin.root / "scenarios/spin.yaml", outside.path() / "scenarios/spin.yaml");
  const auto no_repository =
      run({kBench.string(), "run", "scenarios/spin.yaml", "--revisions", "main,HEAD"}, outside.path());
  CHECK(no_repository.exit_code == 2);
  CHECK_THAT(no_repository.output, Catch::Contains("not inside a git repository"));

  const auto between = run({kBench.string(), "compare", "x.json", "y.json", "--between", "a", "b"}, outside.path());
  CHECK(between.exit_code == 2);
  CHECK_THAT(between.output, Catch::Contains("--between"));
}
