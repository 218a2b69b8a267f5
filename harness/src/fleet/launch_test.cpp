#include "fleet/launch.h"

#include "fleet/merge.h"
#include "load/result_json.h"
#include "stats/histogram.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <unistd.h>

using namespace bench::fleet;

TEST_CASE("a cell's options become mpirun and bench load flags") {
  bench::load::Options options;
  options.request.url = "http://10.0.0.5:8080/json";
  options.request.headers = {"Accept: application/json"};
  options.connections = 40;
  options.threads = 2;
  options.duration = std::chrono::seconds(15);
  options.timeout = std::chrono::milliseconds(2500);
  options.pipeline = 16;
  const auto argv = fleet_command({4, {"a", "b"}, ""}, options, "/opt/bench");
  std::string line;
  for (const auto& word : argv) line += word + " ";
  const std::string root = ::geteuid() == 0 ? "--allow-run-as-root " : "";
  CHECK(line == "mpirun " + root +
                    "--oversubscribe --mca rtc_hwloc_vmhole none -np 4 --host a,b /opt/bench load --json -c 40 -t 2 "
                    "-d 15000ms --timeout 2500ms -R 0 --pipeline 16 -m GET -H Accept: application/json http://10.0.0.5:8080/json ");
  const auto launched = fleet_command({0, {}, "srun  --mpi=pmix"}, options, "/opt/bench");
  CHECK(launched[0] == "srun");
  CHECK(launched[1] == "--mpi=pmix");
  CHECK(launched[2] == "/opt/bench");
  // --libcurl-connect only when asked for, so a rank's older bench keeps working otherwise.
  CHECK(std::find(argv.begin(), argv.end(), "--libcurl-connect") == argv.end());
  options.libcurl_connect = true;
  const auto with_libcurl = fleet_command({4, {}, ""}, options, "/opt/bench");
  CHECK(std::find(with_libcurl.begin(), with_libcurl.end(), "--libcurl-connect") != with_libcurl.end());
}

TEST_CASE("rank 0's JSON reads back into the engine's result") {
  bench::load::Result merged;
  merged.options.connections = 4;
  merged.options.threads = 2;
  merged.requests = 1000;
  merged.drained_requests = 3;
  merged.bytes_read = 5000;
  merged.errors.read = 2;
  merged.status_codes[200] = 1000;
  merged.elapsed = std::chrono::seconds(2);
  merged.client_cpu_seconds = 0.25;
  for (int i = 0; i < 1000; ++i) merged.latency.record(100 + i);
  merged.latency_uncorrected = merged.latency;  // closed loop: the engine records both alike
  auto json = bench::load::result_to_json(merged);
  json["fleet"] = ranks_to_json({});
  const auto result = result_from_fleet_json(json, merged.options);
  CHECK(result.requests == 1000);
  CHECK(result.drained_requests == 3);
  CHECK(result.errors.read == 2);
  CHECK(result.status_codes.at(200) == 1000);
  CHECK(result.elapsed == std::chrono::seconds(2));
  CHECK(result.options.threads == 2);
  CHECK(result.latency.value_at_percentile(99) == merged.latency.value_at_percentile(99));
  CHECK(result.latency_uncorrected.count() == 1000);
  json.erase("latency_uncorrected_histogram_us");  // an older bench's report: the latency stands for it
  CHECK(result_from_fleet_json(json, merged.options).latency_uncorrected.count() == 1000);
  json.erase("fleet");
  CHECK_THROWS_WITH(result_from_fleet_json(json, merged.options), Catch::Contains("cannot be read"));
}

TEST_CASE("rank 0's report is found among lines a launcher or a remote daemon printed around it") {
  const nlohmann::json report = {{"requests", 7}, {"fleet", {{"ranks", 2}}}};
  const std::string printed = report.dump(2) + "\n";
  CHECK(bench::fleet::fleet_report_from_output(printed) == report);
  CHECK(bench::fleet::fleet_report_from_output("[host:123] a daemon's notice\n" + printed + "one more line\n") ==
        report);
  CHECK_THROWS_WITH(bench::fleet::fleet_report_from_output("[host:123] no report at all\n"),
                    Catch::Contains("the fleet's report is not JSON: it starts '[host:123] no report at all"));
  CHECK_THROWS_WITH(bench::fleet::fleet_report_from_output("{\n  \"requests\": \n"), Catch::Contains("not JSON"));
}
