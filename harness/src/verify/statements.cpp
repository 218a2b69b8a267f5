#include "verify/statements.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace bench::verify {

namespace {

constexpr int64_t kPerRequestShare = 10;  // a statement counts as per-request work from one call per 10 requests
constexpr size_t kMaxNamed = 5;
constexpr size_t kMaxText = 80;

// Lower-cased, without leading blanks and comments.
std::string normalized(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.compare(i, 2, "/*") == 0) {
      const auto end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 2;
    } else if (text.compare(i, 2, "--") == 0) {
      const auto end = text.find('\n', i);
      i = end == std::string::npos ? text.size() : end + 1;
    } else {
      break;
    }
  }
  return text.substr(i);
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

bool names_table(const std::string& text, const std::string& table) {
  for (auto at = text.find(table); at != std::string::npos; at = text.find(table, at + 1)) {
    const bool starts = at == 0 || !identifier_char(text[at - 1]);
    const auto end = at + table.size();
    if (starts && (end == text.size() || !identifier_char(text[end]))) return true;
  }
  return false;
}

// The statement on one line, shortened for a message.
std::string shown(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxText) out = out.substr(0, kMaxText - 3) + "...";
  return out;
}

}  // namespace

std::vector<StatementCalls> read_statements(database::Client& client) {
  const auto rows = client.query(
      "SELECT /* bench-harness */ query, sum(calls), sum(rows) FROM pg_stat_statements "
      "WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY query");
  std::vector<StatementCalls> out;
  for (const auto& row : rows) {
    if (row.size() != 3 || !row[0] || !row[1] || !row[2]) continue;
    if (row[0]->find(database::kHarnessMarker) != std::string::npos) continue;
    out.push_back({*row[0], std::stoll(*row[1]), std::stoll(*row[2])});
  }
  return out;
}

std::vector<StatementCalls> statement_delta(const std::vector<StatementCalls>& after,
                                            const std::vector<StatementCalls>& before) {
  std::map<std::string, StatementCalls> earlier;
  for (const auto& s : before) {
    auto& e = earlier[s.text];
    e.calls += s.calls;
    e.rows += s.rows;
  }
  std::map<std::string, StatementCalls> summed;
  for (const auto& s : after) {
    auto& e = summed[s.text];
    e.text = s.text;
    e.calls += s.calls;
    e.rows += s.rows;
  }
  std::vector<StatementCalls> out;
  for (auto& [text, s] : summed) {
    const auto it = earlier.find(text);
    if (it != earlier.end()) {
      s.calls = std::max<int64_t>(0, s.calls - it->second.calls);
      s.rows = std::max<int64_t>(0, s.rows - it->second.rows);
    }
    if (s.calls > 0) out.push_back(s);
  }
  return out;
}

bool needed_by(TestKind kind, const std::string& text) {
  const std::string t = normalized(text);
  const bool select = t.rfind("select", 0) == 0 && (t.size() == 6 || !identifier_char(t[6]));
  const bool update = t.rfind("update", 0) == 0 && (t.size() == 6 || !identifier_char(t[6]));
  // A transaction around the writes is how ORMs flush a unit of work, and the rules allow batching the updates:
  // for updates only, transaction control is part of the work (around a read it is still extra).
  const auto starts = [&](std::string_view word) {
    return t.rfind(word, 0) == 0 && (t.size() == word.size() || !identifier_char(t[word.size()]));
  };
  const bool transaction = starts("begin") || starts("start transaction") || starts("commit") || starts("end");
  switch (kind) {
    case TestKind::db:
    case TestKind::queries: return select && names_table(t, "world");
    case TestKind::updates: return ((select || update) && names_table(t, "world")) || transaction;
    case TestKind::fortunes: return select && names_table(t, "fortune");
    case TestKind::json:
    case TestKind::plaintext: return false;
  }
  return false;
}

Problems check_extra_statements(TestKind kind, const std::vector<StatementCalls>& delta, int requests) {
  if (requests <= 0) return {};
  std::vector<StatementCalls> extra;
  int64_t extra_calls = 0;
  for (const auto& s : delta) {
    if (needed_by(kind, s.text) || s.calls * kPerRequestShare < requests) continue;
    extra.push_back(s);
    extra_calls += s.calls;
  }
  if (extra.empty()) return {};
  std::stable_sort(extra.begin(), extra.end(),
                   [](const StatementCalls& a, const StatementCalls& b) { return a.calls > b.calls; });
  std::string named;
  for (size_t i = 0; i < std::min(extra.size(), kMaxNamed); ++i) {
    if (!named.empty()) named += ", ";
    named += fmt::format("'{}' {:.2g}/request", shown(extra[i].text),
                         static_cast<double>(extra[i].calls) / requests);
  }
  if (extra.size() > kMaxNamed) named += fmt::format(" and {} more", extra.size() - kMaxNamed);
  return {{Level::warn,
           fmt::format("{:.2g} statements per request that the {} test does not need: {} (e.g. a driver's reset "
                       "query when a pooled connection is released, or a transaction around a read)",
                       static_cast<double>(extra_calls) / requests, to_string(kind), named)}};
}

}  // namespace bench::verify
