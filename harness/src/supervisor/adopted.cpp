#include "supervisor/adopted.h"

#include "supervisor/guardian.h"
#include "supervisor/process.h"
#include "util/procfs.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <thread>

namespace bench::supervisor {

namespace {

bool reap_if_gone(pid_t pid) {
  int status = 0;
  const pid_t got = ::waitpid(pid, &status, WNOHANG);
  return got == pid || (got < 0 && errno == ECHILD);
}

}  // namespace

bool become_subreaper() { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

std::vector<pid_t> adopted_children() {
  const pid_t self = ::getpid();
  const auto guardian = guardian_pid();
  std::vector<pid_t> out;
  for (const auto& stat : util::procfs::scan([self](const util::procfs::Stat& s) { return s.ppid == self; })) {
    if (is_own_child(stat.pid) || (guardian && *guardian == stat.pid)) continue;
    if (stat.dead()) {
      reap_if_gone(stat.pid);  // an adopted process that exited on its own: ours to reap
      continue;
    }
    out.push_back(stat.pid);
  }
  return out;
}

int stop_adopted(Nanos grace) {
  int stopped = 0;
  for (int round = 0; round < 8; ++round) {  // bounded: a fork bomb must not keep the harness here forever
    const auto found = adopted_children();
    if (found.empty()) break;
    const pid_t own_group = ::getpgrp();
    const auto send = [&](pid_t pid, int sig) {
      const auto stat = util::procfs::read_stat(pid);
      if (stat && stat->pgrp == pid && pid != own_group) ::kill(-pid, sig);  // it leads a group (setsid): all of it
      else ::kill(pid, sig);
    };
    for (const pid_t pid : found) {
      send(pid, SIGTERM);
      send(pid, SIGCONT);
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    std::vector<pid_t> left = found;
    while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
      left.erase(std::remove_if(left.begin(), left.end(), reap_if_gone), left.end());
      if (!left.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (const pid_t pid : left) {
      send(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);  // SIGKILL cannot be ignored
    }
    stopped += static_cast<int>(found.size());
  }
  return stopped;
}

}  // namespace bench::supervisor
