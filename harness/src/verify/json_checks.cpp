#include "verify/json_checks.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

namespace bench::verify {

namespace {

using nlohmann::json;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A short rendering of a JSON value for messages.
std::string excerpt(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::optional<json> parse(const std::string& body, Problems& problems) {
  try {
    return json::parse(body);
  } catch (const json::parse_error& e) {
    problems.push_back({Level::fail, std::string("invalid JSON: ") + e.what()});
    return std::nullopt;
  }
}

// The value of `key` in an object, looked up case-insensitively.
const json* find_key(const json& object, const std::string& key) {
  for (const auto& [name, value] : object.items()) {
    if (lower(name) == key) return &value;
  }
  return nullptr;
}

// Keys of one object that differ only in case ({"randomnumber": 1, "randomNumber": 2}, as TechEmpower's nodejs
// implementation answers with the old and the new value): one warn per group, naming every key with its value.
// Keys are looked up case-insensitively (find_key takes the first in nlohmann's sorted order; TechEmpower's
// Python, the last in the document), so which value counts is not what the server meant.
void warn_case_duplicates(const json& object, Problems& problems) {
  std::map<std::string, std::vector<std::string>> by_lower;
  for (const auto& [name, value] : object.items()) by_lower[lower(name)].push_back("'" + name + "' = " + excerpt(value));
  for (const auto& [key, spellings] : by_lower) {
    if (spellings.size() < 2) continue;
    std::string listed;
    for (size_t i = 0; i < spellings.size(); ++i)
      listed += (i == 0 ? "" : i + 1 == spellings.size() ? " and " : ", ") + spellings[i];
    problems.push_back({Level::warn, "keys that differ only in case: " + listed + " (bench reads " +
                                         spellings.front().substr(0, spellings.front().find(" = ")) +
                                         "; TechEmpower reads the last in the document)"});
  }
}

// Reads an integer field. A JSON integer is right; a string holding an integer is a warn (TFB's int() accepts it);
// anything else takes max_level.
std::optional<int> read_integer(const json& value, const std::string& name, Level max_level, Problems& problems) {
  if (value.is_number_integer()) {
    const auto number = value.get<int64_t>();
    if (number < INT32_MIN || number > INT32_MAX) {
      problems.push_back({max_level, "'" + name + "' is out of the integer range: " + excerpt(value)});
      return std::nullopt;
    }
    return static_cast<int>(number);
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    const bool digits = !text.empty() && text.size() < 10 &&
                        std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits) {
      problems.push_back({Level::warn, "'" + name + "' is a string, not a JSON number: " + excerpt(value)});
      return std::stoi(text);
    }
  }
  problems.push_back({max_level, "'" + name + "' is not an integer: " + excerpt(value)});
  return std::nullopt;
}

}  // namespace

Problems check_hello_body(const std::string& body) {
  Problems problems;
  const auto parsed = parse(body, problems);
  if (!parsed) return problems;
  if (!parsed->is_object()) return {{Level::fail, "expected a JSON object, got " + excerpt(*parsed)}};
  const json* message = find_key(*parsed, "message");
  if (!message) return {{Level::fail, "missing required key 'message'"}};
  if (!message->is_string()) return {{Level::fail, "'message' is not a string: " + excerpt(*message)}};
  if (lower(message->get<std::string>()) != "hello, world!") {
    return {{Level::fail, "expected message 'Hello, World!', got " + excerpt(*message)}};
  }
  warn_case_duplicates(*parsed, problems);
  if (parsed->size() > 1) {
    std::string extra;
    for (const auto& [name, value] : parsed->items()) {
      if (lower(name) != "message") extra += (extra.empty() ? "" : ", ") + name;
    }
    problems.push_back({Level::warn, "extra keys besides 'message': " + extra});
  }
  return problems;
}

Problems check_world_object(const json& object, Level max_level, std::optional<WorldRow>* row) {
  if (!object.is_object()) return {{max_level, "expected a JSON object, got " + excerpt(object)}};
  Problems problems;
  const json* id = find_key(object, "id");
  const json* random_number = find_key(object, "randomnumber");
  if (!id) problems.push_back({max_level, "object is missing the key 'id': " + excerpt(object)});
  if (!random_number) problems.push_back({max_level, "object is missing the key 'randomNumber': " + excerpt(object)});
  warn_case_duplicates(object, problems);
  if (object.size() > 2) {
    std::string extra;
    for (const auto& [name, value] : object.items()) {
      const auto key = lower(name);
      if (key != "id" && key != "randomnumber") extra += (extra.empty() ? "" : ", ") + name;
    }
    if (!extra.empty()) problems.push_back({Level::warn, "extra keys in the World object: " + extra});
  }
  if (!id || !random_number) return problems;

  const auto id_value = read_integer(*id, "id", max_level, problems);
  const auto number_value = read_integer(*random_number, "randomNumber", max_level, problems);
  if (id_value && (*id_value < 1 || *id_value > 10000)) {
    problems.push_back({Level::warn, "id " + std::to_string(*id_value) + " is outside 1..10000"});
  }
  if (number_value && (*number_value < 1 || *number_value > 10000)) {
    problems.push_back({Level::warn, "randomNumber " + std::to_string(*number_value) + " is outside 1..10000"});
  }
  if (row && id_value && number_value) *row = WorldRow{*id_value, *number_value};
  return problems;
}

Problems check_db_body(const std::string& body) {
  Problems problems;
  const auto parsed = parse(body, problems);
  if (!parsed) return problems;
  if (parsed->is_array()) {
    if (parsed->size() != 1) {
      return {{Level::fail, "expected one JSON object, got an array of " + std::to_string(parsed->size())}};
    }
    problems.push_back({Level::warn, "response is a one-element JSON array; expected a JSON object"});
    const auto inner = check_world_object(parsed->front(), Level::fail);
    problems.insert(problems.end(), inner.begin(), inner.end());
    return problems;
  }
  return check_world_object(*parsed, Level::fail);
}

Problems check_world_list(const std::string& body, size_t expected_length, Level max_level,
                          std::vector<WorldRow>* rows) {
  Problems problems;
  const auto parsed = parse(body, problems);
  if (!parsed) return problems;
  if (!parsed->is_array()) {
    problems.push_back({max_level, "top-level JSON is not an array"});
    const auto inner = check_world_object(*parsed, max_level);
    problems.insert(problems.end(), inner.begin(), inner.end());
    return problems;
  }
  if (parsed->size() != expected_length) {
    problems.push_back({max_level, "array of " + std::to_string(parsed->size()) + " rows, expected " +
                                       std::to_string(expected_length)});
  }
  int bad_objects = 0;
  for (const auto& item : *parsed) {
    std::optional<WorldRow> row;
    const auto inner = check_world_object(item, max_level, &row);
    if (row && rows) rows->push_back(*row);
    if (!inner.empty() && bad_objects < 5) {
      ++bad_objects;
      problems.insert(problems.end(), inner.begin(), inner.end());
    }
  }
  return problems;
}

}  // namespace bench::verify
