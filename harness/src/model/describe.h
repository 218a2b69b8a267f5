#pragma once
// The reading and writing of the result model, driven by one field list per type. Each type's JSON keys are named
// once, in a describe(v, object) found by argument-dependent lookup in the type's namespace, that both the writer
// and the reader walk, so the two cannot drift apart. Adding a field is one line in its describe().
//
//   template <typename V, typename T, if_same<T, Errors> = 0>
//   void describe(V& v, T& e) { v("connect", e.connect); ...; v.derived("total", [&] { return e.total(); }); }
//
// v(key, member) reads and writes a member; v.derived(key, function) writes a figure computed from the others
// (requests/s from requests and time) that a reader skips, since it follows from what is read. A type whose JSON
// form is not an object overloads write_value/read_value in its own namespace (load/result_json.cpp: histograms).
//
// Reading: a missing or null key keeps the model's default (files of older versions read as such), a wrong type is
// a FormatError naming its path ("cells[3].latency.p99_us"). Values are read as they come; bounded_json.h limits
// the size and shape of the text before it becomes a json tree.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/errors.h"

namespace bench::model {

using nlohmann::json;

// Results, a load report or a fleet's report that cannot be used: not JSON, too large, a field of the wrong type.
// A UsageError, so every command that reads one ends with exit code 2 and this message.
class FormatError : public UsageError {
 public:
  using UsageError::UsageError;
};

// describe()'s second parameter is `T&` for the reader and `const T&` for the writer: one template serves both.
template <typename T, typename Model>
using if_same = std::enable_if_t<std::is_same_v<std::remove_const_t<T>, Model>, int>;

namespace detail {
struct Probe {
  template <typename M>
  void operator()(const char*, M&) {}
  template <typename F>
  void derived(const char*, F&&) {}
};
}  // namespace detail

template <typename T, typename = void>
struct is_described : std::false_type {};
template <typename T>
struct is_described<T, std::void_t<decltype(describe(std::declval<detail::Probe&>(), std::declval<T&>()))>>
    : std::true_type {};

// --- writing ---------------------------------------------------------------------------------------------------

inline json write_value(const std::string& s) { return s; }
inline json write_value(const json& j) { return j; }
template <typename T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
json write_value(T value) {
  return value;
}
// Durations are written in seconds (their keys end in _s).
inline json write_value(std::chrono::nanoseconds value) { return std::chrono::duration<double>(value).count(); }
template <typename T>
json write_value(const std::optional<T>& value);
template <typename T>
json write_value(const std::vector<T>& list);
inline json write_value(const std::vector<std::pair<double, double>>& curve);
template <typename K, typename T>
json write_value(const std::map<K, T>& map);
template <typename T, std::enable_if_t<is_described<const T>::value, int> = 0>
json write_value(const T& object);

struct Writer {
  json out = json::object();
  template <typename M>
  void operator()(const char* key, const M& member) {
    out[key] = write_value(member);
  }
  template <typename F>
  void derived(const char* key, F&& compute) {
    out[key] = write_value(compute());
  }
};

template <typename T>
json write_value(const std::optional<T>& value) {
  return value ? write_value(*value) : json(nullptr);
}
template <typename T>
json write_value(const std::vector<T>& list) {
  json out = json::array();
  for (const auto& item : list) out.push_back(write_value(item));
  return out;
}
inline json write_value(const std::vector<std::pair<double, double>>& curve) {
  json out = json::array();
  for (const auto& [percentile, us] : curve) out.push_back({percentile, us});
  return out;
}
template <typename K, typename T>
json write_value(const std::map<K, T>& map) {
  json out = json::object();
  for (const auto& [key, value] : map) {
    if constexpr (std::is_same_v<K, std::string>)
      out[key] = write_value(value);
    else
      out[std::to_string(key)] = write_value(value);
  }
  return out;
}
template <typename T, std::enable_if_t<is_described<const T>::value, int>>
json write_value(const T& object) {
  Writer writer;
  describe(writer, object);
  return std::move(writer.out);
}

// --- reading ---------------------------------------------------------------------------------------------------

[[noreturn]] inline void wrong(const std::string& where, const char* expected, const json& found) {
  throw FormatError(where + ": expected " + expected + ", found " + found.type_name());
}

inline void read_value(const json& j, const std::string& where, std::string& out) {
  if (!j.is_string()) wrong(where, "a string", j);
  out = j.get<std::string>();
}
inline void read_value(const json& j, const std::string&, json& out) { out = j; }
inline void read_value(const json& j, const std::string& where, bool& out) {
  if (!j.is_boolean()) wrong(where, "true or false", j);
  out = j.get<bool>();
}
inline void read_value(const json& j, const std::string& where, double& out) {
  if (!j.is_number()) wrong(where, "a number", j);
  out = j.get<double>();
}
inline void read_value(const json& j, const std::string& where, int& out) {
  if (!j.is_number_integer()) wrong(where, "an integer", j);
  const auto value = j.get<int64_t>();
  if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int>::max()))
    throw FormatError(where + ": " + j.dump() + " is out of range");
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw FormatError(where + ": " + j.dump() + " is out of range");
  }
  out = static_cast<int>(value);
}
inline void read_value(const json& j, const std::string& where, uint64_t& out) {
  if (!j.is_number_unsigned()) wrong(where, "a non-negative integer", j);
  out = j.get<uint64_t>();
}
// Seconds, within +-100 years (a bound far inside nanoseconds' range, so the conversion cannot overflow).
inline void read_value(const json& j, const std::string& where, std::chrono::nanoseconds& out) {
  if (!j.is_number()) wrong(where, "a number of seconds", j);
  const double seconds = j.get<double>();
  if (!(seconds > -3.2e9 && seconds < 3.2e9)) throw FormatError(where + ": " + j.dump() + " s is out of range");
  out = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}
