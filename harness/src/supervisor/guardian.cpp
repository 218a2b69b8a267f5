#include "supervisor/guardian.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <string>
#include <ctime>
#include <system_error>

// Hand-written: no Debian-packaged library offers a "kill my process groups when I die" watcher; the closest kernel
// features (PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER) cover only direct children or need the harness to stay alive.

namespace bench::supervisor {

namespace {

// One message on the channel. Fixed size, well under the socket's message limit, so a send is all or nothing.
struct Record {
  std::int32_t op;
  std::int32_t pgid;
};
constexpr std::int32_t kGuard = 1;
constexpr std::int32_t kRelease = 2;
// Item records: a header and the item's bytes, one SOCK_SEQPACKET record each. An item is a path (no NUL) or a
// command (its arguments, each followed by a NUL).
constexpr std::int32_t kRemoveOnDeath = 3;   // rm -rf the path once the groups are gone
constexpr std::int32_t kRunOnDeath = 4;      // run the command once the groups are killed
constexpr std::int32_t kForgetPath = 5;      // the harness did it itself: drop the item

struct PathHeader {
  std::int32_t op;
  std::int32_t length;
};
constexpr int kPathCapacity = 4;     // items the guardian keeps (the cluster folder, a command for the results file)
constexpr int kPathBytes = 4096;     // PATH_MAX; also the most bytes of a command's arguments
constexpr int kCommandArguments = 32;  // the most arguments of a command (a longer one is not kept)

// This process's guardian. Trivially destructible on purpose: a harness that calls std::exit keeps its channel
// open until the kernel closes it, after every static destructor, so nothing here depends on destruction order.
struct GuardianState {
  std::mutex mutex;
  pid_t owner = 0;      // the process that forked the guardian (a fork of the harness must not reuse it)
  pid_t guardian = -1;
  int channel = -1;     // the harness's (sending) end, close-on-exec
};

GuardianState& state() {
  static GuardianState instance;
  return instance;
}

void send_record(int channel, Record record) noexcept {
  ssize_t sent;
  do {
    sent = ::send(channel, &record, sizeof record, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
}

// --- Everything below runs in the forked guardian: async-signal-safe calls only, no allocation. ---

// Registrations counted per pgid; a free slot has count 0. Paths: op 0 is a free slot.
struct GroupTable {
  pid_t pgid[kGuardianCapacity];
  int count[kGuardianCapacity];
  std::int32_t path_op[kPathCapacity];
  int path_length[kPathCapacity];
  char path[kPathCapacity][kPathBytes + 1];
};

bool same_bytes(const char* a, const char* b, int length) {
  for (int i = 0; i < length; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

void apply_path(GroupTable& table, const PathHeader& header, const char* bytes) {
  if (header.length <= 0 || header.length > kPathBytes) return;
  for (int i = 0; i < kPathCapacity; ++i) {
    if (table.path_op[i] != 0 && table.path_length[i] == header.length &&
        same_bytes(table.path[i], bytes, header.length)) {
      if (header.op == kForgetPath) table.path_op[i] = 0;
      else table.path_op[i] = header.op;
      return;
    }
  }
  if (header.op == kForgetPath) return;
  for (int i = 0; i < kPathCapacity; ++i) {
    if (table.path_op[i] == 0) {
      for (int k = 0; k < header.length; ++k) table.path[i][k] = bytes[k];
      table.path[i][header.length] = '\0';
      table.path_length[i] = header.length;
      table.path_op[i] = header.op;
      return;
    }
  }
}

// Runs argv to its end (fork, execve, waitpid): async-signal-safe. A clean environment, no stdio (/dev/null).
void run_program(const char* const argv[]) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const char* const env[] = {"PATH=/usr/bin:/bin", nullptr};
    ::execve(argv[0], const_cast<char* const*>(argv), const_cast<char* const*>(env));
    ::_exit(127);
  }
  if (pid < 0) return;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// Waits (at most ~10 s) until no registered group has a member left, so removing a folder does not race with a
// dying postmaster still writing into it.
void wait_groups_gone(const GroupTable& table) {
  for (int round = 0; round < 500; ++round) {
    bool any = false;
    for (int i = 0; i < kGuardianCapacity && !any; ++i)
      if (table.count[i] > 0 && table.pgid[i] > 1 && ::kill(-table.pgid[i], 0) == 0) any = true;
    if (!any) return;
    const struct timespec pause = {0, 20 * 1000 * 1000};
    ::nanosleep(&pause, nullptr);
  }
}

// Runs a command item (arguments each followed by a NUL) without allocating: pointers into the table's own bytes.
void run_command(char* bytes, int length) {
  const char* argv[kCommandArguments + 1];
  int count = 0;
  for (int at = 0; at < length && count < kCommandArguments; ++count) {
    argv[count] = bytes + at;
    while (at < length && bytes[at] != '\0') ++at;
    ++at;  // past the NUL
  }
  argv[count] = nullptr;
  if (count > 0 && argv[0][0] == '/') run_program(argv);
}

// What the harness asked to be done if it died first: the commands run (in the order given), then the folders
// removed.
void clean_up(GroupTable& table) {
  for (int i = 0; i < kPathCapacity; ++i) {
    if (table.path_op[i] == kRunOnDeath) run_command(table.path[i], table.path_length[i]);
  }
  bool removing = false;
  for (int i = 0; i < kPathCapacity; ++i) removing = removing || table.path_op[i] == kRemoveOnDeath;
  if (!removing) return;
  wait_groups_gone(table);
  for (int i = 0; i < kPathCapacity; ++i) {
    if (table.path_op[i] != kRemoveOnDeath) continue;
    const char* const argv[] = {"/bin/rm", "-rf", "--", table.path[i], nullptr};
    run_program(argv);
  }
}

void apply(GroupTable& table, Record record) {
  int free_slot = -1;
  for (int i = 0; i < kGuardianCapacity; ++i) {
    if (table.count[i] > 0 && table.pgid[i] == record.pgid) {
      table.count[i] += record.op == kGuard ? 1 : -1;
      return;
    }
    if (table.count[i] == 0 && free_slot < 0) free_slot = i;
  }
  if (record.op == kGuard && free_slot >= 0) {  // table full: dropped (see kGuardianCapacity)
    table.pgid[free_slot] = record.pgid;
    table.count[free_slot] = 1;
  }
}

void kill_registered(const GroupTable& table) {
  for (int i = 0; i < kGuardianCapacity; ++i)
    if (table.count[i] > 0 && table.pgid[i] > 1) ::kill(-table.pgid[i], SIGKILL);
}

// Default dispositions, then ignore what a terminal, a shell or a kill of the harness's group would send.
void detach_signals() {
  struct sigaction action {};
  sigemptyset(&action.sa_mask);
  action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &action, nullptr);
  action.sa_handler = SIG_IGN;
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE})
    ::sigaction(sig, &action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Closes every fd in [from, to] (close_range, or one by one where the kernel lacks it).
void close_fds(unsigned from, unsigned to) {
  if (from > to) return;
  if (::close_range(from, to, 0) == 0) return;
  struct rlimit limit {};
  unsigned last = to;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur - 1 < last)
    last = static_cast<unsigned>(limit.rlim_cur - 1);
  for (unsigned fd = from; fd <= last; ++fd) ::close(static_cast<int>(fd));
}

// Keeps only `channel` (returned, moved above stdio if needed) and /dev/null as stdin, stdout and stderr.
int keep_only(int channel) {
  if (channel <= STDERR_FILENO) channel = ::fcntl(channel, F_DUPFD, STDERR_FILENO + 1);
  const int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO})
      if (null != fd) ::dup2(null, fd);
  }
  close_fds(STDERR_FILENO + 1, static_cast<unsigned>(channel) - 1);
  close_fds(static_cast<unsigned>(channel) + 1, ~0U);
  return channel;
}

