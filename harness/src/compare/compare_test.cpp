#include "compare/compare.h"
#include "compare/render.h"

#include <catch2/catch.hpp>

#include "compare/test_support.h"
#include "report/synthetic.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

namespace cmp = bench::compare;
using bench::compare::testing::row;
using bench::report::Run;
using bench::report::testing::SyntheticSpec;
using bench::report::testing::synthetic_run;

namespace {

SyntheticSpec spec_with(uint64_t seed, int repeats = 5) {
  SyntheticSpec spec;
  spec.seed = seed;
  spec.repeats = repeats;
  return spec;
}

// The one planted change: `variant` runs at `factor` of its baseline throughput.
Run changed(uint64_t seed, const std::string& variant, double factor, int repeats = 5) {
  SyntheticSpec spec = spec_with(seed, repeats);
  for (auto& v : spec.variants) {
    if (v.name == variant) v.factor = factor;
  }
  return synthetic_run(spec);
}


}  // namespace

TEST_CASE("a 20% drop over 5 repeats is a regression with an interval, and only that variant regresses") {
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {changed(2, "core", 0.8)}, {});
  CHECK(c.regressions() == 2);  // core on db and on queries
  CHECK(c.exit_code() == 1);
  const auto& core = row(c, "core", "db");
  CHECK(core.verdict == cmp::Verdict::regression);
  CHECK(core.change.value() == Approx(-0.2).margin(0.03));
  CHECK(core.change_low.value() < core.change.value());
  CHECK(core.change_high.value() > core.change.value());
  CHECK(core.change_high.value() < 0);  // the interval excludes no change
  CHECK(core.confidence.value() >= 0.95);
  CHECK(core.p_value.value() < 0.05);
  CHECK(core.baseline_n == 5);
  CHECK(row(c, "raw", "db").verdict == cmp::Verdict::unchanged);
}

TEST_CASE("identical code, 5 repeats a side at +/-3% noise: exit 0 in at least 19 of 20 trials") {
  // The documented noise level (docs/reports.md): each sample within +/-3% of the truth, uniform.
  int passes = 0, regressions = 0;
  for (uint64_t trial = 1; trial <= 20; ++trial) {
    const auto c = cmp::compare({synthetic_run(spec_with(trial))}, {synthetic_run(spec_with(trial + 1000))}, {});
    passes += c.exit_code() == 0;
    regressions += c.regressions();
  }
  CHECK(passes >= 19);
  CHECK(regressions == 0);
}

TEST_CASE("pure noise never reports a regression over many seeds") {
  int regressions = 0, rows = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const auto c = cmp::compare({synthetic_run(spec_with(seed))}, {synthetic_run(spec_with(seed + 1000))}, {});
    regressions += c.regressions();
    rows += static_cast<int>(c.rows.size());
  }
  CHECK(rows == 200 * 10);
  CHECK(regressions == 0);
}

TEST_CASE("a halved variant with 2 repeats a side is not a pass: inconclusive, exit 3, with the repeats needed") {
  const auto c = cmp::compare({synthetic_run(spec_with(1, 2))}, {changed(2, "orm", 0.5, 2)}, {});
  const auto& orm = row(c, "orm", "db");
  CHECK(orm.verdict == cmp::Verdict::inconclusive);
  CHECK(orm.change.value() == Approx(-0.5).margin(0.05));
  CHECK(orm.confidence.value() == Approx(2.0 / 3));  // the most 2 and 2 samples can reach
  CHECK(orm.repeats_needed == 4);
  CHECK_THAT(orm.note, Catch::Contains("needs 4 repeats a side"));
  CHECK(c.regressions() == 0);
  CHECK(c.inconclusive() == 2);
  CHECK(c.exit_code() == cmp::exit_code::inconclusive);
  CHECK_THAT(cmp::render_text(c), Catch::Contains("INCONCLUSIVE: 0 regression(s), 2 inconclusive") &&
                                      Catch::Contains("--repeat 4"));
  // The same with 5 repeats a side decides.
  CHECK(cmp::compare({synthetic_run(spec_with(1))}, {changed(2, "orm", 0.5)}, {}).exit_code() == 1);
}

