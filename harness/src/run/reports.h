#pragma once
// After a run: the markdown and HTML reports of its results, written beside results.json (report.md,
// report.html) so a finished run can be read without another command. A report that cannot be written is an
// error line, never a failed run: the results are already saved.

#include "report/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace bench::run {

struct WrittenReports {
  std::vector<std::filesystem::path> files;  // the reports written, in the order md, html
  std::vector<std::string> errors;           // "report.html: No space left on device"
};

WrittenReports write_reports(const report::Run& run, const std::filesystem::path& dir);

}  // namespace bench::run
