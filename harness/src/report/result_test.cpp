#include "report/result.h"
#include "report/report_header.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
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
  run.variants.push_back({"raw", "ok", "", "", "logs/raw.log", {{"db", "pass", "one object"}}, 1.5, {}, {}, "", ""});
  run.variants.push_back({"orm", "failed", "build failed", "error: x", "logs/orm.log", {}, 0, {}, {}, "", ""});
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
  CHECK_THROWS_WITH(bench::report::load(dir / "garbage.json"), Contains("not valid JSON"));

  std::ofstream(dir / "other.json") << R"({"name": "package.json"})";
  CHECK_THROWS_WITH(bench::report::load(dir / "other.json"), Contains("not a bench results file"));

  std::ofstream(dir / "future.json") << R"({"schema_version": 99, "cells": []})";
  CHECK_THROWS_WITH(bench::report::load(dir / "future.json"), Contains("unknown schema_version 99"));

  std::ofstream(dir / "badtype.json") << R"({"schema_version": 1, "cells": [{"requests": "many"}]})";
  CHECK_THROWS_AS(bench::report::load(dir / "badtype.json"), bench::report::ResultsError);
  CHECK_THROWS_AS(bench::report::load(dir / "badtype.json"), bench::UsageError);
  fs::remove_all(dir);
}

TEST_CASE("load bounds hostile files: depth, size, folders, wrong shapes, bytes that are not UTF-8") {
  const auto dir = temp_dir();
  using Catch::Matchers::Contains;
  // 100,000 levels used to overflow the stack in the recursive copy of the scenario.
  std::ofstream(dir / "deep.json") << R"({"schema_version": 1, "cells": [], "scenario": )" << std::string(100000, '[')
                                   << std::string(100000, ']') << "}";
  CHECK_THROWS_WITH(bench::report::load(dir / "deep.json"), Contains("deep.json") && Contains("nested more than 64"));

  {
    std::ofstream big(dir / "big.json");
    big << R"({"schema_version": 1, "cells": [], "pad": ")";
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 33; ++i) big << chunk;
    big << "\"}";
  }
  CHECK_THROWS_WITH(bench::report::load(dir / "big.json"), Contains("big.json") && Contains("larger than 32 MiB"));

  CHECK_THROWS_WITH(bench::report::load(dir), Contains("is a folder"));

  std::ofstream(dir / "cells5.json") << R"({"schema_version": 1, "cells": 5})";
  CHECK_THROWS_WITH(bench::report::load(dir / "cells5.json"), Contains("cells: expected an array, found number"));

  std::ofstream(dir / "cellnum.json") << R"({"schema_version": 1, "cells": [{"latency": {"p99_us": "slow"}}]})";
  CHECK_THROWS_WITH(bench::report::load(dir / "cellnum.json"),
                    Contains("cells[0].latency.p99_us: expected a number, found string"));

  std::ofstream(dir / "variants.json") << R"({"schema_version": 1, "cells": [], "variants": [7]})";
  CHECK_THROWS_WITH(bench::report::load(dir / "variants.json"), Contains("variants[0]: expected an object"));

  std::ofstream(dir / "latin1.json") << "{\"schema_version\": 1, \"cells\": [], \"scenario_name\": \"caf\xe9\"}";
  CHECK_THROWS_WITH(bench::report::load(dir / "latin1.json"), Contains("latin1.json") && Contains("UTF-8"));
  try {
    bench::report::load(dir / "latin1.json");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find('\xe9') == std::string::npos);  // the bad byte is never echoed
  }

  // Issue 25: width bounds the work as depth bounds the recursion; the limits are named.
  const auto wide = [](std::size_t keys) {
    std::string text = R"({"schema_version": 1, "cells": [], "scenario": {)";
    for (std::size_t i = 0; i < keys; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\": 1";
    return text + "}}";
  };
  std::ofstream(dir / "wide.json") << wide(bench::report::kMaxResultsObjectKeys + 1);
  CHECK_THROWS_WITH(bench::report::load(dir / "wide.json"),
                    Contains("wide.json: an object with more than 10000 keys"));
  std::ofstream(dir / "wide-ok.json") << wide(bench::report::kMaxResultsObjectKeys);
  CHECK(bench::report::load(dir / "wide-ok.json").scenario.size() == bench::report::kMaxResultsObjectKeys);
  const auto long_array = [](std::size_t items, const std::string& item) {
    std::string text = R"({"schema_version": 1, "cells": [], "environment": {"x": [[)";
    for (std::size_t i = 0; i < items; ++i) text += (i ? "," : "") + item;
    return text + "]]}}";
  };
  std::ofstream(dir / "long.json") << long_array(bench::report::kMaxResultsArrayItems + 1, "0");
  CHECK_THROWS_WITH(bench::report::load(dir / "long.json"),
                    Contains("long.json: an array with more than 100000 items"));
  std::ofstream(dir / "long-objects.json") << long_array(bench::report::kMaxResultsArrayItems + 1, "{}");
  CHECK_THROWS_WITH(bench::report::load(dir / "long-objects.json"), Contains("more than 100000 items"));
  std::ofstream(dir / "long-ok.json") << long_array(bench::report::kMaxResultsArrayItems, "[]");
  CHECK_NOTHROW(bench::report::load(dir / "long-ok.json"));

  // Cells of the files one report reads together: three files of 70,000 cells pass one by one, not together.
  {
    std::string text = R"({"schema_version": 1, "cells": [)";
    for (int i = 0; i < 70'000; ++i) text += i ? ",{}" : "{}";
    std::ofstream(dir / "cells70k.json") << text << "]}";
  }
  const std::string cells70k = (dir / "cells70k.json").string();
  CHECK(bench::report::load_all({cells70k, cells70k}).size() == 2);
  CHECK_THROWS_WITH(bench::report::load_all({cells70k, cells70k, cells70k}),
                    Contains("cells70k.json: brings the cells of the files read together past 200000"));

  // Fields this version does not know (another bench's additions) are ignored, not refused.
  std::ofstream(dir / "extra.json")
      << R"({"schema_version": 1, "cells": [{"variant": "a", "contention": {"others_cpu": 0.3}}],
            "environment": {"cpu_model": "X", "load_average": [1, 2, 3]}})";
  const auto extra = bench::report::load(dir / "extra.json");
  CHECK(extra.cells.at(0).variant == "a");
  CHECK(extra.environment.cpu_model == "X");
  fs::remove_all(dir);
}

