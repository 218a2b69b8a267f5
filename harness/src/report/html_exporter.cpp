#include "report/html_exporter.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "report/aggregate.h"
#include "report/grid.h"
#include "report/report_header.h"
#include "report/rung_cost.h"

namespace bench::report {
namespace {

using nlohmann::json;

// The sample whose requests/s is closest to the row's median: its latency curve stands for the row.
const Cell* representative(const Row& row) {
  const auto e = estimate(row, field_named("requests_per_sec"));
  if (!e) return nullptr;
  const Cell* best = nullptr;
  for (const auto& cell : row.samples) {
    if (best == nullptr || std::fabs(cell.requests_per_sec - e->median) < std::fabs(best->requests_per_sec - e->median)) {
      best = &cell;
    }
  }
  return best;
}

// Server CPU per request (median over repeats) per variant x level: the steadiest figure (docs/findings.md),
// since it does not move with the load generator or the machine's other work the way requests/s does.
json cpu_bars(const Table& table, const std::string& test) {
  json bars = json::array();
  const Field& cpu = field_named("server_cpu_us_per_request");
  for (const Row* row : rows_of(table, test)) {
    const auto e = estimate(*row, cpu);
    if (!e) continue;
    bars.push_back({{"variant", row->key.variant}, {"level", level_label(row->key)}, {"value", e->median},
                    {"low", e->low}, {"high", e->high}, {"n", e->n}});
  }
  return bars;
}

// Requests/s against connections for a sweep: one line per variant (and query level), drawn only when some line
// has two or more connection levels.
json sweep_lines(const Table& table, const std::string& test) {
  std::vector<std::string> order;
  std::map<std::string, json> points;
  const Field& rps = field_named("requests_per_sec");
  for (const Row* row : rows_of(table, test)) {
    const auto e = estimate(*row, rps);
    if (!e) continue;
    const std::string name = row->key.variant + (row->key.queries > 0 ? fmt::format(" q={}", row->key.queries) : "");
    if (!points.contains(name)) order.push_back(name);
    points[name].push_back({row->key.connections, e->median});
  }
  json lines = json::array();
  bool sweep = false;
  for (const auto& name : order) {
    sweep = sweep || points[name].size() >= 2;
    lines.push_back({{"name", name}, {"variant", name.substr(0, name.find(" q="))}, {"points", points[name]}});
  }
  return sweep ? lines : json::array();
}

// Chart data for one test: a bar per variant x level, a percentile curve per variant for each level.
json test_chart_data(const Table& table, const std::string& test) {
  json bars = json::array();
  json curves_by_level = json::object();
  std::vector<std::string> level_order;
  const Field& rps = field_named("requests_per_sec");
  for (const Row* row : rows_of(table, test)) {
    const auto e = estimate(*row, rps);
    if (!e) continue;
    const std::string level = level_label(row->key);
    bars.push_back({{"variant", row->key.variant}, {"level", level}, {"value", e->median}, {"low", e->low},
                    {"high", e->high}, {"n", e->n}});
    const Cell* cell = representative(*row);
    if (cell == nullptr || cell->latency.curve.empty()) continue;
    json points = json::array();
    for (const auto& [percentile, us] : cell->latency.curve) points.push_back({percentile, us});
    if (!curves_by_level.contains(level)) level_order.push_back(level);
    curves_by_level[level].push_back({{"variant", row->key.variant}, {"points", std::move(points)}});
  }
  json curves = json::array();
  for (const auto& level : level_order) curves.push_back({{"level", level}, {"lines", curves_by_level[level]}});
  return {{"name", test}, {"bars", std::move(bars)}, {"curves", std::move(curves)}, {"cpu", cpu_bars(table, test)},
          {"sweep", sweep_lines(table, test)}};
}

// JSON inside <script> must not contain "</" (it would end the element); "<\/" is the same JSON string.
std::string script_safe(std::string text) {
  for (size_t at = text.find("</"); at != std::string::npos; at = text.find("</", at + 3)) text.replace(at, 2, "<\\/");
  return text;
}

// A grid without the columns no row fills (a checks table where no row names a test, or none has a detail).
Grid without_empty_columns(const Grid& grid) {
  std::vector<size_t> keep;
  for (size_t c = 0; c < grid.headers.size(); ++c) {
    const bool used = std::any_of(grid.rows.begin(), grid.rows.end(),
                                  [c](const auto& row) { return c < row.size() && !row[c].empty(); });
    if (used || c == 0) keep.push_back(c);
  }
  Grid out;
  for (size_t c : keep) {
    out.headers.push_back(grid.headers[c]);
    out.right_aligned.push_back(grid.right_aligned[c]);
  }
  for (const auto& row : grid.rows) {
    std::vector<std::string> line;
    for (size_t c : keep) line.push_back(c < row.size() ? row[c] : "");
    out.rows.push_back(std::move(line));
  }
  return out;
}

// A table in a box that scrolls sideways on a narrow window instead of wrapping its cells.
std::string scroll_table(const Grid& grid, const std::string& extra_class = "") {
  return "<div class=\"scroll" + (extra_class.empty() ? "" : " " + extra_class) + "\">\n" + html_table(grid) + "</div>\n";
}

// A member of a JSON object, or null: results are data and may lack a key or hold the wrong type.
const json& member(const json& object, const char* key) {
  static const json null;
  if (!object.is_object()) return null;
  const auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

// How each run loaded the servers, from its resolved scenario: the parameters a reader needs to repeat it.
Grid load_grid(const std::vector<Run>& runs) {
  Grid grid{{"Run", "Connections", "Duration", "Warmup", "Threads", "Repeats", "Rate", "Timeout", "Changed by flags"},
            {false, true, true, true, true, true, true, true, false},
            {}};
  for (const auto& run : runs) {
    const json& load = member(run.scenario, "load");
    const auto list = [](const json& values) {
      std::string out;
      if (values.is_array())
        for (const auto& v : values) out += (out.empty() ? "" : ", ") + text_of(v);
      return out;
    };
    std::string threads = text_of(member(load, "threads"));
    if (threads == "auto" && run.environment.cores > 0)
      threads = fmt::format("auto: min(c, {} cores)", run.environment.cores);
    const json& rate = member(load, "rate");
    std::string rate_text;
    if (rate.is_number())
      rate_text = rate.get<double>() > 0 ? human_value(Unit::per_second, rate.get<double>()) + " req/s" : "closed loop";
    grid.rows.push_back({run.scenario_name + (run.started_at.empty() ? "" : " " + run.started_at),
                         list(member(load, "connections")), text_of(member(load, "duration")),
                         text_of(member(load, "warmup")), threads, text_of(member(load, "repeat")), rate_text,
                         text_of(member(load, "timeout")), list(member(run.scenario, "overrides"))});
  }
  return without_empty_columns(grid);
}

// One sentence per test for the top of the page: at the test's heaviest level, the fastest variant and how it
// compares with the slowest ("db c=64: raw 9,100 req/s, 4.40x orm at 2,070 req/s").
std::vector<std::string> headlines(const Table& table) {
  std::vector<std::string> out;
  const Field& rps = field_named("requests_per_sec");
  for (const auto& test : table.tests) {
    std::optional<Key> level;
    for (const Row* row : rows_of(table, test)) {
      if (!estimate(*row, rps)) continue;
      const Key k{"", test, row->key.connections, row->key.queries};
      if (!level || std::tie(k.connections, k.queries) > std::tie(level->connections, level->queries)) level = k;
    }
    if (!level) continue;
    std::vector<std::pair<double, std::string>> ranked;
    for (const Row* row : rows_of(table, test)) {
      if (row->key.connections != level->connections || row->key.queries != level->queries) continue;
      if (const auto e = estimate(*row, rps)) ranked.emplace_back(e->median, row->key.variant);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string line = fmt::format("{} {}: {} {} req/s", test, level_label(*level), ranked.front().second,
                                   human_value(Unit::per_second, ranked.front().first));
    if (ranked.size() >= 2 && ranked.back().first > 0) {
      line += fmt::format(", {:.2f}x {} at {} req/s", ranked.front().first / ranked.back().first, ranked.back().second,
                          human_value(Unit::per_second, ranked.back().first));
    }
    out.push_back(line);
  }
  return out;
}

std::string chart_id(const std::string& kind, size_t test, size_t index) {
  return kind + "-" + std::to_string(test) + "-" + std::to_string(index);
}

// Wide enough for the results table at 1400 px; narrower windows scroll tables sideways rather than wrap a
// figure or a name over two lines (a wrapped "12,345 (12,100-12,500 ...)" reads as two numbers).
constexpr const char* kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1400px; color: #222; padding: 0 1.5em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; }
.description { font-size: 1.05em; color: #444; margin-top: 0; }
.headline { background: #f3f7fb; border-left: 4px solid #4e79a7; padding: 0.5em 1em; margin: 1em 0; }
.headline ul { margin: 0; padding-left: 1.2em; } .headline li { margin: 0.15em 0; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top;
         white-space: nowrap; }
th { background: #f4f4f4; } .num { text-align: right; font-variant-numeric: tabular-nums; }
.wrap-last td:last-child { white-space: pre-line; min-width: 24em; }
.chart { margin: 0.5em 0 1em; } .chart svg { max-width: 100%; height: auto; }
.chart text { font: 11px system-ui, sans-serif; fill: #333; }
.note { color: #666; font-size: 12px; }
)css";

// Draws every chart from the embedded data into inline SVG, then marks each container with data-rendered = the
// number of bars or curves drawn, and the body with data-charts-rendered = the number of charts (tests read these).
constexpr const char* kScript = R"js(
(function () {
  const data = JSON.parse(document.getElementById('bench-data').textContent);
  const NS = 'http://www.w3.org/2000/svg';
  const colors = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
                  '#9c755f', '#bab0ac'];
  function el(name, attrs, parent, text) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function grouped(n) { return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function duration(us) {
    if (us < 1000) return Math.round(us) + 'us';
    if (us < 1e6) return (us / 1000).toPrecision(3) + 'ms';
    return (us / 1e6).toPrecision(3) + 's';
  }
  const variantColor = {};
  data.variants.forEach(function (v, i) { variantColor[v] = colors[i % colors.length]; });

  // Horizontal bars with the median's interval as a whisker; `unit` formats the value at the bar's end.
  function barChart(container, bars, unit) {
    const label = 200, width = 780, row = 22, top = 10, plot = width - label - 170;
    const height = top + row * bars.length + 10;
    const svg = el('svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height}, container);
    const max = Math.max.apply(null, bars.map(function (b) { return b.high || b.value; })) || 1;
    bars.forEach(function (b, i) {
      const y = top + i * row;
      el('text', {x: label - 6, y: y + 14, 'text-anchor': 'end'}, svg, b.variant + ' ' + b.level);
      el('rect', {x: label, y: y + 2, width: Math.max(1, plot * b.value / max), height: row - 6,
                  fill: variantColor[b.variant], 'class': 'bar'}, svg);
      if (b.n > 1) {
        el('line', {x1: label + plot * b.low / max, x2: label + plot * b.high / max, y1: y + row / 2 - 1,
                    y2: y + row / 2 - 1, stroke: '#222', 'stroke-width': 1.5}, svg);
      }
      el('text', {x: label + plot * Math.max(b.value, b.high || 0) / max + 6, y: y + 14}, svg,
         unit(b.value) + (b.n > 1 ? ' (n=' + b.n + ')' : ''));
    });
    container.setAttribute('data-rendered', bars.length);
  }
  function perSecond(v) { return grouped(v) + ' req/s'; }
  function perRequest(v) { return (v >= 100 ? grouped(v) : v.toPrecision(3)) + ' us/req'; }

  // Requests/s (linear, from 0) against connections (log 2 scale): one line per variant, a dot per level.
  function sweepChart(container, lines) {
    const width = 780, height = 320, left = 80, right = 170, top = 15, bottom = 40;
    const svg = el('svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height}, container);
    let cLo = Infinity, cHi = 0, yHi = 0;
    lines.forEach(function (l) { l.points.forEach(function (pt) {
      cLo = Math.min(cLo, pt[0]); cHi = Math.max(cHi, pt[0]); yHi = Math.max(yHi, pt[1]); }); });
    const xLo = Math.log2(cLo), xHi = Math.max(xLo + 1, Math.log2(cHi));
    // Round ticks: a step of 1, 2 or 5 times a power of ten, about four of them up to the top.
    const magnitude = Math.pow(10, Math.floor(Math.log10(yHi / 4 || 1)));
    const step = [1, 2, 5, 10].map(function (m) { return m * magnitude; })
                              .find(function (s) { return yHi / s <= 5; });
    const ticks = Math.max(1, Math.ceil(yHi / step)), yTop = ticks * step;
    function xOf(c) { return left + (width - left - right) * (Math.log2(c) - xLo) / (xHi - xLo); }
    function yOf(v) { return top + (height - top - bottom) * (1 - v / (yTop || 1)); }
    const levels = {};
    lines.forEach(function (l) { l.points.forEach(function (pt) { levels[pt[0]] = true; }); });
    Object.keys(levels).forEach(function (c) {
      el('line', {x1: xOf(c), x2: xOf(c), y1: top, y2: height - bottom, stroke: '#e4e4e4'}, svg);
      el('text', {x: xOf(c), y: height - bottom + 16, 'text-anchor': 'middle'}, svg, c);
    });
    for (let i = 0; i <= ticks; i++) {
      const v = step * i;
      el('line', {x1: left, x2: width - right, y1: yOf(v), y2: yOf(v), stroke: '#e4e4e4'}, svg);
      el('text', {x: left - 6, y: yOf(v) + 4, 'text-anchor': 'end'}, svg, grouped(v));
    }
    el('text', {x: left + (width - left - right) / 2, y: height - 6, 'text-anchor': 'middle'}, svg, 'connections');
    el('text', {x: 14, y: top + (height - top - bottom) / 2, 'text-anchor': 'middle',
                transform: 'rotate(-90 14 ' + (top + (height - top - bottom) / 2) + ')'}, svg, 'requests/s');
    lines.forEach(function (l, i) {
      const pts = l.points.slice().sort(function (a, b) { return a[0] - b[0]; });
      const d = pts.map(function (pt, j) { return (j ? 'L' : 'M') + xOf(pt[0]).toFixed(1) + ',' + yOf(pt[1]).toFixed(1); });
      el('path', {d: d.join(' '), fill: 'none', stroke: variantColor[l.variant], 'stroke-width': 2, 'class': 'sweep'}, svg);
      pts.forEach(function (pt) { el('circle', {cx: xOf(pt[0]), cy: yOf(pt[1]), r: 3, fill: variantColor[l.variant]}, svg); });
      el('rect', {x: width - right + 12, y: top + i * 18, width: 12, height: 12, fill: variantColor[l.variant]}, svg);
      el('text', {x: width - right + 30, y: top + i * 18 + 10}, svg, l.name);
    });
    container.setAttribute('data-rendered', lines.length);
  }

  // x: percentile on the usual log scale of 1 / (1 - p); y: latency on a log scale.
  function curveChart(container, lines) {
    const width = 760, height = 340, left = 70, right = 150, top = 15, bottom = 40;
    const svg = el('svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height}, container);
    const maxNines = 5;  // 99.999%
    function xOf(p) {
      const nines = p >= 100 ? maxNines : Math.min(maxNines, Math.log10(1 / (1 - p / 100)));
      return left + (width - left - right) * nines / maxNines;
    }
    let lo = Infinity, hi = 0;
    lines.forEach(function (l) { l.points.forEach(function (pt) { lo = Math.min(lo, Math.max(1, pt[1]));
                                                                 hi = Math.max(hi, Math.max(1, pt[1])); }); });
    const yLo = Math.floor(Math.log10(lo)), yHi = Math.max(yLo + 1, Math.ceil(Math.log10(hi)));
    function yOf(us) {
      const v = Math.log10(Math.max(1, us));
      return top + (height - top - bottom) * (1 - (v - yLo) / (yHi - yLo));
    }
    for (let d = yLo; d <= yHi; d++) {
      el('line', {x1: left, x2: width - right, y1: yOf(Math.pow(10, d)), y2: yOf(Math.pow(10, d)), stroke: '#e4e4e4'}, svg);
      el('text', {x: left - 6, y: yOf(Math.pow(10, d)) + 4, 'text-anchor': 'end'}, svg, duration(Math.pow(10, d)));
    }
    ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'].forEach(function (t, i) {
      const x = left + (width - left - right) * i / maxNines;
      el('line', {x1: x, x2: x, y1: top, y2: height - bottom, stroke: '#e4e4e4'}, svg);
      el('text', {x: x, y: height - bottom + 16, 'text-anchor': 'middle'}, svg, t);
    });
    el('text', {x: left + (width - left - right) / 2, y: height - 6, 'text-anchor': 'middle'}, svg, 'percentile');
    lines.forEach(function (l, i) {
      const d = l.points.map(function (pt, j) { return (j ? 'L' : 'M') + xOf(pt[0]).toFixed(1) + ',' + yOf(pt[1]).toFixed(1); });
      el('path', {d: d.join(' '), fill: 'none', stroke: variantColor[l.variant], 'stroke-width': 2, 'class': 'curve'}, svg);
      el('rect', {x: width - right + 12, y: top + i * 18, width: 12, height: 12, fill: variantColor[l.variant]}, svg);
      el('text', {x: width - right + 30, y: top + i * 18 + 10}, svg, l.variant);
    });
    container.setAttribute('data-rendered', lines.length);
  }

  let charts = 0;
  data.tests.forEach(function (test, t) {
    const bars = document.getElementById('bars-' + t + '-0');
    if (bars && test.bars.length) { barChart(bars, test.bars, perSecond); charts++; }
    const cpu = document.getElementById('cpu-' + t + '-0');
    if (cpu && test.cpu.length) { barChart(cpu, test.cpu, perRequest); charts++; }
    const sweep = document.getElementById('sweep-' + t + '-0');
    if (sweep && test.sweep.length) { sweepChart(sweep, test.sweep); charts++; }
    test.curves.forEach(function (c, i) {
      const box = document.getElementById('curves-' + t + '-' + i);
      if (box && c.lines.length) { curveChart(box, c.lines); charts++; }
    });
  });
  document.body.setAttribute('data-charts-rendered', charts);
})();
)js";

}  // namespace

std::string HtmlExporter::render(const std::vector<Run>& runs) const {
  const Table table = combine(runs);
  const auto all_ladders = ladders(table);
  json chart_data = {{"variants", table.variants}, {"tests", json::array()}};
  const std::string title = report_title(runs);
  std::string body = "<h1>" + html_escape(title) + "</h1>\n";
  std::set<std::string> described;
  for (const auto& run : runs) {
    const std::string description = text_of(member(run.scenario, "description"));
    if (!description.empty() && described.insert(description).second)
      body += "<p class=\"description\">" + html_escape(description) + "</p>\n";
  }
  if (const auto lines = headlines(table); !lines.empty()) {
    body += "<div class=\"headline\"><ul>\n";
    for (const auto& line : lines) body += "<li>" + html_escape(line) + "</li>\n";
    body += "</ul></div>\n";
  }
  body += "<ul>\n";
  for (const auto& line : run_descriptions(runs)) body += "<li>" + html_escape(line) + "</li>\n";
  body += "</ul>\n";
  if (const Grid load = load_grid(runs); load.headers.size() > 1) body += "<h3>Load</h3>\n" + scroll_table(load);
  body += "<p class=\"note\">Figures are medians over repeats; requests/s shows the interval of the median "
          "and its confidence when there are repeats. Bars: requests/s, and server CPU per request (the steadiest "
          "figure: it moves least with the machine's other work), with that interval as a whisker. Curves: "
          "latency by percentile, both axes logarithmic.</p>\n";
  for (size_t t = 0; t < table.tests.size(); ++t) {
    const std::string& test = table.tests[t];
    json data = test_chart_data(table, test);
    body += "<h2>" + html_escape(test) + "</h2>\n";
    body += "<h3>Requests per second</h3>\n<div class=\"chart\" id=\"" + chart_id("bars", t, 0) + "\"></div>\n";
    if (!data["sweep"].empty()) {
      body += "<h3>Requests per second by connections</h3>\n<div class=\"chart\" id=\"" + chart_id("sweep", t, 0) +
              "\"></div>\n";
    }
    if (!data["cpu"].empty()) {
      body += "<h3>Server CPU per request</h3>\n<div class=\"chart\" id=\"" + chart_id("cpu", t, 0) +
              "\"></div>\n";
    }
    for (size_t i = 0; i < data["curves"].size(); ++i) {
      body += "<h3>Latency by percentile, " + html_escape(data["curves"][i]["level"].get<std::string>()) +
              "</h3>\n<div class=\"chart\" id=\"" + chart_id("curves", t, i) + "\"></div>\n";
    }
    body += "<h3>Results</h3>\n" + scroll_table(results_grid(table, test));
    for (const auto& ladder : all_ladders) {
      if (ladder.level.test != test || !has_steps(ladder)) continue;  // all "-": nothing to show
      body += "<h3>Cost per rung, " + html_escape(level_label(ladder.level)) + "</h3>\n" + scroll_table(rung_grid(ladder));
    }
    chart_data["tests"].push_back(std::move(data));
  }
  const Grid checks = without_empty_columns(checks_grid(table));
  if (!checks.rows.empty()) body += "<h2>Variants and checks</h2>\n" + scroll_table(checks, "wrap-last");
  const Grid versions = versions_grid(table);
  if (!versions.rows.empty()) body += "<h2>Versions</h2>\n" + scroll_table(versions, "wrap-last");
  if (!table.warnings.empty()) {
    body += "<h2>Warnings</h2>\n<ul>\n";
    for (const auto& warning : table.warnings) body += "<li>" + html_escape(warning) + "</li>\n";
    body += "</ul>\n";
  }
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + html_escape(title) +
         "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" + body +
         "<script type=\"application/json\" id=\"bench-data\">" + script_safe(chart_data.dump()) + "</script>\n" +
         "<script>" + kScript + "</script>\n</body>\n</html>\n";
}

}  // namespace bench::report
