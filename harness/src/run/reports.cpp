#include "run/reports.h"

#include "report/exporter.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace bench::run {

WrittenReports write_reports(const report::Run& run, const std::filesystem::path& dir) {
  WrittenReports out;
  for (const auto& [format, name] : {std::pair{"md", "report.md"}, std::pair{"html", "report.html"}}) {
    const auto path = dir / name;
    try {
      const std::string text = report::make_exporter(format)->render({run});
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      file << text;
      file.close();
      if (!file) throw std::runtime_error(std::strerror(errno));
      out.files.push_back(path);
    } catch (const std::exception& e) {
      out.errors.push_back(fmt::format("{}: {}", path.string(), e.what()));
    }
  }
  return out;
}

}  // namespace bench::run
