#pragma once
// CPU lists in the Linux list format ("0-3,5", as in /proc/PID/status Cpus_allowed_list, taskset -c and cpuset
// files): parsed into sorted, distinct CPU numbers and formatted back. Hand-written: no packaged library parses it.

#include <string>
#include <string_view>
#include <vector>

namespace bench::topology {

// Sorted, distinct CPU numbers (0-based, as the kernel numbers them).
using CpuList = std::vector<int>;

// The highest CPU number accepted; the kernel's own limit (CONFIG_NR_CPUS) is at most 8192.
inline constexpr int kMaxCpu = 8191;

// Parses "0", "0-3", "0-3,5,8-9" (spaces around items allowed). Throws std::invalid_argument with a message that
// says what is wrong ("'3-1' is a descending range", "CPU 9000 is above 8191", "empty CPU list").
CpuList parse_cpu_list(std::string_view text);

// The shortest list form: {0,1,2,3,5} -> "0-3,5"; {} -> "".
std::string format_cpu_list(const CpuList& cpus);

// Sorted union and intersection of two lists.
CpuList cpu_union(const CpuList& a, const CpuList& b);
CpuList cpu_intersection(const CpuList& a, const CpuList& b);

}  // namespace bench::topology
