#include "supervisor/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <system_error>
#include <utility>

#include "supervisor/guardian.h"
#include "util/procfs.h"

extern char** environ;

// Hand-written on fork/exec: posix_spawn cannot drop privileges or set PR_SET_PDEATHSIG, and no Debian-packaged
// C++ library does process groups + PDEATHSIG + privilege drop together (boost.process is not among our deps).

namespace bench::supervisor {

namespace {

using Clock = std::chrono::steady_clock;

// Everything the child needs, prepared before fork: between fork and exec only async-signal-safe calls are allowed
// (the harness is multi-threaded), so no allocation, no getpwnam, no PATH search happens there.
struct ChildPlan {
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
  std::string program;  // resolved path
  std::string cwd;
  int log_fd = -1;
  bool drop_privileges = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  pid_t parent = 0;
  int guardian = -1;  // the guardian's channel: the child registers its own group through it before exec
  bool pin = false;   // set cpus before exec (ProcessSpec::cpus)
  cpu_set_t cpus{};
};

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [key, value] : extra) env[key] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

std::string env_value(const std::vector<std::string>& env, const std::string& key) {
  const std::string prefix = key + "=";
  for (const auto& entry : env)
    if (entry.rfind(prefix, 0) == 0) return entry.substr(prefix.size());
  return {};
}

// execvp's lookup done in the parent, against the child's PATH and relative to the child's cwd.
std::string resolve_program(const std::string& name, const std::string& path_var, const std::filesystem::path& cwd) {
  if (name.find('/') != std::string::npos) return name;
  std::stringstream dirs(path_var.empty() ? std::string("/usr/local/bin:/usr/bin:/bin") : path_var);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (candidate.is_relative() && !cwd.empty()) candidate = cwd / candidate;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return candidate.string();
  }
  throw SpawnError("cannot start '" + name + "': not found in PATH (" + path_var + ")");
}

