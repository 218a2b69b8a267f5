// The fleet end to end: mpirun starts real bench ranks, first on this machine against a loopback server, then in two
// network namespaces the test makes (a veth pair between them, addresses that exist only there), the target inside
// one of them, so one rank's traffic really crosses from one "host" to another. Nothing leaves those namespaces.
#include "load/test_server.h"
#include "report/result.h"
#include "stats/histogram.h"
#include "supervisor/process.h"
#include "supervisor/test_support.h"

#include <catch2/catch.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using bench::supervisor::Process;
using bench::supervisor::ProcessSpec;
using bench::supervisor::testing::read_file;
using nlohmann::json;

namespace {

bool mpirun_available() {
#ifndef BENCH_HAVE_MPI
  return false;
#else
  return ::access("/usr/bin/mpirun", X_OK) == 0;
#endif
}

// mpirun refuses root without these; the test machine may have fewer cores than ranks.
std::string mpirun_flags() {
  // rtc_hwloc_vmhole: as fleet/launch.cpp, which says why.
  return std::string(::geteuid() == 0 ? "--allow-run-as-root " : "") +
         "--oversubscribe --mca btl tcp,self --mca rtc_hwloc_vmhole none";
}

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

// Runs `command` through the shell, stdout and stderr to files of their own; kills it after `deadline`.
Outcome run_shell(const bench::supervisor::testing::TempDir& dir, const std::string& command,
                  std::chrono::seconds deadline = 120s) {
  ProcessSpec spec;
  spec.argv = bench::supervisor::shell_command(command + " > " + (dir / "out").string());
  spec.log = dir / "err";
  const auto run = bench::supervisor::run_to_completion(spec, deadline);
  Outcome outcome{run.exit_code, read_file(dir / "out"), read_file(dir / "err")};
  fs::remove(dir / "out");
  fs::remove(dir / "err");
  return outcome;
}

// The fleet's JSON must add up: per-rank requests to the total, per-rank histograms to the fleet's, and the
// fleet's percentiles must be those of the merged histogram.
void check_merge(const json& fleet, int ranks) {
  REQUIRE(fleet["fleet"]["ranks"] == ranks);
  uint64_t requests = 0;
  bench::stats::Histogram merged;
  for (const auto& rank : fleet["fleet"]["per_rank"]) {
    INFO("rank " << rank["rank"]);
    CHECK(rank["failure"] == "");
    CHECK(rank["requests"].get<uint64_t>() > 0);  // every rank did its share
    requests += rank["requests"].get<uint64_t>();
    merged.merge(bench::stats::histogram_from_json(rank["latency_histogram_us"]));
  }
  CHECK(requests == fleet["requests"].get<uint64_t>());
  const auto reported = bench::stats::histogram_from_json(fleet["latency_histogram_us"]);
  CHECK(reported.count() == merged.count());
  CHECK(merged.count() == requests);
  const std::pair<const char*, double> percentiles[] = {
      {"p50_us", 50}, {"p90_us", 90}, {"p99_us", 99}, {"p999_us", 99.9}};
  for (const auto& [field, p] : percentiles) {
    INFO(field);
    CHECK(fleet["latency"][field].get<double>() == static_cast<double>(merged.value_at_percentile(p)));
  }
  CHECK(fleet["latency"]["max_us"].get<double>() == static_cast<double>(merged.max()));
}

}  // namespace

