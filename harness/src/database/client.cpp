#include "database/client.h"

#include <libpq-fe.h>

namespace bench::database {

namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Checks a result and turns it into rows; throws DatabaseError naming the statement on failure.
std::vector<Row> rows_of(pg_conn* conn, Result result, std::string_view sql) {
  if (!result) throw DatabaseError("query failed: " + trimmed(PQerrorMessage(conn)));
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const std::string statement(sql.substr(0, 200));
    throw DatabaseError(trimmed(PQresultErrorMessage(result.get())) + " (in: " + statement + ")");
  }
  std::vector<Row> rows;
  const int row_count = PQntuples(result.get());
  const int column_count = PQnfields(result.get());
  rows.reserve(static_cast<std::size_t>(row_count));
  for (int r = 0; r < row_count; ++r) {
    Row row;
    row.reserve(static_cast<std::size_t>(column_count));
    for (int c = 0; c < column_count; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                     static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

void Client::ConnDeleter::operator()(pg_conn* conn) const { PQfinish(conn); }

Client::Client(const ConnectionInfo& info) {
  const std::string conninfo = info.conninfo() + " connect_timeout=10 application_name='bench-harness'";
  conn_.reset(PQconnectdb(conninfo.c_str()));
  if (!conn_) throw DatabaseError("cannot connect to " + info.host + ":" + std::to_string(info.port) + ": out of memory");
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    throw DatabaseError("cannot connect to " + info.host + ":" + std::to_string(info.port) + "/" + info.dbname +
                        ": " + trimmed(PQerrorMessage(conn_.get())));
  PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);  // "table does not exist, skipping"
  // Best effort: needs superuser (the embedded cluster's admin is one); elsewhere kHarnessMarker does the job.
  Result untracked(PQexec(conn_.get(), "SET /* bench-harness */ pg_stat_statements.track = 'none'"));
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

std::vector<Row> Client::query(std::string_view sql) {
  const std::string text(sql);
  return rows_of(conn_.get(), Result(PQexec(conn_.get(), text.c_str())), sql);
}

std::vector<Row> Client::query(std::string_view sql, const std::vector<std::string>& params) {
  const std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param.c_str());
  Result result(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                             nullptr, nullptr, 0));
  return rows_of(conn_.get(), std::move(result), sql);
}

void Client::exec(std::string_view sql) { query(sql); }

std::string Client::server_version() {
  const auto rows = query("SHOW server_version");
  if (rows.empty() || rows[0].empty() || !rows[0][0]) throw DatabaseError("SHOW server_version returned nothing");
  return *rows[0][0];
}

std::string Client::encrypt_password(const std::string& user, const std::string& password) {
  char* verifier = PQencryptPasswordConn(conn_.get(), password.c_str(), user.c_str(), "scram-sha-256");
  if (verifier == nullptr) throw DatabaseError("cannot encrypt a password: " + trimmed(PQerrorMessage(conn_.get())));
  std::string out = verifier;
  PQfreemem(verifier);
  return out;
}

}  // namespace bench::database
