#include "report/result.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using bench::report::Cell;
using bench::report::Run;

namespace {

Run sample_run() {
  Run run;
  run.scenario_name = "ladder";
  run.scenario = {{"name", "ladder"}, {"load", {{"connections", {16, 64}}}}};
  run.environment.cpu_model = "Test CPU";
  run.environment.cores = 2;
  run.environment.frameworks = {{"fastapi", "0.92"}};
  run.started_at = "2026-11-26T10:30:00Z";
  run.status = "complete";
  run.variants.push_back({"raw", "ok", "", "", "logs/raw.log", {{"db", "pass", "one object"}}, 1.5});
  run.variants.push_back({"orm", "failed", "build failed", "error: x", "logs/orm.log", {}, 0});
  Cell c;
  c.variant = "raw";
  c.test = "queries";
  c.connections = 64;
  c.queries = 20;
  c.repeat = 1;
  c.status = "ok";
  c.requests = 12345;
  c.requests_per_sec = 1234.5;
  c.latency.p99_us = 9876.5;
  c.latency.curve = {{50.0, 100.0}, {99.0, 900.0}};
  c.latency_uncorrected = c.latency;
  c.errors.timeout = 3;
  c.status_codes = {{200, 12340}, {503, 5}};
  c.db_queries_per_request = 20.0;
  c.server_peak_rss_bytes = 123456789;
  c.warnings = {"errors above 0.1%"};
  run.cells.push_back(c);
  return run;
}

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("bench-report-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("a run survives the JSON round trip field by field") {
  const Run original = sample_run();
  const Run back = bench::report::run_from_json(bench::report::to_json(original));
  CHECK(bench::report::to_json(back) == bench::report::to_json(original));
  REQUIRE(back.cells.size() == 1);
  CHECK(back.cells[0].queries == 20);
  CHECK(back.cells[0].status_codes.at(503) == 5);
  CHECK(back.cells[0].errors.total() == 3);
  CHECK(back.cells[0].latency.curve.size() == 2);
  CHECK(back.cells[0].db_queries_per_request == 20.0);
  CHECK_FALSE(back.cells[0].server_cpu_us_per_request.has_value());
  CHECK(back.variants[1].reason == "build failed");
}

TEST_CASE("save_atomic writes a loadable file and leaves no temporary behind") {
  const auto dir = temp_dir();
  const auto path = dir / "results.json";
  bench::report::save_atomic(sample_run(), path);
  bench::report::save_atomic(sample_run(), path);  // rewriting over an existing file works too
  CHECK(bench::report::load(path).cells.size() == 1);
  CHECK_FALSE(fs::exists(dir / "results.json.tmp"));
  CHECK_THROWS_AS(bench::report::save_atomic(sample_run(), dir / "no-such-dir" / "r.json"), std::system_error);
  fs::remove_all(dir);
}

TEST_CASE("load refuses files that are not results with a message naming the file") {
  const auto dir = temp_dir();
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(bench::report::load(dir / "missing.json"), Contains("missing.json") && Contains("cannot open"));

  std::ofstream(dir / "garbage.json") << "this is not json";
  CHECK_THROWS_WITH(bench::report::load(dir / "garbage.json"), Contains("not JSON"));

  std::ofstream(dir / "other.json") << R"({"name": "package.json"})";
  CHECK_THROWS_WITH(bench::report::load(dir / "other.json"), Contains("not a bench results file"));

  std::ofstream(dir / "future.json") << R"({"schema_version": 99, "cells": []})";
  CHECK_THROWS_WITH(bench::report::load(dir / "future.json"), Contains("unknown schema_version 99"));

  std::ofstream(dir / "badtype.json") << R"({"schema_version": 1, "cells": [{"requests": "many"}]})";
  CHECK_THROWS_AS(bench::report::load(dir / "badtype.json"), bench::report::ResultsError);
  CHECK_THROWS_AS(bench::report::load(dir / "badtype.json"), bench::UsageError);
  fs::remove_all(dir);
}
