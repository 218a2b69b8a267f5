#pragma once
// A child process in its own process group: the one way the harness starts builds, servers and PostgreSQL.
// One place decides how a child is stopped: the first signal (SIGTERM) to the whole group, a grace period, then
// SIGKILL to the group, then the leader is reaped. Nothing the harness starts may outlive it.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/duration.h"

namespace bench::supervisor {

// What to run and how.
struct ProcessSpec {
  std::vector<std::string> argv{};           // argv[0] is looked up in the child's PATH unless it contains '/'
  std::filesystem::path cwd{};               // empty: the harness's own working directory
  std::map<std::string, std::string> env{};  // added to (and overriding) the inherited environment
  std::filesystem::path log{};               // stdout and stderr appended here; empty: inherit the harness's
  std::optional<std::string> run_as_user{};    // when running as root: drop to this account (setgroups/setgid/setuid)
  std::vector<int> cpus{};                     // CPU affinity set in the child before exec (inherited by everything
                                               // it starts); empty: inherit the harness's (topology/, placement)
};

// {"/bin/sh", "-c", command}: for commands written as one shell line (builds, server commands from YAML).
std::vector<std::string> shell_command(const std::string& command);

// The child could not be started (no such program, bad cwd, unknown user, cannot open the log).
class SpawnError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A running (or finished) child. The child is the leader of a new process group (pgid == pid), has every signal
// disposition reset to default, and gets PR_SET_PDEATHSIG(SIGKILL) so it dies if the harness dies. Its whole group
// is also registered with the guardian (supervisor/guardian.h), which SIGKILLs it if the harness dies before the
// group is stopped: that reaches grandchildren too (`sh -c "cd x && python3 app.py"`), which PDEATHSIG does not.
// Note: Linux fires PDEATHSIG when the THREAD that forked the child exits, not the process: spawn long-lived
// children (servers, PostgreSQL) from a thread that lives as long as they do (e.g. the main thread).
// Not thread-safe: use one Process from one thread at a time. Movable, not copyable; the destructor stops it.
class Process {
 public:
  // Starts the child. Throws SpawnError with the reason (errno from the child's exec is reported back).
  static Process spawn(const ProcessSpec& spec);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  pid_t pgid() const { return pid_; }  // the child leads its own group
  const std::filesystem::path& log() const { return log_; }

  // True while the leader has not exited. Non-blocking.
  bool running();
  // The leader's exit code once it has exited (128 + signal number when killed by a signal), else nullopt.
  // Non-blocking; reaps the leader.
  std::optional<int> exit_code();
  // Blocks until the leader exits; returns its exit code as above. Other group members are left alone.
  int wait();
  // Sends a signal to the leader only (e.g. SIGINT for PostgreSQL's fast shutdown, SIGHUP to reload).
  void signal(int sig);

  // Stops the whole group: first_signal to the group, wait up to `grace` for every member to exit, then SIGKILL
  // to the group; finally reaps the leader. Safe to call repeatedly and after the leader exited on its own
  // (members it left behind in the group are still killed). Returns the leader's exit code.
  int stop(Nanos grace = std::chrono::seconds(5), int first_signal = SIGTERM);
  // True once stop() had to send SIGKILL because the group outlived the grace period.
  bool killed_at_stop() const { return killed_; }

 private:
  Process(pid_t pid, std::filesystem::path log) : pid_(pid), log_(std::move(log)) {}
  // Once the leader is reaped and no member is left, tells the guardian the group is gone (once).
  void release_guard_if_gone();
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  bool guarded_ = false;  // the group is registered with the guardian and not yet released
  bool killed_ = false;   // stop() escalated to SIGKILL
  std::filesystem::path log_;
};

// How a run-to-completion child ended.
struct RunOutcome {
  int exit_code = -1;       // 128 + signal when killed
  bool timed_out = false;   // killed because it ran longer than the timeout
  bool interrupted = false; // killed because *stop became true
  Nanos elapsed{0};
  bool ok() const { return exit_code == 0 && !timed_out && !interrupted; }
};

// Runs a child to the end (builds, initdb). On timeout or when *stop (may be null) becomes true the group is
// stopped (SIGTERM, 2 s grace, SIGKILL). Group members the leader leaves behind are killed too. If *stop is already
// true nothing is started (interrupted, exit_code -1).
// Throws SpawnError if the child cannot be started.
RunOutcome run_to_completion(const ProcessSpec& spec, Nanos timeout, const std::atomic<bool>* stop = nullptr);

// Live (non-zombie) members of a process group, read from /proc. Used by stop() and by tests.
std::vector<pid_t> group_members(pid_t pgid);

// True while `pid` is the leader of a Process started by spawn() and not reaped yet (adopted.h tells the rest of
// this process's children apart with it).
bool is_own_child(pid_t pid);

// True if a process with this pid exists and is not a zombie.
bool process_alive(pid_t pid);

}  // namespace bench::supervisor
