#include "scenario/yaml_document.h"

#include "util/utf8.h"

#include <fmt/core.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>

namespace bench::scenario {

namespace {

Location location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

// Counts nodes and depth and refuses aliases and extra documents; builds nothing.
class LimitChecker : public YAML::EventHandler {
 public:
  explicit LimitChecker(const std::string& file) : file_(file) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw ScenarioError(location(file_, mark), "expected one YAML document, found a second one ('---')");
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw ScenarioError(location(file_, mark),
                        "YAML aliases (*name) are not supported in scenario files; repeat the value instead "
                        "(this guards against alias bombs)");
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    count(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark);
  }
  void OnMapEnd() override { --depth_; }

 private:
  void count(const YAML::Mark& mark) {
    if (++nodes_ > kMaxNodes) {
      throw ScenarioError(location(file_, mark),
                          fmt::format("too many YAML nodes (more than {}); a scenario needs a few hundred", kMaxNodes));
    }
  }
  void open(const YAML::Mark& mark) {
    count(mark);
    if (++depth_ > kMaxDepth) {
      throw ScenarioError(location(file_, mark), fmt::format("nested more than {} levels deep", kMaxDepth));
    }
  }

  const std::string& file_;
  int documents_ = 0;
  int nodes_ = 0;
  int depth_ = 0;
};

void check_size(std::string_view text, const std::string& file) {
  if (text.size() > kMaxFileBytes) {
    throw ScenarioError({file, 0, 0}, fmt::format("file too large ({} bytes; the limit is {} bytes)", text.size(),
                                                  kMaxFileBytes));
  }
}

// A scenario is text: bytes that are not UTF-8 would end up in results (names, commands, env) that must be valid
// JSON. Refused here, before YAML sees them, so `bench validate` and `bench run` refuse the same files.
void check_utf8(std::string_view text, const std::string& file) {
  const auto bad = util::first_invalid_utf8(text);
  if (!bad) return;
  const std::string_view before = text.substr(0, *bad);
  const auto line_start = before.rfind('\n');
  const std::string_view line = line_start == std::string_view::npos ? before : before.substr(line_start + 1);
  // Columns count characters (the bytes before the bad one are valid UTF-8): skip continuation bytes.
  const int column = 1 + static_cast<int>(std::count_if(line.begin(), line.end(), [](char c) {
                       return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
                     }));
  const int line_number = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  throw ScenarioError({file, line_number, column},
                      fmt::format("invalid UTF-8 (byte 0x{:02X}); scenario files must be UTF-8 text",
                                  static_cast<unsigned char>(text[*bad])));
}

}  // namespace

YAML::Node load_document(std::string_view text, const std::string& file) {
  check_size(text, file);
  check_utf8(text, file);
  try {
    {
      std::istringstream stream{std::string(text)};
      YAML::Parser parser(stream);
      LimitChecker checker(file);
      while (parser.HandleNextDocument(checker)) {
      }
    }
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(location(file, e.mark), "YAML syntax error: " + e.msg);
  }
}

}  // namespace bench::scenario
