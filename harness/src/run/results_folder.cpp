#include "run/results_folder.h"

#include "util/errors.h"

#include <fmt/core.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace bench::run {

std::filesystem::path create_run_folder(const std::filesystem::path& root, const std::string& base) {
  constexpr int kMaxAttempts = 1000;
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) throw UsageError(fmt::format("--results-dir: cannot create {}: {}", root.string(), ec.message()));
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    const auto dir = root / (attempt == 1 ? base : fmt::format("{}-{}", base, attempt));
    // mkdir is atomic: exactly one of two racing runs creates a given name.
    if (::mkdir(dir.c_str(), 0755) == 0) return dir;
    if (errno != EEXIST) {
      throw UsageError(fmt::format("--results-dir: cannot create {}: {}", dir.string(), std::strerror(errno)));
    }
  }
  throw UsageError(fmt::format("--results-dir: {} already holds {} folders named {}-N", root.string(), kMaxAttempts,
                               base));
}

std::vector<std::string> mark_interrupted_command(const std::filesystem::path& results_file) {
  return {"/bin/sed", "-i", "-e", R"(s/^  "status": "running"/  "status": "interrupted"/)",
          std::filesystem::absolute(results_file).string()};
}

}  // namespace bench::run
