#include "scenario/node_reader.h"

#include "scenario/suggest.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace bench::scenario {

namespace {

// How a node reads in "got ..." messages.
std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  if (text.size() > 40) return "'" + text.substr(0, 40) + "...'";
  return "'" + text + "'";
}

std::string join(std::span<const std::string_view> words) {
  std::string out;
  for (const auto word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

}  // namespace

Location NodeReader::at(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file_, 1, 1};
  return {file_, mark.line + 1, mark.column + 1};
}

Location NodeReader::at(const Field& field) const {
  const bool empty = !field.value.IsDefined() || field.value.IsNull();
  if (empty && field.key.IsDefined() && !field.key.IsNull()) return at(field.key);
  return at(field.value);
}

void NodeReader::fail(const Location& where, std::string message) const {
  throw ScenarioError(where, std::move(message));
}

void NodeReader::fail(const Field& field, const std::string& message) const {
  fail(at(field), field.path + ": " + message);
}

void NodeReader::expected(const Field& field, const std::string& what) const {
  fail(field, "expected " + what + ", got " + describe(field.value));
}

std::vector<Field> NodeReader::entries(const Field& mapping, std::span<const std::string_view> allowed) const {
  if (!mapping.value.IsMap()) {
    if (allowed.empty()) expected(mapping, "a mapping");
    expected(mapping, "a mapping with keys " + join(allowed));
  }
  std::vector<Field> out;
  std::set<std::string> seen;
  for (auto it = mapping.value.begin(); it != mapping.value.end(); ++it) {
    // Copies: the iterator's pair is a temporary proxy.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const std::string prefix = mapping.path.empty() ? "" : mapping.path + ".";
    if (!key.IsScalar()) fail(at(key), prefix + "<key>: expected a plain key, got " + describe(key));
    const std::string& name = key.Scalar();
    if (!seen.insert(name).second) fail(at(key), prefix + name + ": duplicate key");
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string message = prefix + name + ": unknown key";
      if (const auto match = closest_match(name, allowed)) message += "; did you mean '" + *match + "'?";
      message += " (expected one of: " + join(allowed) + ")";
      fail(at(key), message);
    }
    out.push_back({prefix + name, key, value});
  }
  return out;
}

std::vector<Field> NodeReader::items(const Field& sequence) const {
  if (!sequence.value.IsSequence()) expected(sequence, "a list");
  std::vector<Field> out;
  for (size_t i = 0; i < sequence.value.size(); ++i) {
    out.push_back({fmt::format("{}[{}]", sequence.path, i), YAML::Node(), sequence.value[i]});
  }
  return out;
}

std::string NodeReader::string(const Field& field, bool allow_empty) const {
  if (!field.value.IsScalar()) expected(field, "a string");
  const std::string& text = field.value.Scalar();
  if (text.empty() && !allow_empty) fail(field, "must not be empty");
  return text;
}

int NodeReader::integer(const Field& field, int min, int max) const {
  const std::string range = fmt::format("an integer from {} to {}", min, max);
  if (!field.value.IsScalar()) expected(field, range);
  const std::string& text = field.value.Scalar();
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) expected(field, range);
  if (value < min || value > max) expected(field, range);
  return static_cast<int>(value);
}

std::optional<int> NodeReader::auto_or_integer(const Field& field, int min, int max) const {
  if (is_word(field, "auto")) return std::nullopt;
  const std::string range = fmt::format("'auto' or an integer from {} to {}", min, max);
  try {
    return integer(field, min, max);
  } catch (const ScenarioError&) {
    expected(field, range);
  }
}

double NodeReader::non_negative_number(const Field& field) const {
  const std::string what = "a number >= 0";
  if (!field.value.IsScalar()) expected(field, what);
  const std::string& text = field.value.Scalar();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) expected(field, what);
  if (!std::isfinite(value) || value < 0) expected(field, what);
  return value;
}

bool NodeReader::boolean(const Field& field) const {
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
  }
  expected(field, "true or false");
}

Nanos NodeReader::duration(const Field& field, bool positive) const {
  const std::string what = positive ? "a positive duration (10s, 2m, 250ms)" : "a duration (10s, 2m, 250ms, 0s)";
  if (!field.value.IsScalar()) expected(field, what);
  Nanos value{};
  try {
    value = parse_duration(field.value.Scalar());
  } catch (const std::invalid_argument& e) {
    fail(field, e.what());
  }
  if (positive && value <= Nanos::zero()) expected(field, what);
  return value;
}

std::vector<int> NodeReader::integer_list(const Field& field, int min, int max) const {
  if (!field.value.IsSequence()) return {integer(field, min, max)};
  const auto list = items(field);
  if (list.empty()) fail(field, fmt::format("expected an integer from {} to {} or a non-empty list of them", min, max));
  std::vector<int> out;
  for (const auto& item : list) {
    const int value = integer(item, min, max);
    if (std::find(out.begin(), out.end(), value) != out.end()) fail(item, fmt::format("{} is listed twice", value));
    out.push_back(value);
  }
  return out;
}

bool NodeReader::is_word(const Field& field, std::string_view word) {
  return field.value.IsScalar() && field.value.Scalar() == word;
}

}  // namespace bench::scenario