[[noreturn]] void run_guardian(int channel) {
  ::setpgid(0, 0);
  detach_signals();
  channel = keep_only(channel);
  [[maybe_unused]] auto chdir_result = ::chdir("/");  // hold no mount busy
  ::prctl(PR_SET_NAME, "bench-guardian");
  static GroupTable table;  // ~24 KiB of static storage, zero (the harness never touches it): no allocation after fork
  static char message[sizeof(PathHeader) + kPathBytes];
  while (true) {
    const ssize_t got = ::recv(channel, message, sizeof message, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // EOF: every sending end is closed, the harness is gone
    Record record{};
    if (got == static_cast<ssize_t>(sizeof record)) {
      __builtin_memcpy(&record, message, sizeof record);
      if ((record.op == kGuard || record.op == kRelease) && record.pgid > 1) apply(table, record);
    } else if (got > static_cast<ssize_t>(sizeof(PathHeader))) {
      PathHeader header{};
      __builtin_memcpy(&header, message, sizeof header);
      if (header.length == got - static_cast<ssize_t>(sizeof header)) apply_path(table, header, message + sizeof header);
    }
  }
  kill_registered(table);
  clean_up(table);
  ::_exit(0);
}

}  // namespace

int guardian_channel() {
  GuardianState& s = state();
  const std::lock_guard lock(s.mutex);
  const pid_t self = ::getpid();
  if (s.channel >= 0 && s.owner == self) return s.channel;
  if (s.channel >= 0) ::close(s.channel);  // inherited through fork: that guardian belongs to our parent
  s.channel = -1;
  s.guardian = -1;
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0)
    throw std::system_error(errno, std::generic_category(), "guardian socketpair");
  const pid_t pid = ::fork();
  if (pid == 0) run_guardian(ends[0]);
  const int fork_errno = errno;
  ::close(ends[0]);
  if (pid < 0) {
    ::close(ends[1]);
    throw std::system_error(fork_errno, std::generic_category(), "guardian fork");
  }
  s.owner = self;
  s.guardian = pid;
  s.channel = ends[1];
  return s.channel;
}

