#pragma once
// CSV (RFC 4180): one row per variant x test x level x repeat of every run, every field of fields.h.

#include "report/exporter.h"

namespace bench::report {

class CsvExporter : public Exporter {
 public:
  std::string render(const std::vector<Run>& runs) const override;
};

}  // namespace bench::report
