#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/aggregate.h"
#include "report/exporter.h"
#include "report/fields.h"
#include "report/rung_cost.h"
#include "report/summary.h"
#include "report/synthetic.h"

using bench::report::Run;
using Catch::Contains;

namespace {

Run ladder_run(int repeats = 5, uint64_t seed = 1) {
  bench::report::testing::SyntheticSpec spec;
  spec.repeats = repeats;
  spec.seed = seed;
  return bench::report::testing::synthetic_run(spec);
}

std::string render(std::string_view format, const std::vector<Run>& runs) {
  return bench::report::make_exporter(format)->render(runs);
}

// A minimal RFC 4180 reader, to check the writer against the standard's rules rather than against itself.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

}  // namespace

TEST_CASE("csv: one row per cell with every field, RFC 4180 quoting") {
  Run run = ladder_run(2);
  run.cells[0].variant = "odd, \"quoted\"\nname";
  run.cells[0].warnings = {"errors above 0.1%", "rate below target"};
  const std::string csv = render("csv", {run});
  const auto rows = parse_csv(csv);
  REQUIRE(rows.size() == run.cells.size() + 1);
  const auto& header = rows[0];
  CHECK(header.size() == bench::report::cell_fields().size() + 2);
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  CHECK(rows[1][column("variant")] == "odd, \"quoted\"\nname");
  CHECK(rows[1][column("warnings")] == "errors above 0.1%; rate below target");
  CHECK(std::stod(rows[1][column("requests_per_sec")]) == run.cells[0].requests_per_sec);  // exact round trip
  CHECK(std::stod(rows[3][column("latency_p99_us")]) == run.cells[2].latency.p99_us);
  CHECK(rows[2][column("queries")] == "20");
  CHECK_THAT(csv, Contains("\"odd, \"\"quoted\"\"\nname\""));
  for (const auto& r : rows) CHECK(r.size() == header.size());
}

TEST_CASE("markdown: a table per test with relative speed, the rung costs and the checks") {
  Run run = ladder_run();
  run.variants.push_back({"broken", "failed", "build failed: exit code 2", "error: no such module", "", {}, 0, {}, {}, "", ""});
  run.variants[1].checks.push_back({"fortunes", "warn", "Content-Type lacks charset"});
  const std::string md = render("md", {run});
  CHECK_THAT(md, Contains("## db\n") && Contains("## queries\n"));
  CHECK_THAT(md, Contains("| Variant | Level | Requests/s | Relative | p50 | p99 | p99.9 | Errors | Queries/req |"));
  CHECK_THAT(md, Contains("| raw | c=64 |"));
  CHECK_THAT(md, Contains("100.0%"));
  CHECK_THAT(md, Contains("### Cost per rung, db c=64"));
  CHECK_THAT(md, Contains("| broken | failed |  |  | build failed: exit code 2 |"));
  CHECK_THAT(md, Contains("| text | ok |  | 2 passed |  |"));
  CHECK_THAT(md, Contains("| text | ok | fortunes | warn | Content-Type lacks charset |"));
  CHECK_THAT(md, !Contains("| pass |"));
  CHECK_THAT(md, !Contains("95% CI"));  // 5 repeats reach only 93.75%: the true coverage is printed
  CHECK_THAT(md, Contains("94% CI, n=5"));
}

TEST_CASE("every format reads the same figure from the same field") {
  const Run run = ladder_run(1);
  const auto table = bench::report::combine({run});
  const auto& p99 = bench::report::field_named("latency_p99_us");
  const auto e = bench::report::estimate(table.rows.front(), p99);
  REQUIRE(e);
  const std::string shown = bench::report::human_value(p99.unit, e->median);
  CHECK_THAT(render("md", {run}), Contains(shown));
  CHECK_THAT(render("html", {run}), Contains(shown));
  const auto json = nlohmann::json::parse(render("json", {run}));
  CHECK(json["rows"][0]["figures"]["latency_p99_us"]["median"].get<double>() == e->median);
}

TEST_CASE("several runs combine: repeats pool per variant x test x level") {
  const auto table = bench::report::combine({ladder_run(3, 1), ladder_run(2, 2)});
  CHECK(table.rows.size() == 10);
  CHECK(table.rows.front().samples.size() == 5);
  const auto json = nlohmann::json::parse(render("json", {ladder_run(3, 1), ladder_run(2, 2)}));
  CHECK(json["runs"].size() == 2);
  CHECK(json["rows"][0]["samples"] == 5);
  CHECK(json["rows"][0]["figures"]["requests_per_sec"]["n"] == 5);
}

