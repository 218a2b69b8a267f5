#include "topology/affinity.h"

#include "supervisor/process.h"

#include <catch2/catch.hpp>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

using namespace bench::topology;

namespace {
pid_t thread_id() { return static_cast<pid_t>(::syscall(SYS_gettid)); }
}  // namespace

TEST_CASE("allowed_cpus matches the kernel's Cpus_allowed_list") {
  const CpuList allowed = allowed_cpus();
  REQUIRE_FALSE(allowed.empty());
  CHECK(cpus_allowed_list(::getpid()) == format_cpu_list(allowed));
  CHECK_FALSE(first_unavailable(allowed, allowed).has_value());
  CHECK(first_unavailable({allowed.back() + 1}, allowed) == allowed.back() + 1);
  CHECK(unavailable_message(9, {0, 1}) == "CPU 9 is not available to bench (allowed: 0-1)");
}

TEST_CASE("a scoped thread affinity pins the thread and the threads it starts, then restores") {
  const CpuList allowed = allowed_cpus();
  const CpuList last{allowed.back()};
  const pid_t me = thread_id();
  {
    ScopedThreadAffinity pin(last);
    CHECK(cpus_allowed_list(::getpid(), me) == format_cpu_list(last));
    std::optional<std::string> child;
    std::thread([&] { child = cpus_allowed_list(::getpid(), thread_id()); }).join();
    CHECK(child == format_cpu_list(last));  // inherited: how the load engine's workers get pinned
  }
  CHECK(cpus_allowed_list(::getpid(), me) == format_cpu_list(allowed));
  ScopedThreadAffinity nothing({});  // empty: nothing pinned
  CHECK(cpus_allowed_list(::getpid(), me) == format_cpu_list(allowed));
}

TEST_CASE("a spawned process runs on ProcessSpec::cpus, and so do its children") {
  const CpuList allowed = allowed_cpus();
  const CpuList first{allowed.front()};
  bench::supervisor::ProcessSpec spec;
  spec.argv = bench::supervisor::shell_command("sleep 30 & wait");
  spec.cpus = first;
  auto process = bench::supervisor::Process::spawn(spec);
  CHECK(cpus_allowed_list(process.pid()) == format_cpu_list(first));
  // The shell's child (sleep) inherits the mask set before exec.
  std::vector<pid_t> members;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((members = bench::supervisor::group_members(process.pgid())).size() < 2 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(members.size() >= 2);
  for (const pid_t member : members) CHECK(cpus_allowed_list(member) == format_cpu_list(first));
  process.stop(std::chrono::seconds(1));
}

TEST_CASE("set_affinity refuses a CPU outside the cpuset") {
  CHECK_THROWS_AS(set_affinity(0, {kMaxCpu}), std::system_error);
}
