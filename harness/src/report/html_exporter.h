#pragma once
// HTML: one self-contained offline page; inline JavaScript draws SVG charts (requests/s bars, log-scale
// latency percentile curves) from data embedded in the page, beside the markdown's tables.

#include "report/exporter.h"

namespace bench::report {

class HtmlExporter : public Exporter {
 public:
  std::string render(const std::vector<Run>& runs) const override;
};

}  // namespace bench::report
