// The console summary leaves out tables that say nothing: a ranking of one variant, a cost ladder of "-".
#include <catch2/catch.hpp>

#include "report/html_exporter.h"
#include "report/markdown_exporter.h"
#include "report/summary.h"
#include "report/synthetic.h"

using Catch::Matchers::Contains;

namespace {

bench::report::Run ladder(std::vector<bench::report::testing::SyntheticVariant> variants) {
  bench::report::testing::SyntheticSpec spec;
  spec.variants = std::move(variants);
  spec.repeats = 1;
  return bench::report::testing::synthetic_run(spec);
}

}  // namespace

TEST_CASE("summary: a single variant gets its results but no ranking and no cost ladder") {
  const auto summary = bench::report::summary_table(ladder({{"raw", 9100}}));
  CHECK_THAT(summary, Contains("Summary") && Contains("raw"));
  CHECK_THAT(summary, !Contains("Ranking"));
  CHECK_THAT(summary, !Contains("Cost per rung"));
}

TEST_CASE("summary: a ladder without CPU figures has no steps and no table, with them it has both") {
  auto run = ladder({{"raw", 9100}, {"orm", 2070}});
  CHECK_THAT(bench::report::summary_table(run), Contains("Ranking, db") && Contains("Cost per rung, db"));
  for (auto& cell : run.cells) cell.server_cpu_us_per_request.reset();  // an external server: no /proc figures
  const auto summary = bench::report::summary_table(run);
  CHECK_THAT(summary, Contains("Ranking, db"));
  CHECK_THAT(summary, !Contains("Cost per rung"));
  // The markdown and HTML reports leave the empty ladder out too.
  CHECK_THAT(bench::report::MarkdownExporter().render({run}), !Contains("Cost per rung"));
  CHECK_THAT(bench::report::HtmlExporter().render({run}), !Contains("Cost per rung"));
}
