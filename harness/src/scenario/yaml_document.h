#pragma once
// Turning untrusted text into a yaml-cpp node tree without letting it exhaust memory or time.
//
// yaml-cpp 0.7 resolves an alias to a node shared with its anchor, so a "billion laughs" document is small in
// memory but exponential to walk. Scenario files have no need for aliases, so they are refused outright (with
// the alias's line and column); a first, event-only pass over the text finds them, and also caps the number of
// nodes and the nesting depth, before yaml-cpp builds any tree.

#include "scenario/scenario.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace bench::scenario {

// Checks `text` against the limits in scenario.h (size, nodes, depth, one document, no aliases) and parses it.
// Throws ScenarioError at the offending place, yaml-cpp's syntax errors included (converted to 1-based).
YAML::Node load_document(std::string_view text, const std::string& file);

}  // namespace bench::scenario
