#pragma once
// The database TechEmpower's tests run against, ready to use: the one sequence bench run, bench verify and bench db
// share. Embedded: a fresh cluster (embedded_postgres.h) whose folder the guardian removes should bench die
// (supervisor/guardian.h), seeded. External (a DSN): connected, seeded only when asked. Either way
// pg_stat_statements is prepared for query counts (query_stats.h), or the reason it cannot be is kept.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "database/client.h"
#include "database/connection.h"
#include "database/embedded_postgres.h"

namespace bench::database {

// Which database, and what to do to it.
struct DatabaseRequest {
  std::optional<ConnectionInfo> dsn{};  // nullopt: an embedded cluster
  bool seed = true;                     // with a DSN: create and fill the tables first (an embedded one always is)
  EmbeddedOptions embedded{};           // the embedded cluster's settings
};

// A step about to run, for progress lines: {"start", "embedded PostgreSQL 15"}, {"seed", "World 10,000 rows..."}.
struct DatabaseStep {
  std::string name;
  std::string detail;
};
using DatabaseProgress = std::function<void(const DatabaseStep&)>;

class TechEmpowerDatabase {
 public:
  // Starts (or connects to) the database, seeds it and prepares pg_stat_statements. Gives up early when *stop
  // (may be null) becomes true. Throws DatabaseError (or the std::exception of a step) with the reason; nothing is
  // left behind when it throws. Call from a long-lived thread (embedded_postgres.h says why).
  static std::unique_ptr<TechEmpowerDatabase> open(const DatabaseRequest& request,
                                                   const std::atomic<bool>* stop = nullptr,
                                                   const DatabaseProgress& progress = {});

  ~TechEmpowerDatabase();  // stop()
  TechEmpowerDatabase(const TechEmpowerDatabase&) = delete;
  TechEmpowerDatabase& operator=(const TechEmpowerDatabase&) = delete;

  // How servers reach it (their environment: ConnectionInfo::env()).
  const ConnectionInfo& info() const { return info_; }
  // The harness's own connection: the embedded cluster's admin role, or the DSN's role. Seeding, pg_stat_statements,
  // world snapshots; never handed to a server.
  Client& admin() { return *admin_; }
  // Why query counts cannot be read (prepare_query_stats' answer); nullopt when they can.
  const std::optional<std::string>& counts_unavailable() const { return counts_unavailable_; }
  // The embedded cluster, or null with a DSN.
  EmbeddedPostgres* embedded() const { return embedded_.get(); }

  // Closes the admin connection; stops and removes the embedded cluster. Idempotent; never throws.
  void stop();

 private:
  TechEmpowerDatabase() = default;

  std::unique_ptr<EmbeddedPostgres> embedded_;
  std::filesystem::path cluster_folder_;  // registered with the guardian until stop()
  ConnectionInfo info_;
  std::optional<Client> admin_;
  std::optional<std::string> counts_unavailable_;
};

}  // namespace bench::database
