#include "database/embedded_postgres.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

#include "database/client.h"
#include "supervisor/log_tail.h"
#include "supervisor/readiness.h"

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

// Processes whose working directory is inside `dir`: postgres backends chdir into the data directory and move to
// their own session, so this is how ones left behind by a killed postmaster are found.
std::vector<pid_t> processes_in(const fs::path& dir) {
  std::vector<pid_t> found;
  const std::string prefix = dir.string();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code link_ec;
    const std::string cwd = fs::read_symlink(entry.path() / "cwd", link_ec).string();
    if (!link_ec && cwd.rfind(prefix, 0) == 0 && sv::process_alive(std::stoi(name))) found.push_back(std::stoi(name));
  }
  return found;
}

}  // namespace

EmbeddedPostgres::EmbeddedPostgres(fs::path folder, fs::path log, EmbeddedOptions options)
    : folder_(std::move(folder)), log_(std::move(log)), options_(std::move(options)) {}

std::unique_ptr<EmbeddedPostgres> EmbeddedPostgres::start(const fs::path& workdir, const std::atomic<bool>* stop,
                                                          const EmbeddedOptions& options) {
  const auto account = unprivileged_account();
  const fs::path root = fs::absolute(workdir);
  fs::path folder = make_folder(root);
  if (account && !usable_by(folder, *account)) {
    // e.g. a workdir under /root: the account cannot get in, so the cluster goes to the system temp folder.
    fs::remove_all(folder);
    folder = make_folder(fs::temp_directory_path());
    if (!usable_by(folder, *account)) {
      fs::remove_all(folder);
      throw DatabaseError("the '" + *account + "' account cannot write to " + folder.parent_path().string());
    }
  }
  std::unique_ptr<EmbeddedPostgres> cluster(
      new EmbeddedPostgres(folder, root / (folder.filename().string() + ".log"), options));
  cluster->run_as_ = account;
  cluster->init_cluster(stop);
  cluster->start_server(stop);
  cluster->create_database();
  return cluster;  // on any exception above, ~EmbeddedPostgres stops what was started and removes the folder
}

EmbeddedPostgres::~EmbeddedPostgres() { stop(); }

void EmbeddedPostgres::init_cluster(const std::atomic<bool>* stop) {
  const auto outcome = sv::run_to_completion(
      {.argv = {(kPostgresBinDir / "initdb").string(), "--pgdata", (folder_ / "data").string(), "--username",
                options_.user, "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync",
                "--no-instructions"},
       .cwd = folder_,
       .log = log_,
       .run_as_user = run_as_,
       .cpus = options_.cpus},
      options_.start_timeout, stop);
  if (outcome.interrupted) throw DatabaseError("interrupted while creating the PostgreSQL cluster");
  if (!outcome.ok())
    throw DatabaseError(with_log("initdb failed (exit code " + std::to_string(outcome.exit_code) +
                                     (outcome.timed_out ? ", timed out" : "") + ")",
                                 log_));
}

void EmbeddedPostgres::start_server(const std::atomic<bool>* stop) {
  const auto deadline = Clock::now() + options_.start_timeout;
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    port_ = sv::free_port();
    postmaster_ = sv::Process::spawn(
        {.argv = {(kPostgresBinDir / "postgres").string(), "-D", (folder_ / "data").string(), "-p",
                  std::to_string(port_), "-h", "127.0.0.1", "-k", folder_.string(),
                  // Benchmarking, not durability: the cluster is thrown away after the run.
                  "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                  "-c", "max_connections=" + std::to_string(options_.max_connections),
                  "-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all"},
         .cwd = folder_,
         .log = log_,
         .run_as_user = run_as_,
         .cpus = options_.cpus});
    ConnectionInfo probe = info();
    probe.dbname = "postgres";
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
  ConnectionInfo admin = info();
  admin.dbname = "postgres";
  Client client(admin);
  std::string name = "\"";
  for (const char c : options_.dbname) name += c == '"' ? std::string("\"\"") : std::string(1, c);
  client.exec("CREATE DATABASE " + name + "\"");
}

ConnectionInfo EmbeddedPostgres::info() const {
  return {.host = "127.0.0.1", .port = port_, .user = options_.user, .password = options_.password,
          .dbname = options_.dbname};
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
  if (!folder_.empty()) fs::remove_all(folder_, ec);
}

}  // namespace bench::database
