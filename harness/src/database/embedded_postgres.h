#pragma once
// A throwaway PostgreSQL 15 cluster for one run: initdb into a fresh folder, tuned for benchmarking rather than
// durability, listening on one address only (127.0.0.1 unless EmbeddedOptions::listen says otherwise) on a free port,
// pg_stat_statements loaded. stop() (or the destructor)
// shuts it down and removes the folder (its log included); no postgres process outlives it.
//
// Nobody but the run gets in (scram-sha-256 everywhere, fresh random passwords per cluster, never printed):
//   - the servers' role (benchmarkdbuser) logs in over TCP to hello_world only (from loopback; from any host that
//     reaches the listen address when that is not loopback, always with its password); it is not a
//     superuser and has SELECT/INSERT/UPDATE/DELETE on the tables the admin creates there (default privileges), no
//     CREATE anywhere, so no COPY ... FROM PROGRAM and no CREATE EXTENSION;
//   - the harness's admin role (bench_admin, the cluster's superuser) logs in over the unix socket only, which lives
//     in the cluster folder (mode 0700, owned by the account postgres runs as): seeding and pg_stat_statements;
//   - pg_hba.conf has those three lines and nothing else (two when the listen address is not loopback: the admin's
//     and the servers' role from any host).

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"
#include "supervisor/process.h"
#include "util/address.h"
#include "util/duration.h"

namespace bench::database {

// Where the PostgreSQL 15 programs live (Debian's layout).
inline const std::filesystem::path kPostgresBinDir = "/usr/lib/postgresql/15/bin";

// Settings of the embedded cluster. Defaults follow TechEmpower's names so their servers run unchanged.
struct EmbeddedOptions {
  std::string user = "benchmarkdbuser";  // the servers' role
  std::string password;                  // the servers' role's password; empty: a random one (the normal case)
  std::string dbname = "hello_world";
  bool query_stats = true;  // preload pg_stat_statements; false gives a database without it (tests of dsn: runs)
  int max_connections = 2000;
  Nanos start_timeout = std::chrono::seconds(60);  // initdb + start + ready
  Nanos stop_grace = std::chrono::seconds(10);     // fast shutdown before SIGKILL
  std::vector<int> cpus{};  // CPU affinity of initdb and the postmaster, set before exec so backends inherit it; empty: none
  util::IpAddress listen = util::loopback_ipv4();  // the one TCP address it listens on (a scenario's `listen:`)
};

// The harness's own role in the embedded cluster (superuser, unix socket only).
inline constexpr const char* kAdminRole = "bench_admin";

class EmbeddedPostgres {
 public:
  // Step 1: makes the (empty) folder a cluster will live in: postgres-XXXXXX under `workdir` (created if missing),
  // owned by the account postgres will run as. When the harness runs as root initdb and postgres run as the
  // `postgres` account (else `nobody`); DatabaseError says so if neither exists. If that account cannot enter
  // `workdir` (e.g. under /root) the folder goes to the system temp folder instead. Everything the cluster writes
  // (data, socket, log) goes inside it, so removing this one folder cleans up after a harness killed with SIGKILL:
  // a caller that registers folders for such cleanup (the supervisor's guardian) gets the path here, before
  // anything runs in it. The caller owns the folder until it hands it to start_in().
  static std::filesystem::path create_folder(const std::filesystem::path& workdir);

  // Step 2: initdb into `folder` (from create_folder), start postgres through the supervisor (its log:
  // folder/postgres.log), wait until it accepts connections, create the servers' role and the database.
  // Gives up early when *stop (may be null) becomes true. Throws DatabaseError with the log's tail; the folder is
  // removed whenever this throws. Call from a long-lived thread (the main thread): the postmaster's
  // PR_SET_PDEATHSIG is tied to it.
  static std::unique_ptr<EmbeddedPostgres> start_in(const std::filesystem::path& folder,
                                                    const std::atomic<bool>* stop = nullptr,
                                                    const EmbeddedOptions& options = {});

  // Both steps: start_in(create_folder(workdir), stop, options).
  static std::unique_ptr<EmbeddedPostgres> start(const std::filesystem::path& workdir,
                                                 const std::atomic<bool>* stop = nullptr,
                                                 const EmbeddedOptions& options = {});

  ~EmbeddedPostgres();  // stop()
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // How the servers reach it: TCP to the listen address, the servers' role and its password (what they get in their
  // env).
  ConnectionInfo info() const;
  // How the harness reaches it: the unix socket in the folder, the admin role (superuser), dbname hello_world.
  // For seeding, pg_stat_statements and world snapshots; never handed to a server.
  ConnectionInfo admin_info() const;
  // The postmaster's pid while it runs (for tests and diagnostics).
  pid_t pid() const;
  // The cluster's folder (data directory, unix socket and log inside); removed by stop().
  const std::filesystem::path& folder() const { return folder_; }
  // postgres's log (inside the folder, so it goes with it).
  const std::filesystem::path& log() const { return log_; }
  // The log's last lines: read now while the folder exists, else as kept by stop() before it removed the folder.
  std::string log_tail() const;
  // The account postgres runs as when the harness is root, else empty.
  const std::optional<std::string>& run_as_user() const { return run_as_; }

  // Fast shutdown (SIGINT to the postmaster), SIGKILL after the grace period, kill any backend left behind,
  // remove the folder. Idempotent; never throws.
  void stop();

 private:
  EmbeddedPostgres(std::filesystem::path folder, std::filesystem::path log, EmbeddedOptions options);
  void init_cluster(const std::atomic<bool>* stop);
  void write_hba() const;
  void start_server(const std::atomic<bool>* stop);
  void create_database();

  std::filesystem::path folder_;
  std::filesystem::path log_;
  std::string log_tail_;  // kept by stop()
  EmbeddedOptions options_;
  std::string admin_password_;
  std::optional<std::string> run_as_;
  int port_ = 0;
  std::optional<supervisor::Process> postmaster_;
};

}  // namespace bench::database
