#include "scenario/yaml_document.h"

#include <fmt/core.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

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

}  // namespace

YAML::Node load_document(std::string_view text, const std::string& file) {
  check_size(text, file);
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