TEST_CASE("mpirun -np 2 bench load: the fleet's merged counts are what the server answered", "[integration]") {
  if (!mpirun_available()) {
    WARN("skipped: bench was built without MPI or mpirun is not installed (openmpi-bin, libopenmpi-dev)");
    SUCCEED();
    return;
  }
  bench::supervisor::testing::TempDir dir;
  bench::load::testing::TestServer server;
  const auto run = run_shell(dir, fmt::format("mpirun {} -np 2 {} load --json -c 6 -t 2 -d 2s {}", mpirun_flags(),
                                              BENCH_PATH, server.url("/")));
  INFO(run.err);
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  const json fleet = json::parse(run.out);  // only rank 0 prints
  check_merge(fleet, 2);
  CHECK(fleet["options"]["connections"] == 6);
  CHECK(fleet["fleet"]["per_rank"][0]["connections"] == 3);
  CHECK(fleet["fleet"]["per_rank"][1]["connections"] == 3);
  CHECK(fleet["errors"]["connect"] == 0);
  // Every rank drained its requests in flight: the fleet counted every request the server received.
  CHECK(fleet["requests"].get<uint64_t>() + fleet["drained_requests"].get<uint64_t>() == server.requests_seen());
}

TEST_CASE("mpirun bench load prints wrk's layout for the whole fleet, then the ranks", "[integration]") {
  if (!mpirun_available()) {
    WARN("skipped: bench was built without MPI or mpirun is not installed (openmpi-bin, libopenmpi-dev)");
    SUCCEED();
    return;
  }
  bench::supervisor::testing::TempDir dir;
  bench::load::testing::TestServer server;
  const auto run = run_shell(dir, fmt::format("mpirun {} -np 2 {} load -c 4 -t 1 -d 1s --latency {}", mpirun_flags(),
                                              BENCH_PATH, server.url("/")));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::StartsWith(fmt::format("Running 1s test @ {}\n  2 threads and 4 connections\n",
                                                    server.url("/"))));
  CHECK_THAT(run.out, Catch::Contains("Latency Distribution"));
  CHECK_THAT(run.out, Catch::Contains("Requests/sec:"));
  CHECK_THAT(run.out, Catch::Contains("Fleet: 2 ranks"));
  // One report, not one per rank.
  CHECK(run.out.find("Running 1s test") == run.out.rfind("Running 1s test"));

  // Fewer connections than ranks: refused once, by rank 0, naming the flag.
  const auto refused = run_shell(dir, fmt::format("mpirun {} -np 2 {} load -c 1 -t 1 -d 1s {}", mpirun_flags(),
                                                  BENCH_PATH, server.url("/")));
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Catch::Contains("--connections: 1 is fewer than the 2 ranks"));
}

namespace {

// Two network namespaces joined by one veth pair, on a /24 that exists only inside them; removed on destruction
// (also when a check fails), which removes the veth pair with them.
class NamespacePair {
 public:
  NamespacePair() : a_(fmt::format("bfa{}", ::getpid())), b_(fmt::format("bfb{}", ::getpid())) {
    subnet_ = fmt::format("10.213.{}", ::getpid() % 250);
    ok_ = ip("netns add " + a_) && (created_a_ = true) && ip("netns add " + b_) && (created_b_ = true) &&
          ip(fmt::format("link add va{} netns {} type veth peer name vb{} netns {}", ::getpid(), a_, ::getpid(), b_)) &&
          ip(fmt::format("-n {} addr add {}.1/24 dev va{}", a_, subnet_, ::getpid())) &&
          ip(fmt::format("-n {} addr add {}.2/24 dev vb{}", b_, subnet_, ::getpid())) &&
          ip(fmt::format("-n {} link set va{} up", a_, ::getpid())) &&
          ip(fmt::format("-n {} link set vb{} up", b_, ::getpid())) && ip(fmt::format("-n {} link set lo up", a_)) &&
          ip(fmt::format("-n {} link set lo up", b_));
  }
  ~NamespacePair() {
    if (created_a_) ip("netns del " + a_);
    if (created_b_) ip("netns del " + b_);
  }
  NamespacePair(const NamespacePair&) = delete;
  NamespacePair& operator=(const NamespacePair&) = delete;

  bool ok() const { return ok_; }
  const std::string& a() const { return a_; }
  const std::string& b() const { return b_; }
  std::string address_a() const { return subnet_ + ".1"; }
  std::string range() const { return subnet_ + ".0/24"; }

