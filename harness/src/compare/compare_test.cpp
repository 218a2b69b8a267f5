#include "compare/compare.h"

#include <catch2/catch.hpp>

#include "report/synthetic.h"

namespace cmp = bench::compare;
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

const cmp::RowComparison& row(const cmp::Comparison& c, const std::string& variant, const std::string& test) {
  for (const auto& r : c.rows) {
    if (r.key.variant == variant && r.key.test == test) return r;
  }
  FAIL("no row " << variant << " " << test);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a 20% drop over 5 repeats is a significant regression, and only that variant regresses") {
  const auto c = cmp::compare({synthetic_run(spec_with(1))}, {changed(2, "core", 0.8)}, {});
  CHECK(c.regressions() == 2);  // core on db and on queries
  const auto& core = row(c, "core", "db");
  CHECK(core.verdict == cmp::Verdict::regression);
  CHECK(core.change.value() == Approx(-0.2).margin(0.05));
  CHECK(core.p_value.value() < 0.05);
  CHECK(core.exact);
  CHECK(core.baseline_n == 5);
  CHECK(row(c, "raw", "db").verdict == cmp::Verdict::unchanged);
}

TEST_CASE("pure noise (+/-3% over 5 repeats a side) never reports a regression over many seeds") {
  int regressions = 0, rows = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const auto c = cmp::compare({synthetic_run(spec_with(seed))}, {synthetic_run(spec_with(seed + 1000))}, {});
    regressions += c.regressions();
    rows += static_cast<int>(c.rows.size());
  }
  CHECK(rows == 200 * 10);
  CHECK(regressions == 0);
}

TEST_CASE("a large change without enough repeats is not significant, and says why") {
  const auto c = cmp::compare({synthetic_run(spec_with(1, 3))}, {changed(2, "orm", 0.7, 3)}, {});
  const auto& orm = row(c, "orm", "db");
  CHECK(orm.verdict == cmp::Verdict::not_significant);
  CHECK_THAT(orm.note, Catch::Contains("too few samples"));
  CHECK(c.regressions() == 0);
}

TEST_CASE("one sample per side: the threshold alone decides and the row says no test was possible") {
  const auto c = cmp::compare({synthetic_run(spec_with(1, 1))}, {changed(1, "raw", 0.9, 1)}, {});
  const auto& raw = row(c, "raw", "db");
  CHECK(raw.verdict == cmp::Verdict::regression);
  CHECK_FALSE(raw.p_value.has_value());
  CHECK_THAT(raw.note, Catch::Contains("threshold only"));
  REQUIRE(c.notes.size() == 1);
  CHECK_THAT(c.notes[0], Catch::Contains("no significance test was possible"));
  CHECK(row(c, "orm", "db").verdict == cmp::Verdict::unchanged);  // same seed: identical figures

  cmp::Options lenient;
  lenient.threshold = cmp::parse_threshold("15%");
  CHECK(cmp::compare({synthetic_run(spec_with(1, 1))}, {changed(1, "raw", 0.9, 1)}, lenient).regressions() == 0);
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
}
