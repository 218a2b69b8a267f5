#pragma once
// Markdown: a table per test (variant x level, relative speed), the per-rung cost, variants' checks, warnings.

#include "report/exporter.h"

namespace bench::report {

class MarkdownExporter : public Exporter {
 public:
  std::string render(const std::vector<Run>& runs) const override;
};

}  // namespace bench::report
