#pragma once
// A throwaway PostgreSQL 15 cluster for one run: initdb into a fresh folder, tuned for benchmarking rather than
// durability, listening on 127.0.0.1 only on a free port, pg_stat_statements loaded. stop() (or the destructor)
// shuts it down and removes the folder; no postgres process outlives it.

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"
#include "supervisor/process.h"
#include "util/duration.h"

namespace bench::database {

// Where the PostgreSQL 15 programs live (Debian's layout).
inline const std::filesystem::path kPostgresBinDir = "/usr/lib/postgresql/15/bin";

// Settings of the embedded cluster. Defaults follow TechEmpower's names so their servers run unchanged.
struct EmbeddedOptions {
  std::string user = "benchmarkdbuser";
  std::string password = "benchmarkdbpass";  // auth is "trust" on loopback; the password is accepted, not checked
  std::string dbname = "hello_world";
  int max_connections = 2000;
  Nanos start_timeout = std::chrono::seconds(60);  // initdb + start + ready
  Nanos stop_grace = std::chrono::seconds(10);     // fast shutdown before SIGKILL
  std::vector<int> cpus{};  // CPU affinity of initdb and the postmaster, set before exec so backends inherit it; empty: none
};

class EmbeddedPostgres {
 public:
  // initdb into a new folder under `workdir` (created if missing), start postgres through the supervisor (its log:
  // workdir/<folder>.log), wait until it accepts connections, create the database. When the harness runs as root
  // initdb and postgres run as the `postgres` account (else `nobody`); SpawnError/DatabaseError say so if neither
  // exists. If that account cannot enter `workdir` (e.g. under /root) the cluster folder goes to the system temp
  // folder instead. Gives up early when *stop (may be null) becomes true. Throws DatabaseError with the log's tail.
  // Call from a long-lived thread (the main thread): the postmaster's PR_SET_PDEATHSIG is tied to it.
  static std::unique_ptr<EmbeddedPostgres> start(const std::filesystem::path& workdir,
                                                 const std::atomic<bool>* stop = nullptr,
                                                 const EmbeddedOptions& options = {});

  ~EmbeddedPostgres();  // stop()
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // How to reach it over TCP (host 127.0.0.1).
  ConnectionInfo info() const;
  // The postmaster's pid while it runs (for tests and diagnostics).
  pid_t pid() const;
  // The cluster's folder (data directory and unix socket inside); removed by stop().
  const std::filesystem::path& folder() const { return folder_; }
  const std::filesystem::path& log() const { return log_; }
  // The account postgres runs as when the harness is root, else empty.
  const std::optional<std::string>& run_as_user() const { return run_as_; }

  // Fast shutdown (SIGINT to the postmaster), SIGKILL after the grace period, kill any backend left behind,
  // remove the folder. Idempotent; never throws.
  void stop();

 private:
  EmbeddedPostgres(std::filesystem::path folder, std::filesystem::path log, EmbeddedOptions options);
  void init_cluster(const std::atomic<bool>* stop);
  void start_server(const std::atomic<bool>* stop);
  void create_database();

  std::filesystem::path folder_;
  std::filesystem::path log_;
  EmbeddedOptions options_;
  std::optional<std::string> run_as_;
  int port_ = 0;
  std::optional<supervisor::Process> postmaster_;
};

}  // namespace bench::database
