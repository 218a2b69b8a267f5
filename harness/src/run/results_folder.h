#pragma once
// The run's own results folder, and what is done to its results.json should bench die. Two runs of one scenario started in the same second must not share a folder (one
// results.json would be lost, or one rename of results.json.tmp would fail): the folder is created exclusively
// (mkdir, which fails if it exists) and a suffix is added on collision.

#include <filesystem>
#include <string>
#include <vector>

namespace bench::run {

// Creates root (and its parents) if missing, then root/base, or root/base-2, root/base-3, ... whichever mkdir
// creates first; returns it. Throws UsageError (naming --results-dir) when none can be created.
std::filesystem::path create_run_folder(const std::filesystem::path& root, const std::string& base);

// The command that marks a results file interrupted: rewrites its top-level `"status": "running"` line to
// "interrupted" (results.json as report::save_atomic writes it, pretty-printed with two spaces, so the top-level key
// is the only one at that indent) with `sed -i`, which renames its output into place. bench run hands it to the
// guardian (supervisor::run_on_death) once results.json exists, and takes it back when the run ends.
std::vector<std::string> mark_interrupted_command(const std::filesystem::path& results_file);

}  // namespace bench::run
