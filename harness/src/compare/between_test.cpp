#include "compare/between.h"
#include "compare/compare.h"
#include "compare/render.h"

#include <catch2/catch.hpp>

#include "compare/test_support.h"
#include "report/synthetic.h"
#include "util/errors.h"

namespace cmp = bench::compare;
using bench::compare::testing::row;
using bench::report::Run;
using bench::report::testing::SyntheticSpec;
using bench::report::testing::synthetic_run;

namespace {

// One run of `bench run --revisions A,B`: every variant at A and at B, repeats side by side, the machine drifting
// between repeats by up to `drift` (the same for both members of a pair). B runs `variant` at `factor`.
Run interleaved(double drift, const std::string& variant, double factor, int repeats = 5, unsigned seed = 7) {
  SyntheticSpec spec;
  spec.repeats = repeats;
  spec.drift = drift;
  spec.noise = 0.005;
  spec.seed = seed;
  const Run a = synthetic_run(spec);  // the same seed: the same drift per repeat on both sides
  for (auto& v : spec.variants) {
    if (v.name == variant) v.factor = factor;
  }
  const Run b = synthetic_run(spec);
  Run run = a;
  run.revisions = {{"main", "1111111111111111111111111111111111111111", "the base", false, false},
                   {"HEAD", "2222222222222222222222222222222222222222", "the change", false, false}};
  run.variants.clear();
  run.cells.clear();
  for (const auto& [side, label] : {std::pair{&a, "main"}, std::pair{&b, "HEAD"}}) {
    for (auto copy : side->variants) {
      copy.base = copy.name;
      copy.revision = label;
      copy.name += std::string("@") + label;
      run.variants.push_back(copy);
    }
    for (auto cell : side->cells) {
      cell.variant += std::string("@") + label;
      run.cells.push_back(cell);
    }
  }
  return run;
}


}  // namespace

TEST_CASE("compare --between splits one run into its two revisions, named as the scenario names them") {
  const auto sides = cmp::between({interleaved(0, "orm", 1.0)}, "main", "HEAD");
  REQUIRE(sides.baseline.size() == 1);
  CHECK(sides.baseline_label == "main");
  CHECK(sides.current_label == "HEAD");
  CHECK(sides.baseline[0].variants.size() == 5);
  CHECK(sides.baseline[0].variants[0].name == "raw");
  CHECK(sides.current[0].cells.front().variant == "raw");
  CHECK(sides.baseline[0].cells.size() == sides.current[0].cells.size());
  // A hash prefix names a revision too.
  CHECK(cmp::between({interleaved(0, "orm", 1.0)}, "1111", "2222").current_label == "HEAD");
}

TEST_CASE("compare --between refuses what it cannot pair, naming the flag") {
  const Run run = interleaved(0, "orm", 1.0);
  CHECK_THROWS_WITH(cmp::between({run}, "main", "v2"), Catch::Contains("--between: no revision 'v2'") &&
                                                           Catch::Contains("main, HEAD"));
  CHECK_THROWS_WITH(cmp::between({run}, "main", "1111"), Catch::Contains("same revision"));
  Run plain = synthetic_run({});
  CHECK_THROWS_WITH(cmp::between({plain}, "main", "HEAD"), Catch::Contains("measured no revisions"));
}

// Over many machines' drifts (seeds), not one: paired pairs cancel the drift and decide almost always; the rank
// test of two independent samples sees the drift as spread and decides far less often.
TEST_CASE("paired repeats see a 5% loss through 10% drift between repeats far more often than unpaired ranks") {
  cmp::Options paired;
  paired.paired = true;
  paired.threshold = 0.02;
  cmp::Options unpaired = paired;
  unpaired.paired = false;
  const auto first = cmp::between({interleaved(0.10, "core", 0.95)}, "main", "HEAD");
  const auto c = cmp::compare(first.baseline, first.current, paired);
  CHECK(row(c, "core", "db").verdict == cmp::Verdict::regression);
  CHECK(row(c, "core", "db").change.value() == Approx(-0.05).margin(0.01));
  CHECK(row(c, "raw", "db").verdict == cmp::Verdict::unchanged);
  CHECK(c.exit_code() == 1);
  CHECK_THAT(cmp::render_text(c), Catch::Contains("pairs measured side by side"));

  int paired_found = 0, unpaired_found = 0;
  constexpr int kSeeds = 100;
  for (unsigned seed = 1; seed <= kSeeds; ++seed) {
    const auto sides = cmp::between({interleaved(0.10, "core", 0.95, 5, seed)}, "main", "HEAD");
    paired_found += row(cmp::compare(sides.baseline, sides.current, paired), "core", "db").verdict ==
                    cmp::Verdict::regression;
    unpaired_found += row(cmp::compare(sides.baseline, sides.current, unpaired), "core", "db").verdict ==
                      cmp::Verdict::regression;
  }
  INFO("paired found " << paired_found << ", unpaired " << unpaired_found << " of " << kSeeds);
  CHECK(paired_found >= 95);
  CHECK(unpaired_found <= paired_found / 2);
}

TEST_CASE("paired: identical code through drift is unchanged, two pairs decide nothing") {
  const auto same = cmp::between({interleaved(0.10, "core", 1.0)}, "main", "HEAD");
  cmp::Options paired;
  paired.paired = true;
  CHECK(cmp::compare(same.baseline, same.current, paired).exit_code() == 0);

  const auto two = cmp::between({interleaved(0.0, "core", 0.8, 2)}, "main", "HEAD");
  const auto c = cmp::compare(two.baseline, two.current, paired);
  CHECK(row(c, "core", "db").verdict == cmp::Verdict::inconclusive);
  CHECK_THAT(row(c, "core", "db").note, Catch::Contains("2 pair(s) decide nothing"));
}
