#pragma once
// Where a run happened: CPU, kernel, compiler, libcurl, PostgreSQL, the frameworks' package versions and bench's
// own commit, so that results from different machines or builds are never compared unknowingly.

#include "report/result.h"

#include <string>

namespace bench::run {

// Everything except the PostgreSQL version, which the caller fills in once a database is up.
// Never throws: a figure that cannot be read stays empty.
report::Environment collect_environment();

// The first line a shell command prints, trimmed; empty if it fails. For short version queries only.
std::string first_line_of(const std::string& command);

}  // namespace bench::run
