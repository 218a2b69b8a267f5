// bench history's markdown, CSV and HTML (history.h). The tables are built once as grids (report/grid.h); the
// formats only decide the markup, as bench report's do.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "history/history.h"
#include "report/csv_exporter.h"
#include "report/grid.h"

namespace bench::history {
namespace {

std::string percent(double change) { return fmt::format("{:+.1f}%", change * 100); }

std::string direction(const History& history, const ChangePoint& change) {
  return is_worse(*history.field, change.change) ? "worse" : "better";
}

std::string run_label(std::size_t index) { return fmt::format("#{}", index + 1); }

std::string heading(const Group& group) { return fmt::format("{} on {}", group.scenario, group.machine); }

std::size_t total_runs(const History& history) {
  std::size_t n = 0;
  for (const auto& group : history.groups) n += group.runs.size();
  return n;
}

std::string summary(const History& history) {
  std::string text = fmt::format(
      "{} runs in {} group(s), each one scenario on one machine. A change is a step found by E-Divisive means with a "
      "permutation test: p <= {} and a change of the median of at least {:.0f}% (docs/history.md).\n\n",
      total_runs(history), history.groups.size(), history.options.significance, history.options.min_change * 100);
  std::size_t worse_now = 0;
  for (const auto& group : history.groups) {
    worse_now += static_cast<std::size_t>(
        std::count_if(group.series.begin(), group.series.end(), [](const Series& s) { return s.worse_now; }));
  }
  text += worse_now > 0
              ? fmt::format("**WORSE**: the latest run is past a change for the worse in {} series.\n", worse_now)
              : "The latest run is past no change for the worse.\n";
  return text;
}

report::Grid changes_grid(const History& history) {
  report::Grid grid;
  grid.headers = {"Machine", "Variant", "Test",   "Level",      "From run", "Started",
                  "Before",  "After",   "Change", "Confidence", "Direction"};
  grid.right_aligned = {false, false, false, false, true, false, true, true, true, true, false};
  const auto unit = history.field->unit;
  for (const auto& group : history.groups) {
    for (const auto& series : group.series) {
      for (const auto& change : series.changes) {
        grid.rows.push_back({heading(group), series.key.variant, series.key.test, report::level_label(series.key),
                             run_label(change.index), group.runs[change.index].started_at,
                             report::human_value(unit, change.before), report::human_value(unit, change.after),
                             percent(change.change), fmt::format("{:.1f}%", (1 - change.p_value) * 100),
                             direction(history, change)});
      }
    }
  }
  return grid;
}

report::Grid runs_grid(const Group& group) {
  report::Grid grid;
  grid.headers = {"Run", "Started", "Commit", "Status", "File"};
  grid.right_aligned = {true, false, false, false, false};
  for (std::size_t i = 0; i < group.runs.size(); ++i) {
    const auto& run = group.runs[i];
    grid.rows.push_back({run_label(i), run.started_at, run.commit.substr(0, 12), run.status, run.file});
  }
  return grid;
}

// A series' value at one run, with the mark of a change that begins there.
std::string cell_text(const History& history, const Series& series, std::size_t run) {
  if (!series.values[run]) return "-";
  std::string text = report::human_value(history.field->unit, *series.values[run]);
  for (const auto& change : series.changes) {
    if (change.index == run) text = (is_worse(*history.field, change.change) ? "▼ " : "▲ ") + text;
  }
  return text;
}

report::Grid figures_grid(const History& history, const Group& group) {
  report::Grid grid;
  grid.headers = {"Variant", "Test", "Level"};
  grid.right_aligned = {false, false, false};
  for (std::size_t i = 0; i < group.runs.size(); ++i) {
    grid.headers.push_back(run_label(i));
    grid.right_aligned.push_back(true);
  }
  for (const auto& series : group.series) {
    std::vector<std::string> row = {series.key.variant, series.key.test, report::level_label(series.key)};
    for (std::size_t i = 0; i < group.runs.size(); ++i) row.push_back(cell_text(history, series, i));
    grid.rows.push_back(std::move(row));
  }
  return grid;
}

std::string title(const History& history) {
  return fmt::format("History: {} ({})", history.field->header, history.metric);
}

// One series as an inline SVG line chart: the points, a dashed line where each change begins (red for worse, green
// for better), the lowest and highest figure on the axis. No script, no external file: it opens offline.
std::string svg_chart(const History& history, const Series& series) {
  constexpr double kWidth = 560, kHeight = 140, kLeft = 70, kRight = 10, kTop = 10, kBottom = 22;
  double low = 0, high = 0;
  bool any = false;
  for (const auto& v : series.values) {
    if (!v) continue;
    low = any ? std::min(low, *v) : *v;
    high = any ? std::max(high, *v) : *v;
    any = true;
  }
  if (!any) return "";
  // At least 20% of the middle figure from bottom to top: a quiet series' 2% wobble must not fill the chart and
  // look like a swing (the scale then matches the 5% threshold's sense of size).
  const double lowest = low, middle = (low + high) / 2;
  const double span = std::max({high - low, 0.2 * std::abs(middle), 1e-9});
  if (high - low < span) {
    low = middle - span / 2;
    high = middle + span / 2;
  }
  if (low < 0 && lowest >= 0) low = 0;  // figures that cannot be negative keep the axis at or above 0
  const std::size_t n = series.values.size();
  const auto x = [&](std::size_t i) {
    return kLeft + (n > 1 ? (kWidth - kLeft - kRight) * static_cast<double>(i) / static_cast<double>(n - 1)
                          : (kWidth - kLeft - kRight) / 2);
  };
  const auto y = [&](double v) { return kTop + (kHeight - kTop - kBottom) * (high - v) / (high - low); };
  std::string points;
  std::string dots;
  for (std::size_t i = 0; i < n; ++i) {
    if (!series.values[i]) continue;
    points += fmt::format("{:.1f},{:.1f} ", x(i), y(*series.values[i]));
    dots +=
        fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3"><title>{}: {}</title></circle>)", x(i),
                    y(*series.values[i]), run_label(i), report::human_value(history.field->unit, *series.values[i]));
  }
  std::string changes;
  for (const auto& change : series.changes) {
    const double at = (x(change.index - 1) + x(change.index)) / 2;
    changes += fmt::format(
        R"(<line class="{}" x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}"><title>{} from run {}</title></line>)",
        direction(history, change), at, kTop, at, kHeight - kBottom, percent(change.change), run_label(change.index));
  }
  const auto unit = history.field->unit;
  return fmt::format(
      R"(<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}">)"
      R"(<text x="{tx}" y="{ty_high}" text-anchor="end">{high}</text><text x="{tx}" y="{ty_low}" text-anchor="end">{low}</text>)"
      R"(<text x="{l}" y="{h}" dy="-4">#1</text><text x="{r}" y="{h}" dy="-4" text-anchor="end">#{n}</text>)"
      R"({changes}<polyline points="{points}"/>{dots}</svg>)",
      fmt::arg("w", kWidth), fmt::arg("h", kHeight),
      fmt::arg("label", report::html_escape(series.key.variant + " " + series.key.test)), fmt::arg("tx", kLeft - 6),
      fmt::arg("ty_high", kTop + 8), fmt::arg("ty_low", kHeight - kBottom),
      fmt::arg("high", report::html_escape(report::human_value(unit, high))),
      fmt::arg("low", report::html_escape(report::human_value(unit, low))), fmt::arg("l", kLeft),
      fmt::arg("r", kWidth - kRight), fmt::arg("n", n), fmt::arg("changes", changes), fmt::arg("points", points),
      fmt::arg("dots", dots));
}