void guard_group(int channel, pid_t pgid) noexcept {
  if (channel >= 0) send_record(channel, {kGuard, static_cast<std::int32_t>(pgid)});
}

void release_group(pid_t pgid) noexcept {
  GuardianState& s = state();
  const std::lock_guard lock(s.mutex);
  if (s.channel >= 0 && s.owner == ::getpid()) send_record(s.channel, {kRelease, static_cast<std::int32_t>(pgid)});
}

namespace {

void send_item(std::int32_t op, const std::string& text) {
  if (text.empty() || text.size() > static_cast<std::size_t>(kPathBytes)) return;
  std::string message(sizeof(PathHeader), '\0');
  const PathHeader header{op, static_cast<std::int32_t>(text.size())};
  __builtin_memcpy(message.data(), &header, sizeof header);
  message += text;
  int channel = -1;
  try {
    channel = guardian_channel();
  } catch (const std::system_error&) {
    return;  // no guardian: nothing to ask
  }
  ssize_t sent;
  do {
    sent = ::send(channel, message.data(), message.size(), MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
}

void send_path(std::int32_t op, const std::filesystem::path& path) {
  std::error_code ec;
  const std::string text = std::filesystem::absolute(path, ec).string();  // the guardian works from "/"
  if (!ec) send_item(op, text);
}

// A command's arguments, each followed by a NUL; empty when the guardian would not keep it.
std::string command_bytes(const std::vector<std::string>& argv) {
  if (argv.empty() || argv.size() > static_cast<std::size_t>(kCommandArguments) || argv[0].empty() ||
      argv[0][0] != '/')
    return {};
  std::string bytes;
  for (const auto& argument : argv) {
    if (argument.find('\0') != std::string::npos) return {};
    bytes += argument;
    bytes += '\0';
  }
  return bytes;
}

}  // namespace

void remove_on_death(const std::filesystem::path& path) { send_path(kRemoveOnDeath, path); }

void forget_on_death(const std::filesystem::path& path) { send_path(kForgetPath, path); }

void run_on_death(const std::vector<std::string>& argv) { send_item(kRunOnDeath, command_bytes(argv)); }

void forget_on_death(const std::vector<std::string>& argv) { send_item(kForgetPath, command_bytes(argv)); }

std::optional<pid_t> guardian_pid() {
  GuardianState& s = state();
  const std::lock_guard lock(s.mutex);
  if (s.channel < 0 || s.owner != ::getpid()) return std::nullopt;
  return s.guardian;
}

}  // namespace bench::supervisor