namespace {

// Every object key of the writer's output, except the contents of free-form maps (scenario, frameworks, codes).
void collect_keys(const nlohmann::json& j, std::set<std::string>& keys) {
  if (j.is_array()) {
    for (const auto& item : j) collect_keys(item, keys);
    return;
  }
  if (!j.is_object()) return;
  for (const auto& [key, value] : j.items()) {
    keys.insert(key);
    if (key != "scenario" && key != "frameworks" && key != "status_codes") collect_keys(value, keys);
  }
}

}  // namespace

TEST_CASE("docs/results.md documents every key the writer emits") {
  const char* source = std::getenv("BENCH_SOURCE_DIR");
  REQUIRE(source != nullptr);
  std::ifstream in(fs::path(source) / "docs" / "results.md");
  REQUIRE(in);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Run run = sample_run();
  run.cells[0].server_cpu_us_per_request = 1;  // every optional present
  run.cells[0].client_cpu_us_per_request = 1;
  run.cells[0].db_cpu_us_per_request = 1;
  run.cells[0].db_rows_per_request = 1;
  run.cells[0].warnings = {{bench::report::WarningCode::errors, "x"}};
  std::set<std::string> keys;
  collect_keys(bench::report::to_json(run), keys);
  CHECK(keys.size() > 50);
  for (const auto& key : keys) {
    INFO("key " << key);
    CHECK(doc.find("`" + key + "`") != std::string::npos);
  }
  // And every warning code has its row.
  for (int code = 0; code <= static_cast<int>(bench::report::WarningCode::load); ++code) {
    const auto name = std::string(bench::report::warning_code_name(static_cast<bench::report::WarningCode>(code)));
    INFO("warning code " << name);
    CHECK(doc.find("| `" + name + "` |") != std::string::npos);
  }
}

TEST_CASE("warnings keep their codes through the file, and old plain-text warnings still load") {
  Run run = sample_run();
  run.cells[0].warnings = {{bench::report::WarningCode::client_saturated, "the load generator used 95%"}};
  const auto json = bench::report::to_json(run);
  CHECK(json["cells"][0]["warnings"][0]["code"] == "client_saturated");
  const Run back = bench::report::run_from_json(json);
  CHECK(back.cells[0].warnings.at(0).code == bench::report::WarningCode::client_saturated);

  auto old = json;
  old["cells"][0]["warnings"] = {"errors above 0.1%"};
  const Run legacy = bench::report::run_from_json(old);
  CHECK(legacy.cells[0].warnings.at(0).code == bench::report::WarningCode::other);
  CHECK(legacy.cells[0].warnings.at(0).message == "errors above 0.1%");

  auto newer = json;
  newer["cells"][0]["warnings"][0]["code"] = "from_the_future";
  CHECK(bench::report::run_from_json(newer).cells[0].warnings.at(0).code == bench::report::WarningCode::other);
}

TEST_CASE("revisions and each variant's revision survive the round trip and head the report") {
  Run run = sample_run();
  run.revisions = {{"main", "0123456789abcdef0123456789abcdef01234567", "the base", false, false},
                   {"WORKTREE", "89abcdef0123456789abcdef0123456789abcdef", "the head", true, true}};
  run.variants[0].name = "raw@main";
  run.variants[0].base = "raw";
  run.variants[0].revision = "main";
  const Run back = bench::report::run_from_json(bench::report::to_json(run));
  REQUIRE(back.revisions.size() == 2);
  CHECK(back.revisions[1].label == "WORKTREE");
  CHECK(back.revisions[1].working_tree);
  CHECK(back.revisions[1].dirty);
  CHECK(back.revisions[0].commit == run.revisions[0].commit);
  CHECK(back.variants[0].base == "raw");
  CHECK(back.variants[0].revision == "main");
  const auto lines = bench::report::run_descriptions({back});
  CHECK_THAT(lines[0], Catch::Contains("@main = 0123456789ab \"the base\"") &&
                           Catch::Contains("@WORKTREE = 89abcdef0123 + uncommitted changes \"the head\""));
  // A wrong type is named by its path.
  auto json = bench::report::to_json(run);
  json["revisions"][0]["dirty"] = "yes";
  CHECK_THROWS_WITH(bench::report::run_from_json(json), Catch::Contains("revisions[0].dirty: expected true or false"));
}