TEST_CASE("rung costs follow scenario order with CPU deltas from the previous rung") {
  const auto all = bench::report::ladders(bench::report::combine({ladder_run(1)}));
  REQUIRE(all.size() == 2);
  const auto& db = all[0];
  REQUIRE(db.rungs.size() == 5);
  CHECK(db.rungs[0].variant == "raw");
  CHECK_FALSE(db.rungs[0].cpu_delta_us.has_value());
  CHECK(db.rungs[4].variant == "orm");
  CHECK(db.rungs[4].cpu_delta_us.value() ==
        Approx(db.rungs[4].cpu_us_per_request.value() - db.rungs[3].cpu_us_per_request.value()));
  CHECK(db.rungs[4].cpu_delta_us.value() > 0);  // the ORM costs more CPU per request than baked queries
}

TEST_CASE("rung costs are differenced within each declared ladder only, in scenario order") {
  Run run = ladder_run(1);
  // As orm-across-languages: a ladder on one worker, then two of its rungs again on two workers (their own
  // ladder, in the same folder), and a variant on no ladder.
  run.scenario["servers"] = nlohmann::json::array();
  const std::vector<std::pair<const char*, const char*>> declared = {
      {"raw", "fastapi"}, {"text", "fastapi-w2"}, {"core", "fastapi"}, {"baked", "fastapi-w2"}, {"orm", ""}};
  for (const auto& [name, ladder] : declared) {
    nlohmann::json meta = {{"language", "python"}, {"framework", "fastapi"}, {"rung", name}};
    if (*ladder) meta["ladder"] = ladder;
    run.scenario["servers"].push_back({{"name", name}, {"cwd", "/srv/python-fastapi"}, {"meta", meta}});
  }
  const auto table = bench::report::combine({run});
  CHECK(table.ladder.at("raw") == "fastapi");
  CHECK(table.ladder.count("orm") == 0);
  const auto all = bench::report::ladders(table);
  REQUIRE_FALSE(all.empty());
  const auto& rungs = all[0].rungs;
  REQUIRE(rungs.size() == 5);
  // Grouped by ladder in scenario order, each ladder's rungs in scenario order, the unladdered last.
  CHECK(rungs[0].variant == "raw");
  CHECK(rungs[1].variant == "core");
  CHECK(rungs[2].variant == "text");
  CHECK(rungs[3].variant == "baked");
  CHECK(rungs[4].variant == "orm");
  CHECK(rungs[0].ladder == "fastapi");
  CHECK(rungs[2].ladder == "fastapi-w2");
  CHECK(rungs[4].ladder.empty());
  CHECK_FALSE(rungs[0].cpu_delta_us.has_value());  // first of its ladder
  CHECK(rungs[1].cpu_delta_us.value() ==           // core against raw, not against text before it
        Approx(rungs[1].cpu_us_per_request.value() - rungs[0].cpu_us_per_request.value()));
  CHECK_FALSE(rungs[2].cpu_delta_us.has_value());  // first of the other ladder, not against core
  CHECK(rungs[3].cpu_delta_us.value() ==
        Approx(rungs[3].cpu_us_per_request.value() - rungs[2].cpu_us_per_request.value()));
  CHECK_FALSE(rungs[4].cpu_delta_us.has_value());  // on no ladder: no difference
  const auto md = render("md", {run});
  CHECK_THAT(md, Contains("| Ladder | Variant | Requests/s |"));
  CHECK_THAT(md, Contains("| fastapi | raw |") && Contains("|  | core |") && Contains("| fastapi-w2 | text |"));
  const auto json = nlohmann::json::parse(render("json", {run}));
  CHECK(json["ladders"][0]["rungs"][2]["ladder"] == "fastapi-w2");
  CHECK(json["ladders"][0]["rungs"][4]["cpu_us_delta"].is_null());
}

