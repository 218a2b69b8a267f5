#include "model/bounded_json.h"
#include "model/result.h"

#include <catch2/catch.hpp>

#include <string>

namespace model = bench::model;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

model::Run full_run() {
  model::Run run;
  run.scenario_name = "quick";
  run.scenario = {{"name", "quick"}, {"load", {{"duration", "1s"}}}};
  run.environment.cpu_model = "AMD EPYC";
  run.environment.cores = 2;
  run.environment.frameworks = {{"gin", "1.10"}};
  run.placement = {{"server", "0"}};
  run.started_at = "2026-11-26T10:30:00Z";
  run.status = "complete";
  model::Variant variant;
  variant.name = "gin-raw@main";
  variant.status = "ok";
  variant.checks = {{"json", "pass", ""}, {"db", "warn", "slow"}};
  variant.versions = {{"go", "1.22"}};
  variant.warnings = {"killed with SIGKILL"};
  variant.revision = "main";
  variant.base = "gin-raw";
  run.variants = {variant};
  run.revisions = {{"main", "0123456789abcdef", "subject", false, false}};
  model::Cell cell;
  cell.variant = "gin-raw@main";
  cell.test = "db";
  cell.connections = 64;
  cell.queries = 1;
  cell.repeat = 2;
  cell.status = "ok";
  cell.duration_s = 1.5;
  cell.requests = 12345;
  cell.requests_per_sec = 8230.0;
  cell.target_rate = 9000;
  cell.owed_unsent = 3;
  cell.latency.p99_us = 1234.5;
  cell.latency.curve = {{50, 100}, {99.9, 2000}};
  cell.latency_uncorrected = model::Latency{.mean_us = 3, .p999_us = 7, .curve = {}};
  cell.errors = {1, 2, 3, 4, 5};
  cell.status_codes = {{200, 12000}, {503, 345}};
  cell.non_2xx_3xx = 345;
  cell.db_queries_per_request = 1.0;
  cell.server_peak_rss_bytes = uint64_t{1} << 40;
  cell.warnings = {{model::WarningCode::rate_shortfall, "achieved 91%"}, model::Warning("free text")};
  cell.contention = model::Contention{.others_cpu_share = 0.07, .steal_share = 0.01, .load_average_1m = 1.5};
  run.cells = {cell, model::Cell{}};
  return run;
}

}  // namespace

TEST_CASE("a run written and read back is the same run") {
  const model::Run run = full_run();
  const json written = model::to_json(run);
  CHECK(model::from_json<model::Run>(written) == run);
  // And through text, as a results file goes.
  CHECK(model::from_json<model::Run>(json::parse(written.dump(2))) == run);
}

TEST_CASE("each type's keys are named once and read back alike") {
  const model::Errors errors{1, 2, 3, 4, 5};
  CHECK(model::to_json(errors) == json{{"connect", 1}, {"read", 2}, {"write", 3}, {"timeout", 4}, {"other", 5}});
  CHECK(model::from_json<model::Errors>(model::to_json(errors)) == errors);
  const model::Warning warning{model::WarningCode::server_died, "the server died"};
  CHECK(model::to_json(warning) == json{{"code", "server_died"}, {"message", "the server died"}});
  CHECK(model::from_json<model::Warning>(model::to_json(warning)) == warning);
}

TEST_CASE("reading keeps defaults for missing keys and names the path of a wrong type") {
  CHECK(model::from_json<model::Cell>(json::object()) == model::Cell{});
  CHECK(model::from_json<model::Cell>(json{{"latency", nullptr}}) == model::Cell{});
  CHECK_THROWS_WITH(model::from_json<model::Run>(json::parse(R"({"cells": [{"latency": {"p99_us": "fast"}}]})")),
                    "cells[0].latency.p99_us: expected a number, found string");
  CHECK_THROWS_WITH(model::from_json<model::Cell>(json{{"requests", -1}}),
                    "requests: expected a non-negative integer, found number");
  CHECK_THROWS_WITH(model::from_json<model::Cell>(json{{"connections", 1e12}}),
                    "connections: expected an integer, found number");
  CHECK_THROWS_WITH(model::from_json<model::Cell>(json{{"connections", 5000000000}}), Contains("out of range"));
  CHECK_THROWS_WITH(model::from_json<model::Cell>(json{{"status_codes", {{"2x", 1}}}}),
                    "status_codes: key \"2x\" is not an integer");
  CHECK_THROWS_AS(model::from_json<model::Cell>(json::array()), model::FormatError);
}

TEST_CASE("warnings read from older and newer files") {
  // Before codes: plain text, code "other".
  const auto old = model::from_json<model::Cell>(json::parse(R"({"warnings": ["no complete responses"]})"));
  REQUIRE(old.warnings.size() == 1);
  CHECK(old.warnings[0].code == model::WarningCode::other);
  CHECK(old.warnings[0].message == "no complete responses");
  // A code from a newer bench reads as "other", its message kept.
  const auto newer = model::from_json<model::Warning>(json{{"code", "gremlins"}, {"message", "m"}});
  CHECK(newer.code == model::WarningCode::other);
  CHECK(newer.message == "m");
  for (int i = 0; i <= static_cast<int>(model::WarningCode::load); ++i) {
    const auto code = static_cast<model::WarningCode>(i);
    CHECK(model::warning_code_named(model::warning_code_name(code)) == code);
  }
}

TEST_CASE("bounded parsing refuses hostile shapes before building them") {
  const model::JsonLimits limits{8, 3, 4};
  CHECK(model::parse_bounded(R"({"a":[1,2,3,4],"b":{"c":1,"d":2,"e":3}})", limits, "f", "a thing") ==
        json::parse(R"({"a":[1,2,3,4],"b":{"c":1,"d":2,"e":3}})"));
  CHECK_THROWS_WITH(model::parse_bounded(std::string(10, '[') + "1" + std::string(10, ']'), limits, "f", "a thing"),
                    "f: nested more than 8 levels deep; a thing needs fewer than 10");
  CHECK_THROWS_WITH(model::parse_bounded(R"({"a":1,"b":2,"c":3,"d":4})", limits, "f", "a thing"),
                    "f: an object with more than 3 keys; a thing needs a few hundred at most");
  CHECK_THROWS_WITH(model::parse_bounded(R"([[1,2,3,4,5]])", limits, "f", "a thing"),
                    "f: an array with more than 4 items; a thing needs a few hundred at most");
  CHECK_THROWS_WITH(model::parse_bounded(R"({"a":[1,2,3,4],"b":[{},{},{},{},{}]})", limits, "f", "a thing"),
                    Contains("more than 4 items"));
  // The parser's message without the echo of the bytes read (here an escape sequence).
  const std::string garbage = "{\"a\": \x1b[31m";
  try {
    model::parse_bounded(garbage, limits, "f", "a thing");
    FAIL("parsed");
  } catch (const model::FormatError& e) {
    CHECK_THAT(e.what(), Contains("f: not a thing (not valid JSON: "));
    CHECK(std::string(e.what()).find('\x1b') == std::string::npos);
  }
}