TEST_CASE("a change within the noise of enough repeats is inconclusive and asks for more") {
  // 8% drop under +/-15% noise, 5 a side: beyond the threshold, but the interval reaches no change.
  SyntheticSpec base = spec_with(1), cur = spec_with(2);
  base.noise = cur.noise = 0.15;
  for (auto& v : cur.variants) v.factor = 0.92;
  const auto c = cmp::compare({synthetic_run(base)}, {synthetic_run(cur)}, {});
  bool some_inconclusive = false;
  for (const auto& r : c.rows) {
    if (r.verdict == cmp::Verdict::inconclusive) {
      some_inconclusive = true;
      CHECK(r.repeats_needed > 5);
      CHECK_THAT(r.note, Catch::Contains("repeats a side"));
    }
  }
  CHECK(some_inconclusive);
}

TEST_CASE("a p99 gate does not miss a +138% p99, with 2 or with 5 repeats") {
  cmp::Options p99;
  p99.metric = "p99";
  for (int repeats : {2, 5}) {
    SyntheticSpec slow = spec_with(2, repeats);
    slow.p99_factor = 2.38;
    const auto c = cmp::compare({synthetic_run(spec_with(1, repeats))}, {synthetic_run(slow)}, p99);
    CHECK(c.exit_code() != 0);
    CHECK(row(c, "raw", "db").change.value() == Approx(1.38).margin(0.1));
    if (repeats == 5) CHECK(c.regressions() == 10);
  }
}

TEST_CASE("one sample per side cannot decide, --threshold-only lets the threshold decide and says so") {
  const auto c = cmp::compare({synthetic_run(spec_with(1, 1))}, {changed(1, "raw", 0.9, 1)}, {});
  CHECK(row(c, "raw", "db").verdict == cmp::Verdict::inconclusive);
  CHECK(row(c, "orm", "db").verdict == cmp::Verdict::unchanged);  // same seed: identical figures
  CHECK(c.exit_code() == cmp::exit_code::inconclusive);

  cmp::Options threshold_only;
  threshold_only.threshold_only = true;
  const auto t = cmp::compare({synthetic_run(spec_with(1, 1))}, {changed(1, "raw", 0.9, 1)}, threshold_only);
  const auto& raw = row(t, "raw", "db");
  CHECK(raw.verdict == cmp::Verdict::regression);
  CHECK_THAT(raw.note, Catch::Contains("threshold only"));
  CHECK(t.exit_code() == 1);

  threshold_only.threshold = cmp::parse_threshold("15%");
  CHECK(cmp::compare({synthetic_run(spec_with(1, 1))}, {changed(1, "raw", 0.9, 1)}, threshold_only).exit_code() == 0);
}

TEST_CASE("ratios to an in-run control cancel a 30% slower machine and drift, and still see a real change") {
  SyntheticSpec fast = spec_with(1), slow = spec_with(2);
  fast.drift = slow.drift = 0.10;  // each repeat's minute is up to 10% faster or slower for every variant
  slow.speed = 0.7;                // the current runner is 30% slower
  fast.noise = slow.noise = 0.01;
  const auto absolute = cmp::compare({synthetic_run(fast)}, {synthetic_run(slow)}, {});
  CHECK(absolute.regressions() == 10);  // every row, machine speed alone

  cmp::Options relative;
  relative.relative_to = "raw";
  const auto c = cmp::compare({synthetic_run(fast)}, {synthetic_run(slow)}, relative);
  CHECK(c.exit_code() == 0);
  CHECK(row(c, "orm", "db").baseline.value() == Approx(2070.0 / 9100).epsilon(0.03));
  CHECK_THAT(cmp::render_text(c), Catch::Contains("as a ratio to raw") && Catch::Contains("x ("));

  // A real 20% loss of one variant shows through the slower machine.
  SyntheticSpec slower_core = slow;
  for (auto& v : slower_core.variants) {
    if (v.name == "core") v.factor = 0.8;
  }
  const auto caught = cmp::compare({synthetic_run(fast)}, {synthetic_run(slower_core)}, relative);
  CHECK(caught.regressions() == 2);
  CHECK(row(caught, "core", "db").change.value() == Approx(-0.2).margin(0.03));

  // VARIANT/TEST: one control test for every test.
  relative.relative_to = "raw/db";
  CHECK(row(cmp::compare({synthetic_run(fast)}, {synthetic_run(slow)}, relative), "raw", "queries").baseline.value() ==
        Approx(1.0 / 8).epsilon(0.03));
  relative.relative_to = "nginx";
  CHECK_THROWS_WITH(cmp::compare({synthetic_run(fast)}, {synthetic_run(slow)}, relative),
                    Catch::Contains("--relative-to"));
}