TEST_CASE("results that declare no ladder: one per code base (frameworks)") {
  Run run = ladder_run(1);
  // raw, text, core share one code base; baked and orm are another (as FastAPI vs Gin would be).
  run.scenario["servers"] = nlohmann::json::array();
  for (const char* name : {"raw", "text", "core"})
    run.scenario["servers"].push_back({{"name", name}, {"cwd", "/srv/one"}});
  for (const char* name : {"baked", "orm"})
    run.scenario["servers"].push_back({{"name", name}, {"cwd", "/srv/two"}});
  const auto all = bench::report::ladders(bench::report::combine({run}));
  REQUIRE_FALSE(all.empty());
  const auto& rungs = all[0].rungs;
  REQUIRE(rungs.size() == 5);
  CHECK(rungs[1].cpu_delta_us.has_value());        // text after raw: same code
  CHECK_FALSE(rungs[3].cpu_delta_us.has_value());  // baked after core: another code base starts a new ladder
  CHECK(rungs[4].cpu_delta_us.has_value());        // orm after baked

  // meta's language and framework name the code base when given: one folder may hold several frameworks.
  run.scenario["servers"] = nlohmann::json::array();
  for (const char* name : {"raw", "text", "core", "baked", "orm"}) {
    const bool starlette = std::string(name) == "baked" || std::string(name) == "orm";
    run.scenario["servers"].push_back(
        {{"name", name},
         {"cwd", "/srv/python"},
         {"meta", {{"language", "python"}, {"framework", starlette ? "starlette" : "fastapi"}, {"rung", name}}}});
  }
  const auto by_meta = bench::report::ladders(bench::report::combine({run}))[0].rungs;
  CHECK(by_meta[1].cpu_delta_us.has_value());
  CHECK_FALSE(by_meta[3].cpu_delta_us.has_value());  // fastapi -> starlette, though in one folder
  CHECK(by_meta[4].cpu_delta_us.has_value());
}

TEST_CASE("markdown and HTML reports show each variant's versions, both versions where runs differ") {
  Run before = ladder_run(1);
  for (auto& variant : before.variants) variant.versions = {{"python", "3.11.2"}, {"sqlalchemy", "1.4.46"}};
  Run after = ladder_run(1, 2);
  for (auto& variant : after.variants) {
    variant.versions = {{"python", "3.11.2"}, {"sqlalchemy", variant.name == "orm" ? "2.0.1" : "1.4.46"}};
  }
  after.variants.front().versions.clear();  // a variant without a versions command in one run
  const auto md = render("md", {before, after});
  CHECK_THAT(md, Contains("## Versions\n\n| Variant | Versions |"));
  CHECK_THAT(md, Contains("| orm | python 3.11.2, sqlalchemy 1.4.46, 2.0.1 |"));
  CHECK_THAT(md, Contains("| raw | python 3.11.2, sqlalchemy 1.4.46 |"));
  const auto html = render("html", {before, after});
  CHECK_THAT(html, Contains("<h2>Versions</h2>") && Contains("python 3.11.2, sqlalchemy 1.4.46, 2.0.1"));

  // Runs whose servers reported nothing have no Versions section.
  CHECK_THAT(render("md", {ladder_run(1)}), !Contains("## Versions"));
}

TEST_CASE("console summary: table, ranking per test, rung costs") {
  Run run = ladder_run(1);
  run.variants.push_back({"broken", "failed", "did not become ready within 30s", "", "", {}, 0, {}, {}, "", ""});
  const std::string summary = bench::report::summary_table(run);
  CHECK_THAT(summary, Contains("Requests/s") && Contains("Queries/req"));
  CHECK_THAT(summary, Contains("Ranking, db c=64\n\n#  Variant") && Contains("1  raw"));
  CHECK_THAT(summary, Contains("Cost per rung, queries c=64 q=20"));
  CHECK_THAT(summary, Contains("broken failed: did not become ready"));
}

TEST_CASE("a level where every variant failed, and a run with no cells, still render") {
  Run run = ladder_run(1);
  for (auto& cell : run.cells) {
    if (cell.test == "queries") cell.status = "failed";
  }
  for (const auto format : {"md", "csv", "html", "json"}) CHECK_NOTHROW(render(format, {run}));
  CHECK_THAT(render("md", {run}), Contains("| raw | c=64 q=20 | failed | - |"));
  Run empty = ladder_run(1);
  empty.cells.clear();
  empty.status = "interrupted";
  for (const auto format : {"md", "csv", "html", "json"}) CHECK_NOTHROW(render(format, {empty}));
  CHECK_NOTHROW(bench::report::summary_table(empty));
}

TEST_CASE("unknown formats name the flag") {
  CHECK_THROWS_AS(bench::report::make_exporter("pdf"), bench::UsageError);
  CHECK_THROWS_WITH(bench::report::make_exporter("pdf"), Contains("--format"));
}

// Issue #10: a variant cut short by Ctrl-C is not presented as a complete measurement.
TEST_CASE("reports name variants that were interrupted or failed") {
  Run run = ladder_run(1);
  run.status = "interrupted";
  run.variants.back().status = "interrupted";
  run.variants.back().reason = "interrupted during warmup (0 of 3 cells measured)";
  const std::string name = run.variants.back().name;
  CHECK_THAT(render("md", {run}), Contains(name + " interrupted: interrupted during warmup (0 of 3 cells measured)"));
  CHECK_THAT(render("html", {run}), Contains(name + " interrupted: interrupted during warmup"));
  CHECK_THAT(bench::report::summary_table(run), Contains(name + " interrupted: interrupted during warmup"));
}
