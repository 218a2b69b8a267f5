#pragma once
// Exporters turn results into bytes, one file per format behind one interface; no I/O inside, so the caller
// decides where the bytes go and tests read them directly.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "report/result.h"

namespace bench::report {

class Exporter {
 public:
  virtual ~Exporter() = default;
  // The whole report for these runs, combined (repeats and several runs group by variant x test x level).
  virtual std::string render(const std::vector<Run>& runs) const = 0;
};

// The formats `bench report --format` accepts, in help order ("markdown" is another name for "md").
inline constexpr std::string_view kFormats[] = {"md", "markdown", "csv", "html", "json"};

// The exporter for a format name. Throws UsageError naming --format and the choices for an unknown one.
std::unique_ptr<Exporter> make_exporter(std::string_view format);

}  // namespace bench::report
