#pragma once
// JSON text from outside (results files, a fleet's reports) parsed with bounds on its shape, so that hostile text is
// refused at the first value past a limit, before the tree (or the time spent) grows with it.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace bench::model {

struct JsonLimits {
  int max_depth = 64;                     // nesting of arrays and objects
  std::size_t max_object_keys = 10'000;   // keys in any one object
  std::size_t max_array_items = 100'000;  // items in any one array
};

// Parses `text` within `limits`. Throws FormatError naming `origin` and what the text should be (`what`: "a results
// file"): "ORIGIN: nested more than 64 levels deep; a results file needs fewer than 10", "ORIGIN: an object with more
// than 10000 keys; a results file needs a few hundred at most", "ORIGIN: not a results file (not valid JSON: ...)".
// The parser's own message is kept without its echo of the text's bytes, which may be anything.
nlohmann::json parse_bounded(const std::string& text, const JsonLimits& limits, const std::string& origin,
                             const std::string& what);

}  // namespace bench::model