TEST_CASE("compare warns when a server reports other versions of itself") {
  Run base = synthetic_run(spec_with(1));
  Run cur = synthetic_run(spec_with(2));
  REQUIRE(!base.variants.empty());
  base.variants[0].versions = {{"sqlalchemy", "1.4.46"}, {"python", "3.11.2"}};
  cur.variants[0].versions = {{"sqlalchemy", "2.0.1"}, {"python", "3.11.2"}};
  const auto c = cmp::compare({base}, {cur}, {});
  REQUIRE(c.environment.size() == 1);
  CHECK(c.environment[0].field == "versions." + base.variants[0].name + ".sqlalchemy");
  CHECK(c.environment[0].baseline == "1.4.46");
  CHECK(c.environment[0].current == "2.0.1");
  cur.variants[0].versions.clear();  // not reported on one side: nothing says they differ
  CHECK(cmp::compare({base}, {cur}, {}).environment.empty());
}

TEST_CASE("compare lists version changes first, before the table, as the first suspects") {
  Run base = synthetic_run(spec_with(1));
  Run cur = changed(2, "orm", 0.8);
  cur.environment.kernel = "Linux 9.9.9";
  const std::string orm = "orm";
  for (auto* run : {&base, &cur})
    for (auto& v : run->variants)
      if (v.name == orm) v.versions = {{"sqlalchemy", run == &base ? "1.4.46" : "2.0.1"}};
  const auto c = cmp::compare({base}, {cur}, {});
  REQUIRE(c.environment.size() == 2);
  CHECK(c.environment[0].field == "versions.orm.sqlalchemy");  // before the kernel
  CHECK(c.environment[1].field == "kernel");
  const auto text = cmp::render_text(c);
  const auto suspects = text.find("versions changed (the first suspects of any change below):\n"
                                  "  versions.orm.sqlalchemy: baseline \"1.4.46\", current \"2.0.1\"");
  REQUIRE(suspects != std::string::npos);
  CHECK(suspects < text.find("REGRESSION"));  // above the table's regressed row
  CHECK(text.find("warning: environment differs: versions.") == std::string::npos);  // said once
  CHECK_THAT(text, Catch::Contains("warning: environment differs: kernel"));
  const auto md = cmp::render_markdown(c);
  CHECK(md.find("- versions.orm.sqlalchemy: baseline") < md.find("| Variant"));
  CHECK(nlohmann::json::parse(cmp::render_json(c))["environment_differences"][0]["field"] == "versions.orm.sqlalchemy");
}

TEST_CASE("compare warns when CPU model, cores, kernel or framework versions differ") {
  Run amd = synthetic_run(spec_with(2));
  amd.environment.cpu_model = "AMD EPYC 7763";
  amd.environment.cores = 4;
  amd.environment.kernel = "Linux 6.5.0";
  amd.environment.frameworks["fastapi"] = "0.110.0";
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {amd}, {});
  std::map<std::string, cmp::EnvironmentDifference> by_field;
  for (const auto& d : c.environment) by_field[d.field] = d;
  CHECK(by_field.size() == 4);
  CHECK(by_field["cpu_model"].current == "AMD EPYC 7763");
  CHECK(by_field["cores"].baseline == "2");
  CHECK(by_field["frameworks.fastapi"].baseline == "0.92.0");
  CHECK_THAT(cmp::render_text(c), Catch::Contains("warning: environment differs: cpu_model: baseline \"Synthetic CPU"));
  CHECK(c.exit_code() == 0);  // a warning, not a verdict
  // The same machine: no warning; a field one side did not record: no warning either.
  CHECK(cmp::compare({synthetic_run(spec_with(1))}, {synthetic_run(spec_with(2))}, {}).environment.empty());
  Run old = synthetic_run(spec_with(2));
  old.environment.kernel.clear();
  CHECK(cmp::compare({synthetic_run(spec_with(1))}, {old}, {}).environment.empty());
}

TEST_CASE("a change measured while other work took the CPU says so in its row") {
  Run current = changed(2, "core", 0.8);
  for (auto& cell : current.cells) {
    if (cell.variant != "core" || cell.repeat != 1) continue;
    cell.contention = bench::report::Contention{.others_cpu_share = 0.42};
    cell.warnings.push_back({bench::report::WarningCode::contention, "other work used 42% of the CPU"});
  }
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {current}, {});
  const auto& core = row(c, "core", "db");
  CHECK(core.verdict == cmp::Verdict::regression);  // still judged: the note says why it may be the machine
  CHECK(core.note == "current measured under contention (other work and steal took 42% of the CPU)");
  CHECK(row(c, "raw", "db").note.empty());  // unchanged rows are not annotated
  CHECK_THAT(cmp::render_text(c), Catch::Contains("current measured under contention"));
}

