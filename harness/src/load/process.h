#pragma once
// Process-wide preparation a load run needs, done once, and the CPU clocks it reports with.

namespace bench::load {

// Initialises libcurl once (curl_global_init is not thread-safe), ignores SIGPIPE (a peer that closes mid-write must
// be a counted error, not a dead process) and raises RLIMIT_NOFILE to its hard limit so 10,000 connections fit.
void prepare_process();

// The soft RLIMIT_NOFILE after prepare_process: the most sockets this process may hold.
long open_file_limit();

// CPU seconds (user+sys) consumed by the calling thread so far.
double thread_cpu_seconds();

}  // namespace bench::load
