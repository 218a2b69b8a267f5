#pragma once
// The run's own results folder. Two runs of one scenario started in the same second must not share a folder (one
// results.json would be lost, or one rename of results.json.tmp would fail): the folder is created exclusively
// (mkdir, which fails if it exists) and a suffix is added on collision.

#include <filesystem>
#include <string>

namespace bench::run {

// Creates root (and its parents) if missing, then root/base, or root/base-2, root/base-3, ... whichever mkdir
// creates first; returns it. Throws UsageError (naming --results-dir) when none can be created.
std::filesystem::path create_run_folder(const std::filesystem::path& root, const std::string& base);

}  // namespace bench::run