 private:
  static bool ip(const std::string& args) {
    ProcessSpec spec;
    spec.argv = bench::supervisor::shell_command("ip " + args + " 2>&1");
    return bench::supervisor::run_to_completion(spec, 10s).ok();
  }
  std::string a_, b_, subnet_;
  bool created_a_ = false, created_b_ = false, ok_ = false;
};

// Why tests across network namespaces cannot run here, or nullopt.
std::optional<std::string> namespaces_unavailable() {
  if (!mpirun_available()) return "bench was built without MPI or mpirun is not installed (openmpi-bin, libopenmpi-dev)";
  if (::geteuid() != 0) return "making network namespaces needs root";
  return std::nullopt;
}

// Open MPI's "rsh" agent: runs the command inside the namespace named as the host.
fs::path write_netns_agent(const bench::supervisor::testing::TempDir& dir) {
  const fs::path agent = dir / "netns-agent";
  std::ofstream(agent) << "#!/bin/sh\nh=$1; shift\nexec ip netns exec \"$h\" sh -c \"$*\"\n";
  fs::permissions(agent, fs::perms::owner_all);
  return agent;
}

}  // namespace

TEST_CASE("a fleet of two ranks in two network namespaces loads a server in one of them", "[integration]") {
  if (const auto why = namespaces_unavailable()) {
    WARN("skipped: " << *why);
    SUCCEED();
    return;
  }
  NamespacePair hosts;
  if (!hosts.ok()) {
    WARN("skipped: `ip netns` cannot make namespaces and a veth pair here");
    SUCCEED();
    return;
  }
  bench::supervisor::testing::TempDir dir;
  const fs::path agent = write_netns_agent(dir);

  ProcessSpec target;
  target.argv = {"ip", "netns", "exec", hosts.a(), TARGET_SERVER_PATH, hosts.address_a(), "8080"};
  target.log = dir / "target.log";
  auto server = Process::spawn(target);
  REQUIRE(bench::supervisor::testing::first_line(target.log) == "listening");

  // mpirun itself runs in the first namespace, so that its own wire-up also stays on the veth pair.
  const auto run = run_shell(
      dir, fmt::format("ip netns exec {} mpirun {} --mca plm_rsh_agent {} --mca oob_tcp_if_include {} "
                       "--mca btl_tcp_if_include {} --host {}:1,{}:1 -np 2 {} load --json -c 4 -t 1 -d 2s "
                       "http://{}:8080/",
                       hosts.a(), mpirun_flags(), agent.string(), hosts.range(), hosts.range(), hosts.a(), hosts.b(),
                       BENCH_PATH, hosts.address_a()));
  server.stop(5s, SIGTERM);
  const std::string served = read_file(target.log);
  INFO(run.err);
  INFO(run.out);
  INFO(served);
  REQUIRE(run.exit_code == 0);
  const json fleet = json::parse(run.out);
  check_merge(fleet, 2);  // both ranks got answers, including the one whose only way to the server is the veth pair
  CHECK(fleet["errors"]["connect"] == 0);
  const auto answered = served.find("answered ");
  REQUIRE(answered != std::string::npos);
  CHECK(std::stoull(served.substr(answered + 9)) ==
        fleet["requests"].get<uint64_t>() + fleet["drained_requests"].get<uint64_t>());
}

