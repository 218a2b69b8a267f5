// Placement end to end: the real bench binary runs a scenario with `placement:` (and bench load --cpus), and while it
// runs the kernel's Cpus_allowed_list of every process it started (server, postmaster, backends) and of its own
// threads is read.
#include "load/test_server.h"
#include "report/result.h"
#include "supervisor/process.h"
#include "supervisor/test_support.h"
#include "topology/affinity.h"

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using bench::supervisor::testing::read_file;

namespace {

// A folder others may enter: PostgreSQL's account creates the embedded cluster inside it (TMPDIR).
struct TempDir : bench::supervisor::testing::TempDir {
  TempDir() {
    fs::permissions(path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
  }
};

pid_t parent_of(pid_t pid) {
  const std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 1));
  char state = 0;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

// The descendants of `root` (children, grandchildren...), from /proc.
std::vector<pid_t> descendants(pid_t root) {
  std::map<pid_t, pid_t> parents;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    parents[std::stoi(name)] = parent_of(std::stoi(name));
  }
  std::vector<pid_t> out{root};
  for (size_t i = 0; i < out.size(); ++i)
    for (const auto& [pid, ppid] : parents)
      if (ppid == out[i]) out.push_back(pid);
  out.erase(out.begin());
  return out;
}

std::string comm_of(pid_t pid) {
  std::string comm = read_file(fmt::format("/proc/{}/comm", pid));
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

fs::path results_file(const fs::path& root) {
  for (const auto& entry : fs::directory_iterator(root))
    if (fs::exists(entry.path() / "results.json")) return entry.path() / "results.json";
  return {};
}

}  // namespace

TEST_CASE("bench run pins the server, PostgreSQL and its own load threads as the placement says", "[integration]") {
  const auto allowed = bench::topology::allowed_cpus();
  if (allowed.size() < 2) {
    WARN("placement test skipped: it needs 2 CPUs, this process may use " << bench::topology::format_cpu_list(allowed));
    SUCCEED();
    return;
  }
  const std::string client = std::to_string(allowed[0]), others = std::to_string(allowed[1]);
  TempDir dir;
  const std::string token = fmt::format("placement-{}", getpid());
  const fs::path scenario = dir.path() / "scenario.yaml";
  std::ofstream(scenario) << fmt::format(R"(
name: placement-test
servers:
  tiny: {{command: "/usr/bin/python3 {} --token {}", ready: {{path: /json, timeout: 20s}}}}
tests:
  json: /json
load: {{connections: 4, threads: 2, duration: 3s, warmup: 0s}}
placement: {{client: "{}", database: "{}", servers: "{}"}}
)",
                                         TINY_SERVER_PATH, token, client, others, others);
  bench::supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "run", scenario.string(), "-o", (dir.path() / "results").string()};
  spec.log = dir.path() / "bench.log";
  spec.env["TMPDIR"] = dir.path().string();
  auto bench = bench::supervisor::Process::spawn(spec);

  // What the kernel says while the run goes on: comm -> every Cpus_allowed_list seen for it.
  std::map<std::string, std::set<std::string>> seen;
  std::set<std::string> bench_threads;
  int load_samples = 0;  // samples in which bench had its load threads running (more than 2 threads)
  const auto deadline = std::chrono::steady_clock::now() + 180s;
  while (bench.running() && std::chrono::steady_clock::now() < deadline) {
    for (const pid_t pid : descendants(bench.pid())) {
      const auto list = bench::topology::cpus_allowed_list(pid);
      if (list) seen[comm_of(pid)].insert(*list);
    }
    std::vector<std::string> lists;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator(fmt::format("/proc/{}/task", bench.pid()), ec)) {
      if (const auto list = bench::topology::cpus_allowed_list(bench.pid(), std::stoi(task.path().filename())))
        lists.push_back(*list);
    }
    if (lists.size() > 2) {
      ++load_samples;
      for (const auto& list : lists) bench_threads.insert(list);
    }
    std::this_thread::sleep_for(5ms);
  }
  const int code = bench.wait();
  const std::string output = read_file(dir.path() / "bench.log");
  INFO(output);
  REQUIRE(code == 0);

  REQUIRE(seen.count("postgres"));
  CHECK(seen["postgres"] == std::set<std::string>{others});  // postmaster and every backend
  REQUIRE(seen.count("python3"));
  CHECK(seen["python3"] == std::set<std::string>{others});
  // While measuring, bench's threads (the watching thread and the workers it started) ran on the client's CPU.
  CHECK(load_samples > 0);
  CHECK(bench_threads.count(client) == 1);

  const auto results = bench::report::load(results_file(dir.path() / "results"));
  REQUIRE(results.placement.is_object());
  CHECK(results.placement["rule"] == "scenario");
  CHECK(results.placement["client"] == client);
  CHECK(results.placement["database"] == others);
  CHECK(results.placement["servers"] == others);
  CHECK(results.scenario["placement"]["client"] == client);
  CHECK_THAT(output, Catch::Contains(fmt::format("Placement: client {}, database {}, servers {} (scenario)", client,
                                                 others, others)));
  CHECK_THAT(output, Catch::Contains("placement: warning: database and servers share CPU"));
}

