#pragma once
// Typed, located access to a yaml-cpp node tree: every accessor either returns a checked value or throws a
// ScenarioError naming the file, line, column, the key path ("load.connections") and what was expected.

#include "scenario/scenario.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bench::scenario {

// A value in the document with the key path that leads to it; `key` is the mapping key (null for list items).
struct Field {
  std::string path;  // "servers.raw.port", "load.connections[1]"
  YAML::Node key;
  YAML::Node value;
};

class NodeReader {
 public:
  explicit NodeReader(std::string file) : file_(std::move(file)) {}

  // Where a field is written: its value, or its key when the value is empty (an empty value has no place).
  Location at(const Field& field) const;
  // Where a node is written (1:1 for a node without a mark, such as an empty document).
  Location at(const YAML::Node& node) const;

  [[noreturn]] void fail(const Location& where, std::string message) const;
  // "<path>: <message>" at the field.
  [[noreturn]] void fail(const Field& field, const std::string& message) const;
  // "<path>: expected <expected>, got <what the value is>" at the field.
  [[noreturn]] void expected(const Field& field, const std::string& expected) const;

  // The entries of a mapping, in file order, with paths "<path>.<key>". Rejects a non-mapping, non-scalar keys,
  // duplicate keys and, unless `allowed` is empty, keys not in `allowed` (suggesting the closest one).
  std::vector<Field> entries(const Field& mapping, std::span<const std::string_view> allowed = {}) const;
  // The items of a sequence, with paths "<path>[i]".
  std::vector<Field> items(const Field& sequence) const;

  // A scalar as text; `allow_empty` admits "" (never null).
  std::string string(const Field& field, bool allow_empty = false) const;
  // An integer in [min, max].
  int integer(const Field& field, int min, int max) const;
  // `auto` (nullopt) or an integer in [min, max].
  std::optional<int> auto_or_integer(const Field& field, int min, int max) const;
  // A finite number >= 0.
  double non_negative_number(const Field& field) const;
  // true or false.
  bool boolean(const Field& field) const;
  // A duration through bench::parse_duration; `positive` rejects zero.
  Nanos duration(const Field& field, bool positive) const;
  // One integer or a non-empty list of distinct integers, each in [min, max].
  std::vector<int> integer_list(const Field& field, int min, int max) const;

  // Whether the field is the scalar `word` (as in `port: auto`).
  static bool is_word(const Field& field, std::string_view word);

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

}  // namespace bench::scenario
