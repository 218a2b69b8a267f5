#pragma once
// Where a PostgreSQL database is and how servers are told about it.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace bench::database {

// Anything that goes wrong talking to PostgreSQL: the message carries libpq's or the server's words.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConnectionInfo {
  std::string host;      // a host name or address; a path (starting with '/') means a unix socket directory
  int port = 5432;
  std::string user;
  std::string password;
  std::string dbname;

  // postgresql://user:password@host:port/dbname, every part percent-encoded.
  std::string url() const;
  // libpq key=value form (for PQconnectdb/PQping), values quoted as libpq wants.
  std::string conninfo() const;
  // The environment a server gets: DATABASE_URL, PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
  std::map<std::string, std::string> env() const;
};

// Parses a postgresql:// (or postgres://) URL or a key=value string with libpq's own parser.
// Missing parts stay empty (port: 5432). Throws DatabaseError with libpq's message when it does not parse.
// The one DSN parser: bench run's and bench verify's --dsn and a scenario's `database: {dsn:}` all go through it.
ConnectionInfo parse_dsn(const std::string& dsn);

// What is wrong with a DSN in libpq's words ("invalid connection option \"bogus\""), nullopt when parse_dsn takes it.
std::optional<std::string> dsn_problem(const std::string& dsn);

}  // namespace bench::database