void resolve_user(const std::string& user, ChildPlan& plan) {
  if (::geteuid() != 0) return;  // not root: nothing to drop, run as ourselves
  struct passwd pw {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwnam_r(user.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 || found == nullptr)
    throw SpawnError("cannot run as user '" + user + "': no such account");
  plan.drop_privileges = true;
  plan.uid = pw.pw_uid;
  plan.gid = pw.pw_gid;
  int count = 64;
  plan.groups.resize(static_cast<std::size_t>(count));
  while (::getgrouplist(user.c_str(), pw.pw_gid, plan.groups.data(), &count) < 0) {
    plan.groups.resize(static_cast<std::size_t>(count));
  }
  plan.groups.resize(static_cast<std::size_t>(count));
}

int open_log(const std::filesystem::path& log) {
  if (log.empty()) return -1;
  if (log.has_parent_path()) std::filesystem::create_directories(log.parent_path());
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw SpawnError("cannot open log " + log.string() + ": " + std::strerror(errno));
  return fd;
}

ChildPlan plan_child(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw SpawnError("cannot start a process with an empty command");
  if (!spec.cwd.empty() && !std::filesystem::is_directory(spec.cwd))
    throw SpawnError("cannot start '" + spec.argv[0] + "': working directory " + spec.cwd.string() +
                     " does not exist");
  ChildPlan plan;
  plan.argv_storage = spec.argv;
  plan.env_storage = merged_environment(spec.env);
  plan.program = resolve_program(spec.argv[0], env_value(plan.env_storage, "PATH"), spec.cwd);
  for (auto& arg : plan.argv_storage) plan.argv.push_back(arg.data());
  plan.argv.push_back(nullptr);
  for (auto& entry : plan.env_storage) plan.envp.push_back(entry.data());
  plan.envp.push_back(nullptr);
  plan.cwd = spec.cwd.string();
  if (spec.run_as_user) resolve_user(*spec.run_as_user, plan);
  plan.parent = ::getpid();
  if (!spec.cpus.empty()) {
    plan.pin = true;
    CPU_ZERO(&plan.cpus);
    for (const int cpu : spec.cpus)
      if (cpu >= 0 && cpu < CPU_SETSIZE) CPU_SET(cpu, &plan.cpus);
  }
  plan.log_fd = open_log(spec.log);
  return plan;
}

// Reports errno to the parent through the close-on-exec pipe and exits. Async-signal-safe.
[[noreturn]] void child_fail(int report_fd, int error) {
  [[maybe_unused]] auto written = ::write(report_fd, &error, sizeof error);
  ::_exit(127);
}

// Runs in the forked child: only async-signal-safe calls.
[[noreturn]] void run_child(const ChildPlan& plan, int report_fd) {
  ::setpgid(0, 0);
  // Registered here, not in the parent: this end of the channel stays open until exec, so the record reaches the
  // guardian before its EOF even if the harness is SIGKILLed right after fork, and before any grandchild exists.
  guard_group(plan.guardian, ::getpid());
  sigset_t all;
  ::sigemptyset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);  // SIG_IGN survives exec; handlers do not matter
  if (plan.log_fd >= 0) {
    if (::dup2(plan.log_fd, STDOUT_FILENO) < 0 || ::dup2(plan.log_fd, STDERR_FILENO) < 0) child_fail(report_fd, errno);
  }
  if (plan.drop_privileges) {
    if (::setgroups(plan.groups.size(), plan.groups.data()) != 0) child_fail(report_fd, errno);
    if (::setgid(plan.gid) != 0) child_fail(report_fd, errno);
    if (::setuid(plan.uid) != 0) child_fail(report_fd, errno);
  }
  // After setuid: a credential change clears the parent-death signal, so it is set last.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != plan.parent) ::_exit(127);  // the harness died before we got here
  if (!plan.cwd.empty() && ::chdir(plan.cwd.c_str()) != 0) child_fail(report_fd, errno);
  // A raw system call, so async-signal-safe; set before exec so every process of the group inherits it.
  if (plan.pin && ::sched_setaffinity(0, sizeof plan.cpus, &plan.cpus) != 0) child_fail(report_fd, errno);
  ::execve(plan.program.c_str(), plan.argv.data(), plan.envp.data());
  child_fail(report_fd, errno);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Leaders started by Process::spawn and not reaped yet: everything else that is our child was adopted (subreaper).
std::mutex& own_children_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<pid_t>& own_children() {
  static std::set<pid_t> pids;
  return pids;
}
void forget_child(pid_t pid) {
  const std::lock_guard lock(own_children_mutex());
  own_children().erase(pid);
}

}  // namespace

bool is_own_child(pid_t pid) {
  const std::lock_guard lock(own_children_mutex());
  return own_children().count(pid) > 0;
}

std::vector<std::string> shell_command(const std::string& command) { return {"/bin/sh", "-c", command}; }

std::vector<pid_t> group_members(pid_t pgid) {
  std::vector<pid_t> members;
  for (const auto& stat : util::procfs::scan([pgid](const util::procfs::Stat& s) { return s.pgrp == pgid && !s.dead(); }))
    members.push_back(stat.pid);
  return members;
}

bool process_alive(pid_t pid) { return util::procfs::alive(pid); }

Process Process::spawn(const ProcessSpec& spec) {
  int guardian = -1;
  try {
    guardian = guardian_channel();
  } catch (const std::system_error& error) {
    throw SpawnError(std::string("cannot start the guardian: ") + error.what());
  }
  ChildPlan plan = plan_child(spec);
  plan.guardian = guardian;
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    if (plan.log_fd >= 0) ::close(plan.log_fd);
    throw SpawnError(std::string("pipe: ") + std::strerror(errno));
  }
  std::unique_lock registry(own_children_mutex());  // held across fork: the child is known before anyone looks
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    run_child(plan, report[1]);
  }
  const int fork_errno = errno;
  if (pid > 0) own_children().insert(pid);
  registry.unlock();
  ::close(report[1]);
  if (plan.log_fd >= 0) ::close(plan.log_fd);
  if (pid < 0) {
    ::close(report[0]);
    throw SpawnError(std::string("fork: ") + std::strerror(fork_errno));
  }
  ::setpgid(pid, pid);  // also from the parent, so the group exists before spawn() returns (no race with stop)
  int child_errno = 0;
  ssize_t got;
  do {
    got = ::read(report[0], &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof child_errno)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    forget_child(pid);
    release_group(pid);  // it registered before exec failed; it had no chance to start anything
    throw SpawnError("cannot start '" + spec.argv[0] + "': " + std::strerror(child_errno));
  }
  Process process(pid, spec.log);
  process.guarded_ = true;
  return process;
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exit_code_(other.exit_code_),
      guarded_(std::exchange(other.guarded_, false)),
      killed_(other.killed_),
      log_(std::move(other.log_)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) stop();
    pid_ = std::exchange(other.pid_, -1);
    exit_code_ = other.exit_code_;
    guarded_ = std::exchange(other.guarded_, false);
    killed_ = other.killed_;
    log_ = std::move(other.log_);
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0) stop();
}

