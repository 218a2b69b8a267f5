#include "verify/world_updates.h"

#include <fmt/format.h>

#include <set>

namespace bench::verify {

size_t changed_rows(const std::map<int, int>& before, const std::map<int, int>& after) {
  size_t changed = 0;
  for (const auto& [id, value] : after) {
    const auto it = before.find(id);
    if (it != before.end() && it->second != value) ++changed;
  }
  return changed;
}

Problems check_changed_rows(size_t changed, size_t expected) {
  const double share = static_cast<double>(changed) / static_cast<double>(expected);
  if (changed == 0) return {{Level::fail, "no rows were updated in the database"}};
  if (share <= 0.90) {
    return {{Level::fail, fmt::format("only {} rows were updated in the database, expected about {}", changed,
                                      expected)}};
  }
  if (share <= 0.95) {
    return {{Level::warn, fmt::format("only {} rows were updated in the database, expected about {} "
                                      "(some may have been given their old value)",
                                      changed, expected)}};
  }
  return {};
}

Problems check_returned_rows(const std::vector<WorldRow>& rows, const std::map<int, int>& after) {
  std::map<int, std::set<int>> returned;
  for (const auto& row : rows) returned[row.id].insert(row.random_number);
  size_t mismatched = 0;
  std::string example;
  for (const auto& [id, values] : returned) {
    const auto it = after.find(id);
    if (it != after.end() && values.count(it->second)) continue;
    if (mismatched++ == 0) {
      example = it == after.end()
                    ? fmt::format("id {} is not in the table", id)
                    : fmt::format("id {} returned randomNumber {} but the table holds {}", id, *values.begin(),
                                  it->second);
    }
  }
  if (mismatched == 0) return {};
  return {{Level::fail, fmt::format("{} of {} returned rows do not match the table after the request (e.g. {})",
                                    mismatched, returned.size(), example)}};
}

}  // namespace bench::verify
