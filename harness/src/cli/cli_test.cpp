// The bench binary as a new user meets it: a misspelt command, --version, bench run's overrides, quiet output,
// the reports written after a run, and the bash completion script.
#include "report/result.h"
#include "report/synthetic.h"
#include "supervisor/test_support.h"

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#ifndef BENCH_PATH
#error "BENCH_PATH must name the bench executable"
#endif

namespace fs = std::filesystem;
using bench::supervisor::testing::read_file;
using bench::supervisor::testing::TempDir;

namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` through /bin/sh, bounded by timeout(1) so nothing can hang the test; stdout and stderr apart.
Outcome shell(const std::string& command, const TempDir& dir, int seconds = 120) {
  const auto out = dir / "stdout";
  const auto err = dir / "stderr";
  const std::string line =
      fmt::format("timeout {} {} >'{}' 2>'{}' </dev/null", seconds, command, out.string(), err.string());
  const int status = std::system(line.c_str());
  Outcome o;
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  o.out = read_file(out);
  o.err = read_file(err);
  return o;
}

Outcome run_bench(const std::string& args, const TempDir& dir, int seconds = 120) {
  return shell(fmt::format("'{}' {}", BENCH_PATH, args), dir, seconds);
}

fs::path write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

// Two variants of the stdlib test server, no database: quick to run.
std::string two_servers() {
  const std::string server = fmt::format("/usr/bin/python3 {}", TINY_SERVER_PATH);
  return fmt::format(R"(
name: cli-test
description: "two tiny servers"
database: none
servers:
  first: {{command: "{0}", ready: {{path: /json, timeout: 20s}}}}
  second: {{command: "{0}", ready: {{path: /json, timeout: 20s}}}}
tests:
  json: /json
load: {{connections: [4, 8], threads: 1, duration: 30s, warmup: 10s}}
)",
                     server);
}

}  // namespace

TEST_CASE("a misspelt command is named, with the closest one suggested") {
  TempDir dir;
  const auto typo = run_bench("rnu scenarios/quick.yaml", dir);
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK_THAT(typo.err, Catch::StartsWith("bench: unknown command 'rnu'; did you mean 'run'?"));
  CHECK_THAT(typo.err, Catch::Contains("run, load, validate, report, compare"));

  const auto none = run_bench("", dir);
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::StartsWith("bench: a command is required: run, load"));

  const auto far = run_bench("xyzzy", dir);
  CHECK(far.exit_code == 2);
  CHECK_THAT(far.err, Catch::StartsWith("bench: unknown command 'xyzzy'; the commands are"));

  CHECK(run_bench("run --help", dir).exit_code == 0);
}

TEST_CASE("bench --version names the commit bench was built from") {
  TempDir dir;
  const auto v = run_bench("--version", dir);
  CHECK(v.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(v.out, m, std::regex(R"(^bench \S+ \(commit (\S+)\)\n$)")));
  // Built from a git checkout (this one): the commit is what `git describe` says, never "unknown".
  if (fs::exists(fs::path(SOURCE_DIR) / ".git")) {
    CHECK(m[1] != "unknown");
    const auto head = shell(fmt::format("git -C '{}' rev-parse --short=7 HEAD", SOURCE_DIR), dir);
    CHECK_THAT(m[1].str(), Catch::Contains(head.out.substr(0, 7)));
  }
}

TEST_CASE("outside a git checkout the commit is \"unknown\"") {
  TempDir dir;
  const fs::path util = fs::path(SOURCE_DIR) / "harness" / "src" / "util";
  const auto o = shell(
      fmt::format("cmake -DSOURCE_DIR='{}' -DINPUT='{}' -DOUTPUT='{}' -P '{}'", dir.path().string(),
                  (util / "version.h.in").string(), (dir / "version.h").string(), (util / "version.cmake").string()),
      dir);
  INFO(o.err);
  CHECK(o.exit_code == 0);
  CHECK_THAT(read_file(dir / "version.h"), Catch::Contains("#define BENCH_GIT_DESCRIBE \"unknown\""));
}

TEST_CASE("bench run rejects bad overrides before anything starts, naming the flag") {
  TempDir dir;
  const auto scenario = write(dir, "s.yaml", two_servers());
  const auto run = [&](const std::string& flags) {
    return run_bench(fmt::format("run '{}' -o '{}' {}", scenario.string(), (dir / "results").string(), flags), dir);
  };
  auto o = run("-d 0s");
  CHECK(o.exit_code == 2);
  CHECK_THAT(o.err, Catch::Contains("-d/--duration: must be more than 0"));
  o = run("--only first,secnod");
  CHECK(o.exit_code == 2);
  CHECK_THAT(o.err, Catch::Contains("--only: no server named 'secnod'"));
  CHECK_THAT(o.err, Catch::Contains("did you mean 'second'?"));
  o = run("-c 4,0");
  CHECK(o.exit_code == 2);
  CHECK_THAT(o.err, Catch::Contains("-c/--connections: 0 is out of range"));
  o = run("-R -1");
  CHECK(o.exit_code == 2);
  CHECK_THAT(o.err, Catch::Contains("-R/--rate"));
  CHECK_FALSE(fs::exists(dir / "results"));  // nothing was started or written
}

TEST_CASE("bench run -q with overrides: quiet output, the overrides in the results, reports beside them",
          "[integration]") {
  TempDir dir;
  const auto scenario = write(dir, "s.yaml", two_servers());
  // The scenario asks for 2 x (10s + 30s); the flags make it 1 s, no warmup, one level, one variant.
  const auto o = run_bench(fmt::format("run '{}' -o '{}' -q -d 1s --warmup 0s -c 2 --only second", scenario.string(),
                                       (dir / "results").string()),
                           dir);
  INFO("stdout:\n" << o.out << "\nstderr:\n" << o.err);
  CHECK(o.exit_code == 0);
  // Quiet: nothing but errors on stderr, and stdout holds the summary and the paths, no per-cell block.
  CHECK(o.err.empty());
  CHECK_THAT(o.out, Catch::StartsWith("\nSummary"));
  CHECK_THAT(o.out, !Catch::Contains("Latency Distribution"));
  CHECK_THAT(o.out, !Catch::Contains("Ranking"));  // one variant: nothing to rank

  std::smatch m;
  REQUIRE(std::regex_search(o.out, m, std::regex(R"(results: (\S+)/results\.json\n)")));
  const fs::path folder = m[1].str();
  CHECK_THAT(o.out, Catch::Contains("report:  " + (folder / "report.md").string() + "\n"));
  CHECK_THAT(o.out, Catch::Contains("report:  " + (folder / "report.html").string() + "\n"));
  CHECK_THAT(read_file(folder / "report.md"), Catch::Contains("second"));
  CHECK_THAT(read_file(folder / "report.html"), Catch::StartsWith("<!DOCTYPE html>"));

  const auto results = bench::report::load(folder / "results.json");
  CHECK(results.scenario["load"]["duration"] == "1s");
  CHECK(results.scenario["load"]["warmup"] == "0s");
  CHECK(results.scenario["load"]["connections"] == nlohmann::json::array({2}));
  CHECK(results.scenario["overrides"] ==
        nlohmann::json::array({"duration=1s", "warmup=0s", "connections=2", "only=second"}));
  REQUIRE(results.cells.size() == 1);
  CHECK(results.cells[0].variant == "second");
  CHECK(results.cells[0].connections == 2);
}

TEST_CASE("the bash completion script completes commands, flags and only flags bench has") {
  TempDir dir;
  const std::string script = fs::path(SOURCE_DIR) / "scripts" / "bench-completion.bash";
  REQUIRE(fs::exists(script));
  // Asks the completion function what it offers after the words given, as bash would when Tab is pressed.
  const auto complete = [&](const std::string& words) {
    return shell(fmt::format("bash -c 'source \"{}\"; COMP_WORDS=(\"{}\" {}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); "
                             "_bench; printf \"%s\\n\" \"${{COMPREPLY[@]}}\"'",
                             script, BENCH_PATH, words),
                 dir);
  };
  CHECK(complete("r").out == "run\nreport\n");
  CHECK(complete("run --on").out == "--only\n");
  CHECK(complete("load --latency-c").out == "--latency-correction\n");
  CHECK(complete("--v").out == "--version\n");
  // Flags come from `bench COMMAND --help`, so a new flag is completed without touching the script.
  const auto run_flags = complete("run -").out;
  for (const std::string flag : {"-d", "--duration", "--warmup", "-c", "-R", "--only", "-q", "--repeat"}) {
    INFO(run_flags);
    CHECK_THAT(run_flags, Catch::Contains(flag + "\n"));
  }
  // Words that are not flags complete as file names (scenarios, results).
  write(dir, "scenario-for-completion.yaml", "");
  const auto files = shell(fmt::format("bash -c 'cd \"{}\" && source \"{}\"; COMP_WORDS=(\"{}\" run scenario-for); "
                                       "COMP_CWORD=2; _bench; printf \"%s\\n\" \"${{COMPREPLY[@]}}\"'",
                                       dir.path().string(), script, BENCH_PATH),
                           dir);
  CHECK(files.out == "scenario-for-completion.yaml\n");
}

namespace {

// Ten nightly results files of the seed's ladder in `folder`; from run 6 on, "orm" is `factor` as fast.
void write_nightlies(const fs::path& folder, double factor) {
  fs::create_directories(folder);
  for (int i = 1; i <= 10; ++i) {
    bench::report::testing::SyntheticSpec spec;
    spec.seed = static_cast<std::uint64_t>(i);
    spec.noise = 0.02;
    if (i >= 6) spec.variants[4].factor = factor;
    auto run = bench::report::testing::synthetic_run(spec);
    run.started_at = fmt::format("2026-11-{:02}T02:00:00Z", i);
    bench::report::save_atomic(run, folder / fmt::format("nightly-{:02}.json", i));
  }
}

}  // namespace

TEST_CASE("bench history names the run where a step began and gates on it with exit 1") {
  TempDir dir;
  write_nightlies(dir / "slower", 0.85);
  const auto slower = run_bench(fmt::format("history '{}'", (dir / "slower").string()), dir);
  CAPTURE(slower.out, slower.err);
  CHECK(slower.exit_code == 1);
  CHECK(slower.out.find("**WORSE**") != std::string::npos);
  CHECK(std::regex_search(slower.out, std::regex(R"(\| orm +\| db +\| c=64 +\| +#6 \|)")));
  // CSV and HTML to files; files and folders mix.
  const auto csv = run_bench(
      fmt::format("history '{}' --format csv -o '{}'", (dir / "slower").string(), (dir / "history.csv").string()), dir);
  CHECK(csv.exit_code == 1);
  CHECK(read_file(dir / "history.csv").find("orm,db,64,0,6,") != std::string::npos);
  const auto html =
      run_bench(fmt::format("history '{}'/nightly-0*.json '{}'/nightly-10.json --format html -o '{}'",
                            (dir / "slower").string(), (dir / "slower").string(), (dir / "history.html").string()),
                dir);
  CHECK(html.exit_code == 1);
  CHECK(read_file(dir / "history.html").find("<svg class=\"chart\"") != std::string::npos);

  write_nightlies(dir / "steady", 1.0);
  const auto steady = run_bench(fmt::format("history '{}'", (dir / "steady").string()), dir);
  CHECK(steady.exit_code == 0);
  CHECK(steady.out.find("No change found.") != std::string::npos);
}

TEST_CASE("bench history: bad input is exit 2 naming the file, the folder or the flag") {
  TempDir dir;
  fs::create_directories(dir / "empty");
  const auto empty = run_bench(fmt::format("history '{}'", (dir / "empty").string()), dir);
  CHECK(empty.exit_code == 2);
  CHECK(empty.err.find("no results files") != std::string::npos);
  write_nightlies(dir / "mixed", 1.0);
  write(dir, "mixed/not-results.json", R"({"hello": 1})");
  const auto mixed = run_bench(fmt::format("history '{}'", (dir / "mixed").string()), dir);
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.err.find("not-results.json") != std::string::npos);
  const auto threshold = run_bench(fmt::format("history '{}' --threshold lots", (dir / "mixed").string()), dir);
  CHECK(threshold.exit_code == 2);
  CHECK(threshold.err.find("--threshold") != std::string::npos);
  const auto missing = run_bench("history /nonexistent/nightly.json", dir);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent/nightly.json") != std::string::npos);
}

TEST_CASE("bench history on real runs of one server, the later ones slower, names the first slow run",
          "[integration]") {
  TempDir dir;
  // Eight runs of one scenario, one variant: the last four with a server that waits 3 ms before each answer (a
  // slower revision), so with 2 connections it can do at most about 650 requests/s.
  const auto scenario = [&](const std::string& extra) {
    return write(dir, "s.yaml",
                 fmt::format(R"(
name: history-test
database: none
servers:
  tiny: {{command: "/usr/bin/python3 {} {}", ready: {{path: /json, timeout: 20s}}}}
tests:
  json: /json
load: {{connections: [2], threads: 1, duration: 1s, warmup: 0s}}
)",
                             TINY_SERVER_PATH, extra));
  };
  for (int i = 1; i <= 8; ++i) {
    const auto file = scenario(i <= 4 ? "" : "--delay-ms 3");
    const auto o =
        run_bench(fmt::format("run '{}' -o '{}' -q", file.string(), (dir / fmt::format("run-{}", i)).string()), dir);
    INFO("stdout:\n" << o.out << "\nstderr:\n" << o.err);
    REQUIRE(o.exit_code == 0);
  }
  const auto history = run_bench(fmt::format("history '{}'/run-*/*/results.json", dir.path().string()), dir);
  INFO("stdout:\n" << history.out << "\nstderr:\n" << history.err);
  CHECK(history.exit_code == 1);
  CHECK(std::regex_search(history.out, std::regex(R"(\| tiny +\| json +\| c=2 +\| +#5 \|)")));
  CHECK(history.out.find("| #8 |") != std::string::npos);
}
