#include "database/connection.h"

#include <libpq-fe.h>

#include <cctype>
#include <memory>

namespace bench::database {

namespace {

// RFC 3986 unreserved characters stay, everything else is %XX (libpq decodes these in URLs).
std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// libpq key=value values: single-quoted, with backslash and quote escaped.
std::string quote_value(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

}  // namespace

std::string ConnectionInfo::url() const {
  std::string out = "postgresql://";
  if (!user.empty()) {
    out += percent_encode(user);
    if (!password.empty()) out += ":" + percent_encode(password);
    out += "@";
  }
  // An IPv6 address goes in brackets (libpq's URI syntax); a socket folder or name is percent-encoded.
  const bool v6 = host.find(':') != std::string::npos && host.find('/') == std::string::npos;
  out += (v6 ? "[" + host + "]" : percent_encode(host)) + ":" + std::to_string(port) + "/" + percent_encode(dbname);
  return out;
}

std::string ConnectionInfo::conninfo() const {
  std::string out;
  const auto add = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += ' ';
    out += std::string(key) + "=" + quote_value(value);
  };
  add("host", host);
  add("port", std::to_string(port));
  add("user", user);
  add("password", password);
  add("dbname", dbname);
  return out;
}

std::map<std::string, std::string> ConnectionInfo::env() const {
  return {{"DATABASE_URL", url()},  {"PGHOST", host},         {"PGPORT", std::to_string(port)},
          {"PGUSER", user},         {"PGPASSWORD", password}, {"PGDATABASE", dbname}};
}

namespace {

// parse_dsn's work: the parts into *info, or the problem.
std::optional<std::string> parse_into(const std::string& dsn, ConnectionInfo& info) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsDeleter> options(PQconninfoParse(dsn.c_str(), &error));
  if (!options) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return message;
  }
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string key = option->keyword;
    const std::string value = option->val;
    if (key == "host") info.host = value;
    if (key == "port") {
      try {
        info.port = std::stoi(value);
      } catch (const std::exception&) {
        return "port '" + value + "' is not a number";
      }
    }
    if (key == "user") info.user = value;
    if (key == "password") info.password = value;
    if (key == "dbname") info.dbname = value;
  }
  return std::nullopt;
}

}  // namespace

ConnectionInfo parse_dsn(const std::string& dsn) {
  ConnectionInfo info;
  if (const auto problem = parse_into(dsn, info)) throw DatabaseError("invalid database DSN: " + *problem);
  return info;
}

std::optional<std::string> dsn_problem(const std::string& dsn) {
  ConnectionInfo info;
  return parse_into(dsn, info);
}

}  // namespace bench::database