TEST_CASE("improvements are reported and do not fail") {
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {changed(2, "orm", 1.25)}, {});
  CHECK(row(c, "orm", "queries").verdict == cmp::Verdict::improvement);
  CHECK(c.regressions() == 0);
  CHECK_THAT(cmp::render_text(c), Catch::Contains("improvement") && Catch::Contains("OK:"));
}

TEST_CASE("latency metrics regress upwards") {
  cmp::Options p99;
  p99.metric = "p99";
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {changed(2, "baked", 0.75)}, p99);
  const auto& baked = row(c, "baked", "db");
  CHECK(baked.verdict == cmp::Verdict::regression);
  CHECK(baked.change.value() > 0.2);  // Little's law: 1/0.75 - 1 = +33%
  CHECK_FALSE(c.higher_is_better);
  // The same runs read by requests/s: the faster side is the baseline, still a regression; an improvement when swapped.
  CHECK(cmp::compare({changed(2, "baked", 0.75)}, {synthetic_run(spec_with(1))}, p99).regressions() == 0);
}

TEST_CASE("cells on one side only are reported, not judged") {
  SyntheticSpec fewer = spec_with(2);
  fewer.variants.pop_back();  // no orm in current
  fewer.variants.push_back({"asyncpg-pool", 9500});
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {synthetic_run(fewer)}, {});
  CHECK(row(c, "orm", "db").verdict == cmp::Verdict::only_baseline);
  CHECK(row(c, "asyncpg-pool", "db").verdict == cmp::Verdict::only_current);
  CHECK(c.regressions() == 0);
  CHECK(c.not_judged() == 4);  // orm and asyncpg-pool, on db and queries
  CHECK(c.exit_code() == cmp::exit_code::inconclusive);  // a comparison with holes is no pass
  CHECK_THAT(cmp::render_markdown(c), Catch::Contains("only in baseline") && Catch::Contains("only in current"));
}

TEST_CASE("a variant that measured in the baseline and only failed now counts as a regression") {
  Run current = synthetic_run(spec_with(2));
  for (auto& cell : current.cells) {
    if (cell.variant == "text") cell.status = "failed";
  }
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {current}, {});
  CHECK(row(c, "text", "db").verdict == cmp::Verdict::failed);
  CHECK(c.regressions() == 2);
}

TEST_CASE("a variant that failed before measuring (no cells at all) counts as a regression, with its reason") {
  Run current = synthetic_run(spec_with(2));
  std::erase_if(current.cells, [](const bench::report::Cell& c) { return c.variant == "baked"; });
  for (auto& v : current.variants) {
    if (v.name == "baked") {
      v.status = "failed";
      v.reason = "verification failed: fortunes not sorted";
    }
  }
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {current}, {});
  CHECK(row(c, "baked", "db").verdict == cmp::Verdict::failed);
  CHECK_THAT(row(c, "baked", "db").note, Catch::Contains("fortunes not sorted"));
  CHECK(c.regressions() == 2);
}

TEST_CASE("an incomplete run is compared and flagged") {
  Run current = synthetic_run(spec_with(2));
  current.status = "interrupted";
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {current}, {});
  REQUIRE(c.notes.size() == 1);
  CHECK_THAT(c.notes[0], Catch::Contains("current run") && Catch::Contains("interrupted, not complete"));
  CHECK(c.environment.empty());
  CHECK(c.regressions() == 0);
}

TEST_CASE("several results files on a side pool their repeats") {
  const auto c = cmp::compare({synthetic_run(spec_with(1, 2)), synthetic_run(spec_with(3, 3))},
                              {changed(4, "raw", 0.8, 2), changed(5, "raw", 0.8, 3)}, {});
  CHECK(row(c, "raw", "db").baseline_n == 5);
  CHECK(row(c, "raw", "db").current_n == 5);
  CHECK(row(c, "raw", "db").verdict == cmp::Verdict::regression);
}

TEST_CASE("scenarios with nothing in common are an input error") {
  SyntheticSpec other = spec_with(1);
  other.scenario_name = "plaintext";
  other.variants = {{"nginx", 90000}};
  CHECK_THROWS_AS(cmp::compare({synthetic_run(spec_with(1))}, {synthetic_run(other)}, {}), bench::UsageError);
  CHECK_THROWS_WITH(cmp::compare({synthetic_run(spec_with(1))}, {synthetic_run(other)}, {}),
                    Catch::Contains("do not match"));
}

