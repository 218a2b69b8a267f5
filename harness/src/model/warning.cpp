#include "model/warning.h"

namespace bench::model {

std::string_view warning_code_name(WarningCode code) {
  switch (code) {
    case WarningCode::other: return "other";
    case WarningCode::no_requests: return "no_requests";
    case WarningCode::errors: return "errors";
    case WarningCode::client_saturated: return "client_saturated";
    case WarningCode::rate_shortfall: return "rate_shortfall";
    case WarningCode::interrupted: return "interrupted";
    case WarningCode::server_died: return "server_died";
    case WarningCode::server_restarted: return "server_restarted";
    case WarningCode::server_exited: return "server_exited";
    case WarningCode::contention: return "contention";
    case WarningCode::load: return "load";
  }
  return "other";
}

std::optional<WarningCode> warning_code_named(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(WarningCode::load); ++i) {
    if (warning_code_name(static_cast<WarningCode>(i)) == name) return static_cast<WarningCode>(i);
  }
  return std::nullopt;
}

json write_value(WarningCode code) { return warning_code_name(code); }

void read_value(const json& j, const std::string& where, WarningCode& out) {
  if (!j.is_string()) wrong(where, "a warning code", j);
  out = warning_code_named(j.get<std::string>()).value_or(WarningCode::other);
}

void read_text(const json& j, Warning& out) { out = Warning(j.get<std::string>()); }

}  // namespace bench::model
