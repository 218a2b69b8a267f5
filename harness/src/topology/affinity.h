#pragma once
// CPU affinity through sched_setaffinity/sched_getaffinity: which CPUs this process may use (its cpuset), pinning the
// calling thread for a while (threads it starts inherit the mask), and what the kernel reports for any process.

#include "topology/cpu_list.h"

#include <sys/types.h>

#include <optional>
#include <string>

namespace bench::topology {

// The CPUs this process is allowed to run on (sched_getaffinity: the cpuset and any mask inherited from a parent
// such as taskset). Never empty.
CpuList allowed_cpus();

// The first CPU of `wanted` that is not in `allowed`, if any: the check behind "CPU 5 is not available".
std::optional<int> first_unavailable(const CpuList& wanted, const CpuList& allowed);

// "CPU 5 is not available to bench (allowed: 0-1)", for messages that name the key or flag in front.
std::string unavailable_message(int cpu, const CpuList& allowed);

// A --cpus style flag: "" -> {} (not pinned), else the parsed list, checked against allowed_cpus(). Throws
// bench::UsageError naming the flag ("--cpus: CPU 7 is not available to bench (allowed: 0-1)").
CpuList cpus_flag(const std::string& flag, const std::string& text);

// Pins the calling thread to `cpus` until destroyed, then restores its previous mask. Threads the calling thread
// starts meanwhile inherit the mask and keep it: that is how the load engine's worker threads are pinned without
// the engine knowing. An empty list pins nothing. Throws std::system_error when the kernel refuses.
class ScopedThreadAffinity {
 public:
  explicit ScopedThreadAffinity(const CpuList& cpus);
  ~ScopedThreadAffinity();
  ScopedThreadAffinity(const ScopedThreadAffinity&) = delete;
  ScopedThreadAffinity& operator=(const ScopedThreadAffinity&) = delete;

 private:
  CpuList previous_;
  bool active_ = false;
};

// Sets the mask of a process or thread id (sched_setaffinity). Throws std::system_error.
void set_affinity(pid_t pid, const CpuList& cpus);

// The kernel's view of a process or thread: Cpus_allowed_list from /proc/<pid>/status (or /proc/<pid>/task/<tid>/
// status when tid is given), e.g. "0-1"; nullopt when it is gone.
std::optional<std::string> cpus_allowed_list(pid_t pid, std::optional<pid_t> tid = std::nullopt);

}  // namespace bench::topology
