#include "verify/summary.h"

#include <fmt/format.h>

#include <algorithm>

namespace bench::verify {

namespace {

constexpr size_t kOtherUrlsNamed = 2;

struct Group {
  std::string test;
  std::string message;
  std::vector<std::string> paths;  // distinct, in first-seen order
  size_t count = 0;
};

}  // namespace

std::string url_path(const std::string& url, const std::string& base_url) {
  if (!base_url.empty() && url.size() > base_url.size() && url.compare(0, base_url.size(), base_url) == 0)
    return url.substr(base_url.size());
  return url;
}

std::vector<SummaryLine> summarize(const Report& report, Level level, const std::string& base_url) {
  std::vector<Group> groups;
  for (const auto& f : report.findings) {
    if (f.level != level) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const Group& g) { return g.test == f.test && g.message == f.message; });
    if (it == groups.end()) it = groups.insert(groups.end(), Group{f.test, f.message, {}, 0});
    ++it->count;
    const std::string path = url_path(f.url, base_url);
    if (std::find(it->paths.begin(), it->paths.end(), path) == it->paths.end()) it->paths.push_back(path);
  }
  std::vector<SummaryLine> lines;
  for (const auto& g : groups) {
    std::string where = g.paths.empty() ? std::string() : g.paths.front();
    if (g.count > 1) {
      std::string also;
      for (size_t i = 1; i < g.paths.size() && i <= kOtherUrlsNamed; ++i) also += (also.empty() ? "" : ", ") + g.paths[i];
      if (g.paths.size() > kOtherUrlsNamed + 1) also += fmt::format(" and {} more", g.paths.size() - kOtherUrlsNamed - 1);
      where += fmt::format(" ({} times{})", g.count, also.empty() ? "" : ", also " + also);
    }
    lines.push_back({fmt::format("{} {}: {}", g.test, where, g.message), g.count});
  }
  return lines;
}

std::string failure_reason(const Report& report, const std::string& base_url, size_t max_lines) {
  const auto lines = summarize(report, Level::fail, base_url);
  size_t failed = 0;
  for (const auto& line : lines) failed += line.count;
  std::string reason = fmt::format("verification failed: {} check{} failed", failed, failed == 1 ? "" : "s");
  if (lines.size() != failed) reason += fmt::format(" ({} distinct)", lines.size());
  for (size_t i = 0; i < std::min(lines.size(), max_lines); ++i) reason += "\n  " + lines[i].text;
  if (lines.size() > max_lines) reason += fmt::format("\n  ... and {} more (every check is in results.json)", lines.size() - max_lines);
  return reason;
}

}  // namespace bench::verify
