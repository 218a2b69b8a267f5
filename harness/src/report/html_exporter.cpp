#include "report/html_exporter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

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
    bars.push_back({{"variant", row->key.variant}, {"level", level}, {"rps", e->median}, {"low", e->low},
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
  return {{"name", test}, {"bars", std::move(bars)}, {"curves", std::move(curves)}};
}

// JSON inside <script> must not contain "</" (it would end the element); "<\/" is the same JSON string.
std::string script_safe(std::string text) {
  for (size_t at = text.find("</"); at != std::string::npos; at = text.find("</", at + 3)) text.replace(at, 2, "<\\/");
  return text;
}

std::string chart_id(const std::string& kind, size_t test, size_t index) {
  return kind + "-" + std::to_string(test) + "-" + std::to_string(index);
}

constexpr const char* kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } .num { text-align: right; font-variant-numeric: tabular-nums; }
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

  function barChart(container, bars) {
    const label = 190, width = 760, row = 22, top = 10, plot = width - label - 120;
    const height = top + row * bars.length + 10;
    const svg = el('svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height}, container);
    const max = Math.max.apply(null, bars.map(function (b) { return b.high || b.rps; })) || 1;
    bars.forEach(function (b, i) {
      const y = top + i * row;
      el('text', {x: label - 6, y: y + 14, 'text-anchor': 'end'}, svg, b.variant + ' ' + b.level);
      el('rect', {x: label, y: y + 2, width: Math.max(1, plot * b.rps / max), height: row - 6,
                  fill: variantColor[b.variant], 'class': 'bar'}, svg);
      if (b.n > 1) {
        el('line', {x1: label + plot * b.low / max, x2: label + plot * b.high / max, y1: y + row / 2 - 1,
                    y2: y + row / 2 - 1, stroke: '#222', 'stroke-width': 1.5}, svg);
      }
      el('text', {x: label + plot * Math.max(b.rps, b.high || 0) / max + 6, y: y + 14}, svg,
         grouped(b.rps) + ' req/s' + (b.n > 1 ? ' (n=' + b.n + ')' : ''));
    });
    container.setAttribute('data-rendered', bars.length);
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
    if (bars && test.bars.length) { barChart(bars, test.bars); charts++; }
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
  std::string body = "<h1>" + html_escape(title) + "</h1>\n<ul>\n";
  for (const auto& line : run_descriptions(runs)) body += "<li>" + html_escape(line) + "</li>\n";
  body += "</ul>\n<p class=\"note\">Figures are medians over repeats; requests/s shows the interval of the median "
          "and its confidence when there are repeats. Bars: requests/s with that interval as a whisker. Curves: "
          "latency by percentile, both axes logarithmic.</p>\n";
  for (size_t t = 0; t < table.tests.size(); ++t) {
    const std::string& test = table.tests[t];
    json data = test_chart_data(table, test);
    body += "<h2>" + html_escape(test) + "</h2>\n";
    body += "<h3>Requests per second</h3>\n<div class=\"chart\" id=\"" + chart_id("bars", t, 0) + "\"></div>\n";
    for (size_t i = 0; i < data["curves"].size(); ++i) {
      body += "<h3>Latency by percentile, " + html_escape(data["curves"][i]["level"].get<std::string>()) +
              "</h3>\n<div class=\"chart\" id=\"" + chart_id("curves", t, i) + "\"></div>\n";
    }
    body += "<h3>Results</h3>\n" + html_table(results_grid(table, test));
    for (const auto& ladder : all_ladders) {
      if (ladder.level.test != test) continue;
      body += "<h3>Cost per rung, " + html_escape(level_label(ladder.level)) + "</h3>\n" + html_table(rung_grid(ladder));
    }
    chart_data["tests"].push_back(std::move(data));
  }
  const Grid checks = checks_grid(table);
  if (!checks.rows.empty()) body += "<h2>Variants and checks</h2>\n" + html_table(checks);
  if (!table.warnings.empty()) {
    body += "<h2>Warnings</h2>\n<ul>\n";
    for (const auto& warning : table.warnings) body += "<li>" + html_escape(warning) + "</li>\n";
    body += "</ul>\n";
  }
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
         "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" + body +
         "<script type=\"application/json\" id=\"bench-data\">" + script_safe(chart_data.dump()) + "</script>\n" +
         "<script>" + kScript + "</script>\n</body>\n</html>\n";
}

}  // namespace bench::report
