#include "database/embedded_postgres.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

#include "database/client.h"
#include "supervisor/log_tail.h"
#include "supervisor/readiness.h"
#include "util/procfs.h"

namespace bench::database {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace sv = bench::supervisor;

constexpr int kPortAttempts = 3;  // another process may grab the free port before postgres binds it
constexpr auto kPingInterval = std::chrono::milliseconds(20);

// initdb and postgres refuse to run as root: pick the account they run as (nullopt when not root).
std::optional<std::string> unprivileged_account() {
  if (::geteuid() != 0) return std::nullopt;
  for (const char* name : {"postgres", "nobody"})
    if (::getpwnam(name) != nullptr) return std::string(name);
  throw DatabaseError(
      "bench runs as root, and initdb/postgres refuse to run as root, but neither a 'postgres' nor a 'nobody' "
      "account exists to run them as: create one (e.g. install the postgresql package) or run bench as a normal user");
}

fs::path make_folder(const fs::path& parent) {
  fs::create_directories(parent);
  std::string pattern = (parent / "postgres-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw DatabaseError("cannot create a cluster folder under " + parent.string() + ": " + std::strerror(errno));
  return pattern;
}

// The account must be able to reach and write the folder (every parent must be searchable by it).
bool usable_by(const fs::path& folder, const std::string& account) {
  struct passwd* pw = ::getpwnam(account.c_str());
  if (pw == nullptr || ::chown(folder.c_str(), pw->pw_uid, pw->pw_gid) != 0) return false;
  const auto outcome = sv::run_to_completion(
      {.argv = {"/usr/bin/test", "-w", folder.string()}, .run_as_user = account}, std::chrono::seconds(10));
  return outcome.ok();
}

std::string with_log(const std::string& message, const fs::path& log) {
  return message + "\n--- last lines of " + log.string() + " ---\n" + sv::tail(log, 20);
}

// 128 random bits from the kernel, as 32 hex digits (no character needs quoting in a URL, a conninfo or SQL).
std::string random_password() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw DatabaseError(std::string("cannot read random bytes for a password: ") + std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

// A name as a double-quoted identifier (SQL and pg_hba.conf quote the same way).
std::string sql_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Writes `text` to a new file only the owner can read, owned by `account` (when root) so initdb can read it.
void write_private_file(const fs::path& path, const std::string& text, const std::optional<std::string>& account) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw DatabaseError("cannot create " + path.string() + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  bool owned = true;
  if (account) {
    struct passwd* pw = ::getpwnam(account->c_str());
    owned = pw != nullptr && ::fchown(fd, pw->pw_uid, pw->pw_gid) == 0;
  }
  ::close(fd);
  if (!written || !owned) throw DatabaseError("cannot write " + path.string() + ": " + std::strerror(errno));
}

// Processes whose working directory is inside `dir`: postgres backends chdir into the data directory and move to
// their own session, so this is how ones left behind by a killed postmaster are found.
std::vector<pid_t> processes_in(const fs::path& dir) {
  std::vector<pid_t> found;
  const std::string prefix = dir.string();
  for (const pid_t pid : util::procfs::pids()) {
    const auto cwd = util::procfs::cwd(pid);
    if (cwd && cwd->string().rfind(prefix, 0) == 0 && util::procfs::alive(pid)) found.push_back(pid);
  }
  return found;
}

}  // namespace

EmbeddedPostgres::EmbeddedPostgres(fs::path folder, fs::path log, EmbeddedOptions options)
    : folder_(std::move(folder)), log_(std::move(log)), options_(std::move(options)) {}

fs::path EmbeddedPostgres::create_folder(const fs::path& workdir) {
  const auto account = unprivileged_account();
  fs::path folder = make_folder(fs::absolute(workdir));
  if (account && !usable_by(folder, *account)) {
    // e.g. a workdir under /root: the account cannot get in, so the cluster goes to the system temp folder.
    fs::remove_all(folder);
    folder = make_folder(fs::temp_directory_path());
    if (!usable_by(folder, *account)) {
      fs::remove_all(folder);
      throw DatabaseError("the '" + *account + "' account cannot write to " + folder.parent_path().string());
    }
  }
  return folder;
}

std::unique_ptr<EmbeddedPostgres> EmbeddedPostgres::start_in(const fs::path& folder, const std::atomic<bool>* stop,
                                                             const EmbeddedOptions& options) {
  // Owned from the first line: on any exception below, ~EmbeddedPostgres stops what was started and removes the
  // folder.
  std::unique_ptr<EmbeddedPostgres> cluster(new EmbeddedPostgres(folder, folder / "postgres.log", options));
  cluster->run_as_ = unprivileged_account();
  if (cluster->options_.password.empty()) cluster->options_.password = random_password();
  cluster->admin_password_ = random_password();
  cluster->init_cluster(stop);
  cluster->write_hba();
  cluster->start_server(stop);
  cluster->create_database();
  return cluster;
}

std::unique_ptr<EmbeddedPostgres> EmbeddedPostgres::start(const fs::path& workdir, const std::atomic<bool>* stop,
                                                          const EmbeddedOptions& options) {
  return start_in(create_folder(workdir), stop, options);
}

EmbeddedPostgres::~EmbeddedPostgres() { stop(); }

void EmbeddedPostgres::init_cluster(const std::atomic<bool>* stop) {
  // initdb reads the admin's password from a file: one only its account can read, gone as soon as initdb is done.
  const fs::path password_file = folder_ / "admin-password";
  write_private_file(password_file, admin_password_ + "\n", run_as_);
  sv::RunOutcome outcome;
  try {
    outcome = sv::run_to_completion(
        {.argv = {(kPostgresBinDir / "initdb").string(), "--pgdata", (folder_ / "data").string(), "--username",
                  kAdminRole, "--pwfile", password_file.string(), "--auth-local", "scram-sha-256", "--auth-host",
                  "scram-sha-256", "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions"},
         .cwd = folder_,
         .log = log_,
         .run_as_user = run_as_,
         .cpus = options_.cpus},
        options_.start_timeout, stop);
  } catch (...) {
    std::error_code ec;
    fs::remove(password_file, ec);
    throw;
  }
  std::error_code ec;
  fs::remove(password_file, ec);
  if (outcome.interrupted) throw DatabaseError("interrupted while creating the PostgreSQL cluster");
  if (!outcome.ok())
    throw DatabaseError(with_log("initdb failed (exit code " + std::to_string(outcome.exit_code) +
                                     (outcome.timed_out ? ", timed out" : "") + ")",
                                 log_));
}

// Replaces initdb's pg_hba.conf (rewritten in place, so it keeps its owner and mode) with what the run needs.
void EmbeddedPostgres::write_hba() const {
  const fs::path hba = folder_ / "data" / "pg_hba.conf";
  const std::string servers = "host " + sql_identifier(options_.dbname) + ' ' + sql_identifier(options_.user);
  std::ofstream out(hba, std::ios::trunc);
  out << "# Written by bench: the harness's admin over the unix socket, the servers' role over TCP to their\n"
      << "# database; every login needs the run's password (scram-sha-256). Nothing else gets in.\n"
      << "local all " << sql_identifier(kAdminRole) << " scram-sha-256\n";
  if (options_.listen.loopback()) {
    // A connection to any 127.x address leaves from 127.0.0.1 (the loopback route's source).
    out << servers << " 127.0.0.1/32 scram-sha-256\n" << servers << " ::1/128 scram-sha-256\n";
  } else {
    // Listening on an address other hosts reach (docs/distributed.md): any of them, with the password.
    out << servers << " all scram-sha-256\n";
  }
  out.close();
  if (!out) throw DatabaseError("cannot write " + hba.string());
}

void EmbeddedPostgres::start_server(const std::atomic<bool>* stop) {
  const auto deadline = Clock::now() + options_.start_timeout;
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    port_ = sv::free_port(options_.listen);
    std::vector<std::string> argv = {
        (kPostgresBinDir / "postgres").string(), "-D", (folder_ / "data").string(), "-p", std::to_string(port_),
        "-h", options_.listen.text, "-k", folder_.string(), "-c", "unix_socket_permissions=0700",
        "-c", "password_encryption=scram-sha-256",
        // Benchmarking, not durability: the cluster is thrown away after the run.
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        "-c", "max_connections=" + std::to_string(options_.max_connections)};
    if (options_.query_stats) {
      for (const char* setting : {"shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"}) {
        argv.push_back("-c");
        argv.push_back(setting);
      }
    }
    postmaster_ = sv::Process::spawn({.argv = argv, .cwd = folder_, .log = log_, .run_as_user = run_as_, .cpus = options_.cpus});
    // PQping needs no login: any answer but "cannot connect now" means the postmaster accepts connections.
    ConnectionInfo probe = admin_info();
    probe.dbname = "postgres";
    probe.password.clear();
    const std::string conninfo = probe.conninfo() + " connect_timeout=2";
    while (true) {
      if (PQping(conninfo.c_str()) == PQPING_OK) return;
      if (stop != nullptr && stop->load()) throw DatabaseError("interrupted while starting PostgreSQL");
      if (!postmaster_->running()) break;
      if (Clock::now() >= deadline)
        throw DatabaseError(with_log("PostgreSQL did not accept connections within " +
                                         format_duration(options_.start_timeout),
                                     log_));
      std::this_thread::sleep_for(kPingInterval);
    }
    const int code = postmaster_->stop();
    const bool port_taken = sv::tail(log_, 10).find("could not bind") != std::string::npos;
    if (!port_taken || attempt == kPortAttempts)
      throw DatabaseError(with_log("postgres exited with code " + std::to_string(code) + " while starting", log_));
  }
}

void EmbeddedPostgres::create_database() {
  const std::string role = sql_identifier(options_.user);
  const std::string database = sql_identifier(options_.dbname);
  {
    ConnectionInfo admin = admin_info();
    admin.dbname = "postgres";
    Client client(admin);
    // The verifier is computed here, so the password itself never reaches the server (nor its log).
    const std::string verifier = client.encrypt_password(options_.user, options_.password);
    if (verifier.find('\'') != std::string::npos) throw DatabaseError("unexpected password verifier");
    client.exec("CREATE ROLE " + role +
                " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '" + verifier + "'");
    client.exec("CREATE DATABASE " + database);  // owned by the admin: the servers' role gets no CREATE in it
    client.exec("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
    client.exec("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + role);
  }
  Client client(admin_info());
  // Tables and sequences the admin creates (seed_techempower) are the servers' to read and write, nothing more.
  client.exec("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + role);
  client.exec("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO " + role);
  if (options_.query_stats) client.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
}

ConnectionInfo EmbeddedPostgres::info() const {
  return {.host = options_.listen.text, .port = port_, .user = options_.user, .password = options_.password,
          .dbname = options_.dbname};
}

ConnectionInfo EmbeddedPostgres::admin_info() const {
  return {.host = folder_.string(), .port = port_, .user = kAdminRole, .password = admin_password_,
          .dbname = options_.dbname};
}

std::string EmbeddedPostgres::log_tail() const {
  std::error_code ec;
  if (!fs::exists(log_, ec)) return log_tail_;
  return sv::tail(log_, 30);
}

pid_t EmbeddedPostgres::pid() const { return postmaster_ ? postmaster_->pid() : -1; }

void EmbeddedPostgres::stop() {
  try {
    if (postmaster_) {
      postmaster_->stop(options_.stop_grace, SIGINT);  // SIGINT: "fast" shutdown, clients disconnected
      postmaster_.reset();
    }
    // A postmaster that had to be SIGKILLed leaves backends that end only when they next notice; end them now.
    const fs::path data = folder_ / "data";
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    for (auto left = processes_in(data); !left.empty() && Clock::now() < deadline; left = processes_in(data)) {
      for (const pid_t pid : left) ::kill(pid, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  } catch (...) {
    // stop() runs from destructors; never throw from here.
  }
  std::error_code ec;
  if (!folder_.empty() && fs::exists(folder_, ec)) {
    log_tail_ = sv::tail(log_, 30);  // the log goes with the folder; its end stays for error messages
    fs::remove_all(folder_, ec);
  }
}

}  // namespace bench::database
