#pragma once
// Where a run happened: CPU, kernel, compiler, libcurl, PostgreSQL and bench's own commit (each server reports
// its own components' versions: server_versions), so that results from different machines or builds are never compared unknowingly.

#include "report/result.h"
#include "supervisor/process.h"

#include <atomic>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace bench::run {

// Everything except the PostgreSQL version, which the caller fills in once a database is up.
// Never throws: a figure that cannot be read stays empty.
report::Environment collect_environment();

// The first line a shell command prints, trimmed; empty if it fails. For short version queries only.
std::string first_line_of(const std::string& command);

// `bytes` with every invalid UTF-8 sequence (bad lead or continuation byte, overlong form, surrogate, beyond
// U+10FFFF, truncated) replaced by U+FFFD, so bytes captured from a child can go into JSON.
std::string valid_utf8(std::string_view bytes);

// Limits on what a server's versions command may put into a results file.
inline constexpr std::size_t kMaxVersionsOutput = 64 * 1024;  // bytes of output read
inline constexpr std::size_t kMaxVersionEntries = 64;
inline constexpr std::size_t kMaxVersionText = 200;           // bytes per name or value (then cut)

// What a server reports about itself: runs `spec` (the scenario's `versions:` command, its output to spec.log)
// for at most `timeout`, reads at most kMaxVersionsOutput bytes of its output made valid UTF-8, and takes the
// last line that is a JSON object: its string, number and boolean values, within the limits above. Empty when
// the command fails, times out or prints no such line. Never throws.
std::map<std::string, std::string> server_versions(const supervisor::ProcessSpec& spec, Nanos timeout,
                                                   const std::atomic<bool>* stop = nullptr);

// The versions object found in `output` as server_versions reads it (for tests and for server_versions).
std::map<std::string, std::string> parse_versions(std::string_view output);

}  // namespace bench::run