std::optional<int> Process::exit_code() {
  if (exit_code_ || pid_ <= 0) return exit_code_;
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(pid_, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == pid_) exit_code_ = decode_status(status);
  if (got < 0 && errno == ECHILD) exit_code_ = -1;  // reaped elsewhere: unknown code
  if (exit_code_) forget_child(pid_);
  if (exit_code_) release_guard_if_gone();            // only at the moment of reaping: the next call returns above
  return exit_code_;
}

bool Process::running() { return !exit_code().has_value(); }

int Process::wait() {
  if (exit_code_ || pid_ <= 0) return exit_code_.value_or(-1);
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(pid_, &status, 0);
  } while (got < 0 && errno == EINTR);
  exit_code_ = got == pid_ ? decode_status(status) : -1;
  forget_child(pid_);
  release_guard_if_gone();
  return *exit_code_;
}

void Process::signal(int sig) {
  if (pid_ > 0 && running()) ::kill(pid_, sig);
}

int Process::stop(Nanos grace, int first_signal) {
  if (pid_ <= 0) return exit_code_.value_or(-1);
  // Until the leader is reaped its pid (and so the group id) cannot be reused, so signalling -pgid is safe; after
  // that it is only signalled while /proc shows live members, which also keep the group id reserved.
  const auto signal_group = [&](int sig) {
    if (running() || !group_members(pid_).empty()) ::kill(-pid_, sig);
  };
  const auto group_gone = [&] { return !running() && group_members(pid_).empty(); };
  const auto wait_gone = [&](Nanos limit) {
    const auto deadline = Clock::now() + limit;
    auto pause = std::chrono::milliseconds(1);
    while (!group_gone()) {
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
    return true;
  };
  if (!group_gone()) {
    signal_group(first_signal);
    if (first_signal != SIGKILL && first_signal != SIGCONT) signal_group(SIGCONT);  // a stopped (SIGSTOP) member
                                                                                    // acts on SIGTERM only once resumed
    if (!wait_gone(grace)) {
      killed_ = true;
      signal_group(SIGKILL);
      wait_gone(std::chrono::seconds(10));  // SIGKILL cannot be ignored; only a process stuck in the kernel lingers
    }
  }
  const int code = wait();
  release_guard_if_gone();  // wait() returns early when the leader was reaped before members left the group
  return code;
}

void Process::release_guard_if_gone() {
  if (guarded_ && exit_code_ && group_members(pid_).empty()) {
    release_group(pid_);
    guarded_ = false;
  }
}

RunOutcome run_to_completion(const ProcessSpec& spec, Nanos timeout, const std::atomic<bool>* stop) {
  const auto started = Clock::now();
  const auto deadline = started + timeout;
  RunOutcome outcome;
  if (stop != nullptr && stop->load()) {  // already asked to stop: do not start anything
    outcome.interrupted = true;
    return outcome;
  }
  Process process = Process::spawn(spec);
  auto pause = std::chrono::milliseconds(1);
  while (process.running()) {
    if (stop != nullptr && stop->load()) {
      outcome.interrupted = true;
      break;
    }
    if (Clock::now() >= deadline) {
      outcome.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  outcome.exit_code = process.stop(std::chrono::seconds(2));  // also kills anything it left in its group
  outcome.elapsed = Clock::now() - started;
  return outcome;
}

}  // namespace bench::supervisor
