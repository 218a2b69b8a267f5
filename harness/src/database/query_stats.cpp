#include "database/query_stats.h"

#include <algorithm>
#include <cctype>

namespace bench::database {

namespace {

// The statement's text without leading blanks and comments, lowercased.
std::string normalized(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  std::size_t i = 0;
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

std::string first_word(const std::string& text) {
  std::size_t end = 0;
  while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
  return text.substr(0, end);
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// True if `table` appears in the (lowercased) text as a whole identifier, quoted or not: "from world",
// "from \"world\"", "public.world" but not "worldwide".
bool names_table(const std::string& text, const std::string& table) {
  for (auto at = text.find(table); at != std::string::npos; at = text.find(table, at + 1)) {
    const bool starts = at == 0 || !identifier_char(text[at - 1]);
    const auto end = at + table.size();
    const bool ends = end == text.size() || !identifier_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

StatementCounts& bucket_for(QueryCounts& counts, const std::string& text) {
  const std::string verb = first_word(text);
  if (verb == "select" && names_table(text, "world")) return counts.select_world;
  if (verb == "update" && names_table(text, "world")) return counts.update_world;
  if (verb == "select" && names_table(text, "fortune")) return counts.select_fortune;
  static const char* const kQueries[] = {"select", "insert", "update", "delete", "with", "values", "table", "merge"};
  for (const char* query : kQueries)
    if (verb == query) return counts.other;
  return counts.utility;
}

// The first line of an error, without libpq's "ERROR:  " prefix.
std::string first_line(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  if (line.rfind("ERROR:", 0) == 0) line = line.substr(line.find_first_not_of(' ', 6));
  return line;
}

StatementCounts minus(const StatementCounts& a, const StatementCounts& b) {
  return {a.calls > b.calls ? a.calls - b.calls : 0, a.rows > b.rows ? a.rows - b.rows : 0};
}

}  // namespace

std::uint64_t QueryCounts::total_calls() const {
  return select_world.calls + update_world.calls + select_fortune.calls + other.calls;
}

QueryCounts query_counts(Client& client) {
  const auto rows = client.query(
      "SELECT /* bench-harness */ query, calls, rows FROM pg_stat_statements "
      "WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())");
  QueryCounts counts;
  for (const auto& row : rows) {
    if (row.size() != 3 || !row[0] || !row[1] || !row[2]) continue;
    if (row[0]->find(kHarnessMarker) != std::string::npos) continue;
    StatementCounts& bucket = bucket_for(counts, normalized(*row[0]));
    bucket.calls += std::stoull(*row[1]);
    bucket.rows += std::stoull(*row[2]);
  }
  return counts;
}

std::optional<std::string> prepare_query_stats(Client& client) {
  try {
    const auto installed = client.query(
        "SELECT /* bench-harness */ 1 FROM pg_extension WHERE extname = 'pg_stat_statements'");
    if (installed.empty()) client.exec("CREATE EXTENSION IF NOT EXISTS /* bench-harness */ pg_stat_statements");
  } catch (const DatabaseError& e) {
    return "pg_stat_statements is not installed in this database and cannot be: " + first_line(e.what());
  }
  try {
    query_counts(client);
  } catch (const DatabaseError& e) {
    return "pg_stat_statements cannot be read: " + first_line(e.what());
  }
  return std::nullopt;
}

QueryCounts operator-(const QueryCounts& after, const QueryCounts& before) {
  return {.select_world = minus(after.select_world, before.select_world),
          .update_world = minus(after.update_world, before.update_world),
          .select_fortune = minus(after.select_fortune, before.select_fortune),
          .other = minus(after.other, before.other),
          .utility = minus(after.utility, before.utility)};
}

void reset_query_stats(Client& client) { client.exec("SELECT /* bench-harness */ pg_stat_statements_reset()"); }

}  // namespace bench::database