TEST_CASE("bench run refuses a placement on CPUs it may not use, naming the key", "[integration]") {
  TempDir dir;
  const fs::path scenario = dir.path() / "scenario.yaml";
  std::ofstream(scenario) << "servers:\n  tiny: {command: \"true\"}\ntests:\n  json: /json\n"
                             "placement: {client: \"0\", servers: \"4000\"}\n";
  bench::supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "run", scenario.string(), "-o", (dir.path() / "results").string()};
  spec.log = dir.path() / "bench.log";
  auto bench = bench::supervisor::Process::spawn(spec);
  CHECK(bench.wait() == 2);
  const std::string output = read_file(dir.path() / "bench.log");
  CHECK_THAT(output, Catch::Contains(scenario.string() + ":5:35: placement.servers: CPU 4000 is not available"));
  CHECK_FALSE(fs::exists(dir.path() / "results"));  // refused before anything started
}

TEST_CASE("bench load --cpus runs the load threads on those CPUs and refuses CPUs outside the cpuset",
          "[integration]") {
  const auto allowed = bench::topology::allowed_cpus();
  const std::string last = std::to_string(allowed.back());
  bench::load::testing::TestServer server;
  TempDir dir;
  bench::supervisor::ProcessSpec spec;
  spec.argv = {BENCH_PATH, "load", "-c", "4", "-t", "2", "-d", "2s", "--cpus", last, server.url("/")};
  spec.log = dir.path() / "load.log";
  auto bench = bench::supervisor::Process::spawn(spec);
  std::set<std::string> lists;
  while (bench.running()) {
    std::error_code ec;
    std::vector<std::string> now;
    for (const auto& task : fs::directory_iterator(fmt::format("/proc/{}/task", bench.pid()), ec))
      if (const auto list = bench::topology::cpus_allowed_list(bench.pid(), std::stoi(task.path().filename())))
        now.push_back(*list);
    if (now.size() > 2) lists.insert(now.begin(), now.end());  // the workers are running
    std::this_thread::sleep_for(5ms);
  }
  INFO(read_file(spec.log));
  CHECK(bench.wait() == 0);
  CHECK(lists == std::set<std::string>{last});
  CHECK(server.requests_seen() > 0);

  spec.argv = {BENCH_PATH, "load", "-d", "1s", "--cpus", "4000", server.url("/")};
  auto refused = bench::supervisor::Process::spawn(spec);
  CHECK(refused.wait() == 2);
  CHECK_THAT(read_file(spec.log), Catch::Contains("--cpus: CPU 4000 is not available to bench (allowed: "));
}
