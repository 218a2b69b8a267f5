#include "topology/affinity.h"

#include "util/errors.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace bench::topology {

namespace {

cpu_set_t to_set(const CpuList& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (const int cpu : cpus)
    if (cpu >= 0 && cpu < CPU_SETSIZE) CPU_SET(cpu, &set);
  return set;
}

CpuList affinity_of(pid_t pid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(pid, sizeof set, &set) != 0)
    throw std::system_error(errno, std::generic_category(), "sched_getaffinity");
  CpuList cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

}  // namespace

CpuList allowed_cpus() { return affinity_of(0); }

std::optional<int> first_unavailable(const CpuList& wanted, const CpuList& allowed) {
  for (const int cpu : wanted)
    if (!std::binary_search(allowed.begin(), allowed.end(), cpu)) return cpu;
  return std::nullopt;
}

std::string unavailable_message(int cpu, const CpuList& allowed) {
  return "CPU " + std::to_string(cpu) + " is not available to bench (allowed: " + format_cpu_list(allowed) + ")";
}

CpuList cpus_flag(const std::string& flag, const std::string& text) {
  if (text.empty()) return {};
  CpuList cpus;
  try {
    cpus = parse_cpu_list(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(flag + ": " + e.what());
  }
  const CpuList allowed = allowed_cpus();
  if (const auto cpu = first_unavailable(cpus, allowed))
    throw UsageError(flag + ": " + unavailable_message(*cpu, allowed));
  return cpus;
}

void set_affinity(pid_t pid, const CpuList& cpus) {
  const cpu_set_t set = to_set(cpus);
  if (::sched_setaffinity(pid, sizeof set, &set) != 0)
    throw std::system_error(errno, std::generic_category(), "sched_setaffinity(" + format_cpu_list(cpus) + ")");
}

ScopedThreadAffinity::ScopedThreadAffinity(const CpuList& cpus) {
  if (cpus.empty()) return;
  previous_ = affinity_of(0);
  set_affinity(0, cpus);  // pid 0: the calling thread
  active_ = true;
}

ScopedThreadAffinity::~ScopedThreadAffinity() {
  if (!active_) return;
  const cpu_set_t set = to_set(previous_);
  ::sched_setaffinity(0, sizeof set, &set);  // best effort: a destructor must not throw
}

std::optional<std::string> cpus_allowed_list(pid_t pid, std::optional<pid_t> tid) {
  std::string path = "/proc/" + std::to_string(pid);
  if (tid) path += "/task/" + std::to_string(*tid);
  std::ifstream in(path + "/status");
  std::string line;
  const std::string key = "Cpus_allowed_list:";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const auto start = line.find_first_not_of(" \t", key.size());
    return start == std::string::npos ? std::string() : line.substr(start);
  }
  return std::nullopt;
}

}  // namespace bench::topology