TEST_CASE("bench run with load.ranks measures each cell on an mpirun fleet", "[integration]") {
  if (!mpirun_available()) {
    WARN("skipped: bench was built without MPI or mpirun is not installed (openmpi-bin, libopenmpi-dev)");
    SUCCEED();
    return;
  }
  bench::supervisor::testing::TempDir dir;
  const fs::path scenario = dir / "scenario.yaml";
  std::ofstream(scenario) << fmt::format(R"(
name: fleet-run
database: none
servers:
  tiny: {{command: "/usr/bin/python3 {} --token fleet-run-{}", ready: {{path: /json, timeout: 20s}}}}
tests:
  json: /json
load: {{connections: 4, threads: 1, duration: 2s, warmup: 0s, ranks: 2}}
)",
                                         TINY_SERVER_PATH, ::getpid());
  const auto run = run_shell(dir, fmt::format("{} run -q {} -o {}", BENCH_PATH, scenario.string(),
                                              (dir / "results").string()));
  INFO(run.out);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  fs::path folder;
  for (const auto& entry : fs::directory_iterator(dir / "results")) folder = entry.path();
  const auto results = bench::report::load(folder / "results.json");
  REQUIRE(results.cells.size() == 1);
  CHECK(results.cells[0].requests > 0);
  CHECK(results.scenario["load"]["ranks"] == 2);
  // The cell's figures are the fleet's: rank 0's report, kept beside the results.
  const json fleet = json::parse(read_file(folder / "tiny.fleet.log.json"));
  check_merge(fleet, 2);
  CHECK(fleet["requests"].get<uint64_t>() == results.cells[0].requests);
}

TEST_CASE("bench run in one namespace: servers and database on its veth address, a fleet across two measures",
          "[integration]") {
  if (const auto why = namespaces_unavailable()) {
    WARN("skipped: " << *why);
    SUCCEED();
    return;
  }
  NamespacePair hosts;
  if (!hosts.ok()) {
    WARN("skipped: `ip netns` cannot make namespaces and a veth pair here");
    SUCCEED();
    return;
  }
  bench::supervisor::testing::TempDir dir;
  fs::permissions(dir.path(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);  // postgres
  const fs::path agent = write_netns_agent(dir);
  // bench runs in the first namespace, where the veth address is its own: the embedded PostgreSQL and the FastAPI
  // server (raw SQL, a real database login with the run's password) listen there, and only there. The rank in the
  // second namespace reaches the server over the veth pair alone.
  const fs::path scenario = dir / "scenario.yaml";
  std::ofstream(scenario) << fmt::format(R"(
name: fleet-listen
listen: {}
servers:
  raw:
    command: "exec /usr/bin/python3 run.py"
    cwd: {}/servers/python-fastapi
    env: {{BENCH_VARIANT: raw}}
tests:
  json: /json
  db: /db
load:
  connections: 4
  threads: 1
  duration: 2s
  warmup: 0s
  launcher: "mpirun {} --mca plm_rsh_agent {} --mca oob_tcp_if_include {} --mca btl_tcp_if_include {} --host {}:1,{}:1 -np 2"
)",
                                         hosts.address_a(), SOURCE_DIR, mpirun_flags(), agent.string(), hosts.range(),
                                         hosts.range(), hosts.a(), hosts.b());
  const auto run = run_shell(dir, fmt::format("TMPDIR={} ip netns exec {} {} run -q {} -o {}", dir.path().string(),
                                              hosts.a(), BENCH_PATH, scenario.string(), (dir / "results").string()),
                             240s);
  INFO(run.out);
  INFO(run.err);
  fs::path folder;
  for (const auto& entry : fs::directory_iterator(dir / "results")) folder = entry.path();
  INFO("mpirun's output: " << read_file(folder / "raw.fleet.log"));
  INFO("the fleet's report: " << read_file(folder / "raw.fleet.log.json"));
  REQUIRE(run.exit_code == 0);
  const auto results = bench::report::load(folder / "results.json");
  CHECK(results.scenario["listen"] == hosts.address_a());
  REQUIRE(results.variants.size() == 1);
  INFO(results.variants[0].reason);
  CHECK(results.variants[0].status == "ok");  // verified: /db answered from the database on the veth address
  REQUIRE(results.cells.size() == 2);
  for (const auto& cell : results.cells) {
    INFO(cell.test);
    CHECK(cell.requests > 0);
    CHECK(cell.errors.total() == 0);
  }
  // The last cell's fleet report: both ranks got answers, the one in the second namespace over the veth pair.
  check_merge(json::parse(read_file(folder / "raw.fleet.log.json")), 2);
}
