#pragma once
// A comparison as text (a table, the verdicts, the notes), markdown for a pull request, or JSON for tools.

#include <string>

#include "compare/compare.h"

namespace bench::compare {

// Renderings of a comparison for --format text, md and json. JSON's keys are describe()'s below (docs/reports.md).
std::string render_text(const Comparison& comparison);
std::string render_markdown(const Comparison& comparison);
std::string render_json(const Comparison& comparison);

}  // namespace bench::compare
