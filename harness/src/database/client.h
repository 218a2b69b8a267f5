#pragma once
// A small synchronous libpq client for the harness's own work: seeding, counters, snapshots. Not for load.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "database/connection.h"

struct pg_conn;

namespace bench::database {

// A comment inside every statement the harness sends, so query_counts() can leave them out.
inline constexpr const char* kHarnessMarker = "/* bench-harness */";

// One row: one optional text per column (nullopt = SQL NULL).
using Row = std::vector<std::optional<std::string>>;

class Client {
 public:
  // Connects (10 s connect timeout, application_name bench-harness). Throws DatabaseError with PQerrorMessage.
  // The session then turns pg_stat_statements tracking off for itself where allowed (superuser: the embedded
  // cluster's admin role), so the harness's own statements do not count as a server's work; where refused, its SQL
  // carries kHarnessMarker instead.
  explicit Client(const ConnectionInfo& info);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs one or more statements and returns the last one's rows (text format). Throws DatabaseError.
  std::vector<Row> query(std::string_view sql);
  // Runs one statement with $1, $2... bound to `params` (text, sent out of band: no quoting worries).
  std::vector<Row> query(std::string_view sql, const std::vector<std::string>& params);
  // Runs statements whose rows do not matter.
  void exec(std::string_view sql);
  // The server's version, e.g. "15.5 (Debian 15.5-0+deb12u1)".
  std::string server_version();
  // The SCRAM-SHA-256 verifier of `password` for role `user`, computed by libpq on this side: CREATE/ALTER ROLE
  // ... PASSWORD '<verifier>' then sets a password without the password itself ever reaching the server.
  std::string encrypt_password(const std::string& user, const std::string& password);

 private:
  struct ConnDeleter {
    void operator()(pg_conn* conn) const;
  };
  std::unique_ptr<pg_conn, ConnDeleter> conn_;
};

}  // namespace bench::database
