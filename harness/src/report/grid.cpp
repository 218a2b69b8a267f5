#include "report/grid.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace bench::report {
namespace {

std::string cell_text(const Row& row, const Field& field) {
  const auto e = estimate(row, field);
  return e ? human_value(field.unit, e->median) : "-";
}

// "12,345 (12,100-12,500)": the median and, with repeats, its interval.
std::string with_interval(const Row& row, const Field& field) {
  const auto e = estimate(row, field);
  if (!e) {
    if (row.not_ok == 0) return "-";
    return row.interrupted == row.not_ok ? "interrupted" : "failed";
  }
  std::string text = human_value(field.unit, e->median);
  if (e->n > 1) {
    text += fmt::format(" ({}-{}, {:.0f}% CI, n={})", human_value(field.unit, e->low), human_value(field.unit, e->high),
                        e->confidence * 100, e->n);
  }
  return text;
}

// Fastest median requests/s per test level, for the relative column.
std::map<std::pair<int, int>, double> fastest_by_level(const std::vector<const Row*>& rows) {
  std::map<std::pair<int, int>, double> fastest;
  const Field& rps = field_named("requests_per_sec");
  for (const Row* row : rows) {
    if (const auto e = estimate(*row, rps)) {
      auto& best = fastest[{row->key.connections, row->key.queries}];
      best = std::max(best, e->median);
    }
  }
  return fastest;
}

std::string signed_value(double value) {
  return (value > 0 ? "+" : value < 0 ? "-" : "") + human_value(Unit::ratio, std::fabs(value));
}

size_t display_width(const std::string& text) {
  size_t length = 0;
  for (unsigned char c : text) length += (c & 0xC0) != 0x80;
  return length;
}

std::string pad(const std::string& text, size_t width, bool right) {
  // Width in code points, so names with UTF-8 characters still line up.
  const size_t length = display_width(text);
  const std::string fill(width > length ? width - length : 0, ' ');
  return right ? fill + text : text + fill;
}

std::string markdown_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& result_columns() {
  static const std::vector<std::string> columns = {
      "requests_per_sec",       "latency_p50_us",          "latency_p99_us",           "latency_p999_us",
      "errors_total",           "db_queries_per_request",  "server_cpu_us_per_request", "db_cpu_us_per_request",
      "server_peak_rss_bytes"};
  return columns;
}

Grid results_grid(const Table& table, const std::string& test) {
  Grid grid;
  grid.headers = {"Variant", "Level"};
  grid.right_aligned = {false, false};
  for (const auto& name : result_columns()) {
    grid.headers.push_back(field_named(name).header);
    grid.right_aligned.push_back(true);
    if (name == "requests_per_sec") {
      grid.headers.push_back("Relative");
      grid.right_aligned.push_back(true);
    }
  }
  const auto rows = rows_of(table, test);
  const auto fastest = fastest_by_level(rows);
  const Field& rps = field_named("requests_per_sec");
  for (const Row* row : rows) {
    std::vector<std::string> line = {row->key.variant, level_label(row->key)};
    for (const auto& name : result_columns()) {
      const Field& field = field_named(name);
      if (name != "requests_per_sec") {
        line.push_back(cell_text(*row, field));
        continue;
      }
      line.push_back(with_interval(*row, field));
      const auto e = estimate(*row, rps);
      const auto best = fastest.find({row->key.connections, row->key.queries});  // absent: every variant failed
      const bool known = e && best != fastest.end() && best->second > 0;
      line.push_back(known ? fmt::format("{:.1f}%", 100 * e->median / best->second) : "-");
    }
    grid.rows.push_back(std::move(line));
  }
  return grid;
}

Grid summary_grid(const Table& table) {
  Grid grid;
  grid.headers = {"Variant", "Test", "Level"};
  grid.right_aligned = {false, false, false};
  const std::vector<std::string> columns = {"requests_per_sec", "latency_p50_us", "latency_p99_us",
                                            "db_queries_per_request"};
  for (const auto& name : columns) {
    grid.headers.push_back(field_named(name).header);
    grid.right_aligned.push_back(true);
  }
  for (const auto& row : table.rows) {
    std::vector<std::string> line = {row.key.variant, row.key.test, level_label(row.key)};
    for (const auto& name : columns) {
      line.push_back(name == "requests_per_sec" ? with_interval(row, field_named(name))
                                                : cell_text(row, field_named(name)));
    }
    grid.rows.push_back(std::move(line));
  }
  return grid;
}

Grid rung_grid(const Ladder& ladder) {
  Grid grid;
  grid.headers = {"Ladder", "Variant", "Requests/s", "Server CPU us/req", "CPU us/req vs previous"};
  grid.right_aligned = {false, false, true, true, true};
  for (size_t i = 0; i < ladder.rungs.size(); ++i) {
    const auto& rung = ladder.rungs[i];
    // The ladder's name on its first rung only, so each ladder reads as a block.
    const bool first = i == 0 || ladder.rungs[i - 1].ladder != rung.ladder;
    grid.rows.push_back({first ? rung.ladder : "", rung.variant, human_value(Unit::per_second, rung.requests_per_sec),
                         rung.cpu_us_per_request ? human_value(Unit::ratio, *rung.cpu_us_per_request) : "-",
                         rung.cpu_delta_us ? signed_value(*rung.cpu_delta_us) : "-"});
  }
  // Every rung on one unnamed ladder (results whose scenario lists no servers): no Ladder column.
  if (std::all_of(ladder.rungs.begin(), ladder.rungs.end(), [](const Rung& r) { return r.ladder.empty(); })) {
    grid.headers.erase(grid.headers.begin());
    grid.right_aligned.erase(grid.right_aligned.begin());
    for (auto& row : grid.rows) row.erase(row.begin());
  }
  return grid;
}

Grid checks_grid(const Table& table) {
  Grid grid;
  grid.headers = {"Variant", "Status", "Test", "Check", "Detail"};
  grid.right_aligned = {false, false, false, false, false};
  for (const auto& variant : table.variant_info) {
    // Passing checks are counted, not listed: the reader needs the warnings and failures.
    size_t passed = 0;
    for (const auto& check : variant.checks) passed += check.level == "pass";
    if (variant.status != "ok" || passed > 0 || variant.checks.empty()) {
      const std::string passes = passed > 0 ? fmt::format("{} passed", passed) : "";
      grid.rows.push_back({variant.name, variant.status, "", passes, variant.reason});
    }
    for (const auto& check : variant.checks) {
      if (check.level != "pass") grid.rows.push_back({variant.name, variant.status, check.test, check.level, check.message});
    }
  }
  return grid;
}

Grid versions_grid(const Table& table) {
  Grid grid;
  grid.headers = {"Variant", "Versions"};
  grid.right_aligned = {false, false};
  for (const auto& variant : table.variants) {
    const auto it = table.versions.find(variant);
    if (it == table.versions.end() || it->second.empty()) continue;
    std::string list;
    for (const auto& [component, version] : it->second) list += (list.empty() ? "" : ", ") + component + " " + version;
    grid.rows.push_back({variant, list});
  }
  return grid;
}

std::string markdown_table(const Grid& grid) {
  std::string out = "|";
  for (const auto& header : grid.headers) out += " " + markdown_escape(header) + " |";
  out += "\n|";
  for (bool right : grid.right_aligned) out += right ? " ---: |" : " :--- |";
  out += "\n";
  for (const auto& row : grid.rows) {
    out += "|";
    for (const auto& cell : row) out += " " + markdown_escape(cell) + " |";
    out += "\n";
  }
  return out;
}

std::string text_table(const Grid& grid) {
  std::vector<size_t> widths(grid.headers.size(), 0);
  for (size_t i = 0; i < grid.headers.size(); ++i) widths[i] = display_width(grid.headers[i]);
  for (const auto& row : grid.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      out += (i == 0 ? "" : "  ") + pad(cells[i], widths[i], grid.right_aligned[i]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(grid.headers);
  size_t total = 0;
  for (size_t w : widths) total += w;
  out += std::string(total + 2 * (widths.empty() ? 0 : widths.size() - 1), '-') + "\n";
  for (const auto& row : grid.rows) out += line(row);
  return out;
}

std::string html_table(const Grid& grid) {
  std::string out = "<table>\n<thead><tr>";
  for (size_t i = 0; i < grid.headers.size(); ++i) {
    out += fmt::format("<th{}>{}</th>", grid.right_aligned[i] ? " class=\"num\"" : "", html_escape(grid.headers[i]));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : grid.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out += fmt::format("<td{}>{}</td>", grid.right_aligned[i] ? " class=\"num\"" : "", html_escape(row[i]));
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace bench::report
