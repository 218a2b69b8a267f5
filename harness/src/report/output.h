#pragma once
// Writing a report where the user asked, and knowing it arrived: `bench report > /dev/full` must not exit 0.

#include <string>

namespace bench::report {

// Writes `text` to standard output and flushes it. Throws std::runtime_error (exit 1, "bench: error: ...") when
// the write or the flush fails: a full disk, a closed pipe.
void write_stdout(const std::string& text);

// Writes `text` to `path` ("" or "-": standard output). Throws UsageError naming `flag` when the file cannot be
// created or written.
void write_output(const std::string& text, const std::string& path, const std::string& flag);

}  // namespace bench::report
