#pragma once
// The last lines of a log file, for failure reports ("build failed: ... last 30 lines of its log").

#include <cstddef>
#include <filesystem>
#include <string>

namespace bench::supervisor {

// The last `lines` lines of the file (reads at most the last 64 KiB), as valid UTF-8 (util/utf8.h: invalid bytes
// replaced). Empty if the file is missing or empty.
std::string tail(const std::filesystem::path& log, std::size_t lines = 30);

}  // namespace bench::supervisor
