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

// One row: one optional text per column (nullopt = SQL NULL).
using Row = std::vector<std::optional<std::string>>;

class Client {
 public:
  // Connects (10 s connect timeout). Throws DatabaseError with PQerrorMessage on failure.
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

 private:
  struct ConnDeleter {
    void operator()(pg_conn* conn) const;
  };
  std::unique_ptr<pg_conn, ConnDeleter> conn_;
};

}  // namespace bench::database
