#pragma once
// Results files: the one result model (model/result.h) read from and written to disk, with the limits that keep a
// hostile file from costing more than a real one. docs/results.md documents the JSON form field by field.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"
#include "util/errors.h"

namespace bench::report {

// The types live in model/ (model/result.h), each with its one field list; report/ reads and writes their files.
using model::kSchemaVersion;
using model::kContendedShare;
using model::WarningCode;
using model::warning_code_name;
using model::warning_code_named;
using Latency = model::Latency;
using Errors = model::Errors;
using Contention = model::Contention;
using Warning = model::Warning;
using Cell = model::Cell;
using Check = model::Check;
using Variant = model::Variant;
using Environment = model::Environment;
using Revision = model::Revision;
using Run = model::Run;

// Limits on a results file read back (results are data and may be hostile, as scenarios are): a real run of a
// few hundred cells is well under 1 MiB, and its deepest nesting (the resolved scenario) is under 10 levels.
inline constexpr std::uintmax_t kMaxResultsBytes = 32u << 20;  // 32 MiB
inline constexpr int kMaxResultsDepth = 64;
// Bounds on the work of reading one (issue 25: four copies of a file with one very wide object took over 20 s and
// 100 MB without output). The widest object of a real run is a status-code map or a scenario's servers (dozens of
// keys); the longest array its cells (hundreds).
inline constexpr std::size_t kMaxResultsObjectKeys = 10'000;    // keys in any one object
inline constexpr std::size_t kMaxResultsArrayItems = 100'000;   // items in any one array
inline constexpr std::size_t kMaxReportCells = 200'000;         // cells of all the files one command reads together

// A results file that cannot be used: missing, not JSON, not a results file, unknown schema version, a field of the
// wrong type. A UsageError (model::FormatError), so every command that reads results ends with exit code 2 and
// this message.
using ResultsError = model::FormatError;

// The JSON form of a run (docs/results.md).
nlohmann::json to_json(const Run& run);

// Reads the JSON form back. Throws ResultsError when schema_version is missing or unknown, or a field has the
// wrong type; `origin` names the file in the message.
Run run_from_json(const nlohmann::json& json, const std::string& origin = "results");

// Reads a results file. Throws ResultsError, one line naming the file: missing, a folder, larger than
// kMaxResultsBytes, nested deeper than kMaxResultsDepth, an object with more than kMaxResultsObjectKeys keys or an
// array with more than kMaxResultsArrayItems items, not JSON (or not UTF-8), not a results file, unknown
// schema, a field of the wrong type (named by its path: "cells[3].latency.p99_us").
Run load(const std::filesystem::path& path);

// Parses results text with the depth, keys-per-object and array-length limits (used by load; `origin` names the
// source in messages).
Run parse(const std::string& text, const std::string& origin);

// Reads several results files for one report, also bounding their cells together (kMaxReportCells). Throws
// ResultsError naming the file and the limit.
std::vector<Run> load_all(const std::vector<std::string>& paths);

// Writes file.tmp, fsyncs it, renames it over the target and fsyncs the folder: a crash never leaves a half
// file. Throws std::system_error when the file cannot be written.
void save_atomic(const Run& run, const std::filesystem::path& path);

}  // namespace bench::report
