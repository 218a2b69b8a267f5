#pragma once
// JSON: the combined table (median and interval of every numeric field per variant x test x level), the
// variants, the ladders and each run's metadata, for tools.

#include "report/exporter.h"

namespace bench::report {

class JsonExporter : public Exporter {
 public:
  std::string render(const std::vector<Run>& runs) const override;
};

}  // namespace bench::report