template <typename T>
void read_value(const json& j, const std::string& where, std::optional<T>& out);
template <typename T>
void read_value(const json& j, const std::string& where, std::vector<T>& out);
inline void read_value(const json& j, const std::string& where, std::vector<std::pair<double, double>>& out);
template <typename K, typename T>
void read_value(const json& j, const std::string& where, std::map<K, T>& out);
template <typename T, std::enable_if_t<is_described<T>::value, int> = 0>
void read_value(const json& j, const std::string& where, T& out);

struct Reader {
  const json& in;
  const std::string& where;
  template <typename M>
  void operator()(const char* key, M& member) {
    const auto it = in.find(key);
    if (it == in.end() || it->is_null()) return;
    read_value(*it, where.empty() ? key : where + "." + key, member);
  }
  template <typename F>
  void derived(const char*, F&&) {}
};

template <typename T>
void read_value(const json& j, const std::string& where, std::optional<T>& out) {
  T value{};
  read_value(j, where, value);
  out = std::move(value);
}
template <typename T>
void read_value(const json& j, const std::string& where, std::vector<T>& out) {
  if (!j.is_array()) wrong(where, "an array", j);
  out.clear();
  for (std::size_t i = 0; i < j.size(); ++i) {
    T item{};
    read_value(j[i], where + "[" + std::to_string(i) + "]", item);
    out.push_back(std::move(item));
  }
}
inline void read_value(const json& j, const std::string& where, std::vector<std::pair<double, double>>& out) {
  if (!j.is_array()) wrong(where, "an array", j);
  out.clear();
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    const json& point = j[i];
    if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number()) {
      throw FormatError(at + ": expected [percentile, microseconds]");
    }
    out.emplace_back(point[0].get<double>(), point[1].get<double>());
  }
}
template <typename K, typename T>
void read_value(const json& j, const std::string& where, std::map<K, T>& out) {
  if (!j.is_object()) wrong(where, "an object", j);
  out.clear();
  for (const auto& [name, value] : j.items()) {
    K key{};
    if constexpr (std::is_same_v<K, std::string>) {
      key = name;
    } else {
      // Status codes: keys are decimal integers.
      std::size_t used = 0;
      try {
        key = static_cast<K>(std::stoi(name, &used));
      } catch (const std::logic_error&) {
        used = 0;
      }
      if (used == 0 || used != name.size()) throw FormatError(where + ": key \"" + name + "\" is not an integer");
    }
    read_value(value, where + "." + name, out[key]);
  }
}
template <typename T, std::enable_if_t<is_described<T>::value, int>>
void read_value(const json& j, const std::string& where, T& out) {
  if constexpr (requires { read_text(j, out); }) {
    if (j.is_string()) {  // a type that also reads from plain text (model::Warning: files before warning codes)
      read_text(j, out);
      return;
    }
  }
  if (!j.is_object()) wrong(where.empty() ? std::string("the file") : where, "an object", j);
  Reader reader{j, where};
  describe(reader, out);
}

// --- the whole of a value ----------------------------------------------------------------------------------------

template <typename T>
json to_json(const T& value) {
  return write_value(value);
}

// Reads a value; throws FormatError naming the path of a field of the wrong type.
template <typename T>
T from_json(const json& j, const std::string& where = "") {
  T value{};
  read_value(j, where, value);
  return value;
}

}  // namespace bench::model
