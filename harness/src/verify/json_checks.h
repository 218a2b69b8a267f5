#pragma once
// Body checks of the JSON test types (TFB's verify_helloworld_object, verify_randomnumber_object and
// verify_randomnumber_list). Keys are compared case-insensitively, as TFB does.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "verify/problem.h"

namespace bench::verify {

// A World row as a response returned it.
struct WorldRow {
  int id = 0;
  int random_number = 0;
};

// json: the body must parse to {"message": "Hello, World!"} (value compared lower-cased); extra keys warn.
Problems check_hello_body(const std::string& body);

// One World object: keys id and randomNumber (any case) mapping to integers; extra keys warn; values outside
// 1..10000 warn. Problems that make the object unusable take `max_level`. The row is filled in when usable.
Problems check_world_object(const nlohmann::json& object, Level max_level, std::optional<WorldRow>* row = nullptr);

// db: the body must be one World object; a one-element array is a warn (TFB tolerates it), anything else fails.
Problems check_db_body(const std::string& body);

// queries/updates: the body must be an array of `expected_length` World objects. At most five bad objects are
// reported (as TFB does, so 500 bad rows do not make 500 findings). The usable rows are appended to `rows`.
Problems check_world_list(const std::string& body, size_t expected_length, Level max_level,
                          std::vector<WorldRow>* rows = nullptr);

}  // namespace bench::verify
