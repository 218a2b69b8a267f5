#include "report/markdown_exporter.h"

#include "report/aggregate.h"
#include "report/grid.h"
#include "report/report_header.h"
#include "report/rung_cost.h"

namespace bench::report {

std::string MarkdownExporter::render(const std::vector<Run>& runs) const {
  const Table table = combine(runs);
  std::string out = "# " + report_title(runs) + "\n\n";
  for (const auto& line : run_descriptions(runs)) out += "- " + line + "\n";
  out += "\nFigures are medians over repeats; requests/s shows the interval of the median and its confidence when "
         "there are repeats. Relative is the speed against the fastest variant at the same level.\n";
  const auto all_ladders = ladders(table);
  for (const auto& test : table.tests) {
    out += "\n## " + test + "\n\n" + markdown_table(results_grid(table, test));
    for (const auto& ladder : all_ladders) {
      if (ladder.level.test != test || !has_steps(ladder)) continue;  // all "-": nothing to show
      out += "\n### Cost per rung, " + test + " " + level_label(ladder.level) + "\n\n" + markdown_table(rung_grid(ladder));
    }
  }
  const Grid checks = checks_grid(table);
  if (!checks.rows.empty()) out += "\n## Variants and checks\n\n" + markdown_table(checks);
  const Grid versions = versions_grid(table);
  if (!versions.rows.empty()) out += "\n## Versions\n\n" + markdown_table(versions);
  if (!table.warnings.empty()) {
    out += "\n## Warnings\n\n";
    for (const auto& warning : table.warnings) out += "- " + warning + "\n";
  }
  return out;
}

}  // namespace bench::report
