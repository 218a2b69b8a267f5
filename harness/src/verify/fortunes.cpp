#include "verify/fortunes.h"

#include <algorithm>

#include "database/techempower.h"
#include "verify/html_normalizer.h"

namespace bench::verify {

namespace {

constexpr size_t kMaxDiffHunks = 4;
constexpr size_t kMaxExcerpt = 160;
constexpr size_t kMaxDiffLines = 400;  // a runaway page is cut before the quadratic diff

// A table row as a page shows it: the normalised content of its <td> cells.
using Row = std::vector<std::string>;

std::string shorten(std::string text) {
  if (text.size() > kMaxExcerpt) text = text.substr(0, kMaxExcerpt - 3) + "...";
  return text;
}

std::vector<Row> table_rows(const std::vector<HtmlToken>& tokens) {
  std::vector<Row> rows;
  bool in_row = false;
  bool in_cell = false;
  for (const auto& token : tokens) {
    if (token.kind == HtmlToken::Kind::tag && token.value == "<tr>") {
      rows.emplace_back();
      in_row = true;
    } else if (token.kind == HtmlToken::Kind::tag && token.value == "</tr>") {
      in_row = in_cell = false;
    } else if (in_row && token.kind == HtmlToken::Kind::tag && token.value == "<td>") {
      rows.back().emplace_back();
      in_cell = true;
    } else if (token.kind == HtmlToken::Kind::tag && token.value == "</td>") {
      in_cell = false;
    } else if (in_cell) {
      rows.back().back() += token.value;
    }
  }
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const Row& row) { return row.empty(); }), rows.end());
  return rows;
}

std::vector<Row> expected_rows_normalised() {
  std::vector<Row> rows;
  for (const auto& fortune : expected_fortune_rows()) {
    rows.push_back({std::to_string(fortune.id), escape_html(fortune.message)});
  }
  return rows;
}

// What most likely went wrong, in words; the diff below it shows the detail.
std::vector<std::string> likely_causes(const std::vector<HtmlToken>& tokens) {
  std::vector<std::string> causes;
  const auto has_tag = [&](const std::string& tag) {
    return std::any_of(tokens.begin(), tokens.end(), [&](const HtmlToken& t) {
      return t.kind == HtmlToken::Kind::tag && t.value == tag;
    });
  };
  if (has_tag("<script>")) causes.push_back("a message is not HTML-escaped (the page contains a <script> tag)");
  const auto rows = table_rows(tokens);
  const auto expected = expected_rows_normalised();
  if (rows.size() != expected.size()) {
    causes.push_back(std::to_string(rows.size()) + " fortune rows, expected " + std::to_string(expected.size()));
  }
  const bool has_extra = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return !r.empty() && r[0] == "0"; });
  if (!has_extra) causes.push_back("the fortune added at request time (id 0) is missing");
  auto sorted_rows = rows;
  auto sorted_expected = expected;
  std::sort(sorted_rows.begin(), sorted_rows.end());
  std::sort(sorted_expected.begin(), sorted_expected.end());
  if (rows != expected && sorted_rows == sorted_expected) causes.push_back("rows are not sorted by message");
  if (causes.empty()) causes.push_back("the page does not match the canonical table");
  return causes;
}

// The normalised page cut into lines before each row and before </table>, for a readable diff.
std::vector<std::string> diff_lines(const std::string& document) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t at = 1; at < document.size() && lines.size() < kMaxDiffLines; ++at) {
    if (document.compare(at, 4, "<tr>") == 0 || document.compare(at, 8, "</table>") == 0) {
      lines.push_back(document.substr(start, at - start));
      start = at;
    }
  }
  if (start < document.size()) lines.push_back(document.substr(start));
  return lines;
}

// A line diff (longest common subsequence) as TFB words it: "expected `A`, got `B`", one problem per hunk.
Problems diff_problems(const std::vector<std::string>& expected, const std::vector<std::string>& got) {
  const size_t n = expected.size();
  const size_t m = got.size();
  std::vector<std::vector<size_t>> lcs(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = expected[i] == got[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  Problems problems;
  std::string removed;
  std::string added;
  const auto flush = [&] {
    if (removed.empty() && added.empty()) return;
    std::string message;
    if (added.empty()) {
      message = "missing `" + shorten(removed) + "`";
    } else if (removed.empty()) {
      message = "unexpected `" + shorten(added) + "`";
    } else {
      message = "expected `" + shorten(removed) + "`, got `" + shorten(added) + "`";
    }
    if (problems.size() < kMaxDiffHunks) problems.push_back({Level::fail, "diff: " + message});
    removed.clear();
    added.clear();
  };
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] == got[j]) {
      flush();
      ++i;
      ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      added += got[j++];
    } else {
      removed += expected[i++];
    }
  }
  flush();
  return problems;
}

}  // namespace

std::vector<Fortune> expected_fortune_rows() {
  std::vector<Fortune> rows;
  for (const auto& [id, message] : database::techempower_fortunes()) rows.push_back({id, message});
  rows.push_back({0, "Additional fortune added at request time."});
  std::sort(rows.begin(), rows.end(), [](const Fortune& a, const Fortune& b) { return a.message < b.message; });
  return rows;
}

std::string escape_html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string expected_fortunes_document() {
  std::string page =
      "<!doctype html><html><head><title>Fortunes</title></head><body><table>"
      "<tr><th>id</th><th>message</th></tr>";
  for (const auto& fortune : expected_fortune_rows()) {
    page += "<tr><td>" + std::to_string(fortune.id) + "</td><td>" + escape_html(fortune.message) + "</td></tr>";
  }
  page += "</table></body></html>";
  return page;
}

Problems check_fortunes_body(const std::string& body) {
  const auto tokens = normalize_html(body);
  const std::string got = join_tokens(tokens);
  const std::string expected = expected_fortunes_document();
  if (got == expected) return {};
  Problems problems;
  std::string causes;
  for (const auto& cause : likely_causes(tokens)) causes += (causes.empty() ? "" : "; ") + cause;
  problems.push_back({Level::fail, "page differs from the canonical fortunes table: " + causes});
  const auto diff = diff_problems(diff_lines(expected), diff_lines(got));
  problems.insert(problems.end(), diff.begin(), diff.end());
  return problems;
}

}  // namespace bench::verify
