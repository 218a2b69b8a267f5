#pragma once
// Why a figure may not be trustworthy: a code that tools act on and reports group by (stored as its name,
// docs/results.md lists them), and a message that says what this measurement saw. The load engine, bench run's
// cells and the reports all make and read warnings as this one type.

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/describe.h"

namespace bench::model {

enum class WarningCode {
  other,             // free text without a code (results written before codes existed)
  no_requests,       // no request completed
  errors,            // socket errors or non-2xx/3xx answers above the tolerated share
  client_saturated,  // the load generator used nearly all its threads' CPU: it may be the bottleneck
  rate_shortfall,    // open loop: the achieved rate fell short of the target
  interrupted,       // the measurement was cut short (Ctrl-C)
  server_died,       // the server's leader process died during the measurement
  server_restarted,  // the server's processes changed during the measurement
  server_exited,     // the server was not running at the end of the measurement
  contention,        // other work on the machine used a material share of the CPU during the measurement
  load,              // any other warning of the load generator
};

// "rate_shortfall"; warning_code_named returns nullopt for a name this version does not know.
std::string_view warning_code_name(WarningCode code);
std::optional<WarningCode> warning_code_named(std::string_view name);

struct Warning {
  WarningCode code = WarningCode::other;
  std::string message;

  Warning() = default;
  Warning(WarningCode c, std::string text) : code(c), message(std::move(text)) {}
  // Free text takes the code "other". Implicit, with the conversion back to text below, so code that treats
  // warnings as text (console lines, older tests) keeps reading them as such.
  Warning(std::string text) : message(std::move(text)) {}  // NOLINT(google-explicit-constructor)
  Warning(const char* text) : message(text) {}             // NOLINT(google-explicit-constructor)
  operator const std::string&() const { return message; }  // NOLINT(google-explicit-constructor)
  bool operator==(const Warning& other) const { return code == other.code && message == other.message; }
  // Exact overloads for text, so `w == "..."` and `w == some_string` do not go through the conversions above.
  bool operator==(std::string_view text) const { return message == text; }
  bool operator==(const std::string& text) const { return message == text; }
  bool operator==(const char* text) const { return message == text; }
};

template <typename V, typename W, if_same<W, Warning> = 0>
void describe(V& v, W& w) {
  v("code", w.code);
  v("message", w.message);
}

// A warning code is written as its name; a name this version does not know (a newer bench's) reads as "other".
json write_value(WarningCode code);
void read_value(const json& j, const std::string& where, WarningCode& out);
// Files written before warnings had codes hold plain text.
void read_text(const json& j, Warning& out);

}  // namespace bench::model

// Console lines and fmt::format print a warning as its message.
template <>
struct fmt::formatter<bench::model::Warning> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const bench::model::Warning& warning, Context& context) const {
    return fmt::formatter<std::string_view>::format(warning.message, context);
  }
};