TEST_CASE("thresholds and metrics parse or name the flag") {
  CHECK(cmp::parse_threshold("5%") == Approx(0.05));
  CHECK(cmp::parse_threshold("2.5") == Approx(0.025));
  CHECK_THROWS_WITH(cmp::parse_threshold("five"), Catch::Contains("--threshold"));
  CHECK_THROWS_WITH(cmp::parse_threshold("-1%"), Catch::Contains("--threshold"));
  CHECK(cmp::metric_field("p999").name == "latency_p999_us");
  CHECK_THROWS_WITH(cmp::metric_field("p42"), Catch::Contains("--metric"));
}

TEST_CASE("the JSON rendering carries every row and the regression count") {
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {changed(2, "core", 0.8)}, {});
  const auto json = nlohmann::json::parse(cmp::render_json(c));
  CHECK(json["regressions"] == 2);
  CHECK(json["rows"].size() == 10);
  CHECK(json["metric"] == "rps");
  CHECK(json["exit_code"] == 1);
  CHECK(json["rows"][0].contains("change_low"));
}

TEST_CASE("docs/reports.md documents every key of compare's JSON") {
  const char* source = std::getenv("BENCH_SOURCE_DIR");
  REQUIRE(source != nullptr);
  std::ifstream in(std::string(source) + "/docs/reports.md");
  REQUIRE(in);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Run amd = changed(2, "core", 0.8);
  amd.environment.cpu_model = "AMD EPYC";
  const auto json = nlohmann::json::parse(cmp::render_json(cmp::compare({synthetic_run(spec_with(1))}, {amd}, {})));
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  for (const auto& [key, value] : json["rows"][0].items()) keys.push_back(key);
  for (const auto& [key, value] : json["environment_differences"][0].items()) keys.push_back(key);
  CHECK(keys.size() > 25);
  for (const auto& key : keys) {
    INFO("key " << key);
    CHECK((doc.find("`" + key + "`") != std::string::npos || doc.find("\"" + key + "\"") != std::string::npos));
  }
}

TEST_CASE("a row measured under contention below the documented share carries no note") {
  Run current = changed(2, "core", 0.8);
  for (auto& cell : current.cells) {
    cell.contention = bench::report::Contention{.others_cpu_share = 0.01, .steal_share = 0.02};
  }
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {current}, {});
  CHECK(row(c, "core", "db").verdict == cmp::Verdict::regression);
  CHECK(row(c, "core", "db").note.empty());
  for (auto& cell : current.cells) cell.contention->steal_share = cmp::kContendedShare;  // 1% + 5%: above it
  CHECK_THAT(row(cmp::compare({synthetic_run(spec_with(1))}, {current}, {}), "core", "db").note,
             Catch::Contains("under contention (other work and steal took 6% of the CPU)"));
}

TEST_CASE("rows whose control was not measured are listed, never dropped, and exit 2") {
  // The control `raw` measured db only (as gin-json measures json only): the queries rows have nothing to divide by.
  const auto without_raw_queries = [](Run run) {
    std::erase_if(run.cells, [](const bench::report::Cell& c) { return c.variant == "raw" && c.test == "queries"; });
    return run;
  };
  cmp::Options relative;
  relative.relative_to = "raw";
  const auto c = cmp::compare({without_raw_queries(synthetic_run(spec_with(1)))},
                              {without_raw_queries(changed(2, "text", 0.5))}, relative);
  CHECK(row(c, "text", "queries").verdict == cmp::Verdict::no_control);
  CHECK(row(c, "orm", "queries").verdict == cmp::Verdict::no_control);
  CHECK(row(c, "text", "db").verdict == cmp::Verdict::regression);
  CHECK(c.without_control() == 4);  // text, core, baked, orm on queries
  CHECK(c.exit_code() == bench::exit_code::usage);
  CHECK_THAT(cmp::render_text(c), Catch::Contains("NO CONTROL") && Catch::Contains("4 without control"));
}

TEST_CASE("a row without a successful sample on either side is not judged and exits 3") {
  Run base = synthetic_run(spec_with(1)), cur = synthetic_run(spec_with(2));
  for (auto* run : {&base, &cur}) {
    for (auto& cell : run->cells) {
      if (cell.variant == "orm" && cell.test == "db") cell.status = "failed";
    }
  }
  const auto c = cmp::compare({base}, {cur}, {});
  CHECK(row(c, "orm", "db").verdict == cmp::Verdict::no_samples);
  CHECK(c.exit_code() == cmp::exit_code::inconclusive);
}