constexpr const char* kStyle = R"(<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; max-width: 1200px; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.series { display: inline-block; margin: 0 1rem 1rem 0; vertical-align: top; }
.series h3 { font-size: 0.95rem; margin: 0.2rem 0; }
svg.chart { border: 1px solid #ddd; background: #fff; }
svg.chart polyline { fill: none; stroke: #1f77b4; stroke-width: 2; }
svg.chart circle { fill: #1f77b4; }
svg.chart text { font-size: 11px; fill: #444; }
svg.chart line.worse { stroke: #d62728; stroke-width: 2; stroke-dasharray: 5 3; }
svg.chart line.better { stroke: #2ca02c; stroke-width: 2; stroke-dasharray: 5 3; }
</style>)";

}  // namespace

std::string render_markdown(const History& history) {
  std::string out = "# " + title(history) + "\n\n" + summary(history) + "\n## Changes\n\n";
  const auto changes = changes_grid(history);
  out += changes.rows.empty() ? "No change found.\n" : report::markdown_table(changes);
  for (const auto& group : history.groups) {
    out += "\n## " + heading(group) + "\n\n### Runs\n\n" + report::markdown_table(runs_grid(group));
    out += "\n### " + history.field->header + " by run (▼ a change for the worse begins, ▲ for the better)\n\n";
    out += report::markdown_table(figures_grid(history, group));
  }
  return out;
}

std::string render_csv(const History& history) {
  std::string out;
  report::append_csv_line(out, {"scenario", "machine", "variant", "test", "connections", "queries", "run", "started_at",
                                "commit", "file", history.field->name, "change_begins", "change", "p_value"});
  for (const auto& group : history.groups) {
    for (const auto& series : group.series) {
      for (std::size_t i = 0; i < group.runs.size(); ++i) {
        const auto& run = group.runs[i];
        std::string begins, change, p;
        for (const auto& c : series.changes) {
          if (c.index != i) continue;
          begins = direction(history, c);
          change = fmt::format("{}", c.change);
          p = fmt::format("{}", c.p_value);
        }
        report::append_csv_line(out, {group.scenario, group.machine, series.key.variant, series.key.test,
                                      std::to_string(series.key.connections), std::to_string(series.key.queries),
                                      std::to_string(i + 1), run.started_at, run.commit, run.file,
                                      series.values[i] ? fmt::format("{}", *series.values[i]) : "", begins, change, p});
      }
    }
  }
  return out;
}

std::string render_html(const History& history) {
  const std::string page_title = report::html_escape(title(history));
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + page_title +
                    "</title>" + kStyle + "</head><body>\n<h1>" + page_title + "</h1>\n";
  std::string text = summary(history);
  text.erase(std::remove(text.begin(), text.end(), '*'), text.end());
  out += "<p>" + report::html_escape(text) + "</p>\n<h2>Changes</h2>\n";
  const auto changes = changes_grid(history);
  out += changes.rows.empty() ? "<p>No change found.</p>\n" : report::html_table(changes);
  for (const auto& group : history.groups) {
    out +=
        "<h2>" + report::html_escape(heading(group)) + "</h2>\n<h3>Runs</h3>\n" + report::html_table(runs_grid(group));
    for (const auto& series : group.series) {
      out += "<div class=\"series\"><h3>" +
             report::html_escape(
                 fmt::format("{} {} {}", series.key.variant, series.key.test, report::level_label(series.key))) +
             "</h3>" + svg_chart(history, series) + "</div>\n";
    }
    out += "<h3>" + report::html_escape(history.field->header) + " by run</h3>\n" +
           report::html_table(figures_grid(history, group));
  }
  return out + "</body></html>\n";
}

}  // namespace bench::history
