#pragma once
// The updates check that needs the table itself: did the 500-row request really change rows, and do the rows it
// returned hold the values now in the table? (TFB's verify_updates, plus the returned-values check TFB leaves out.)

#include <map>

#include "verify/json_checks.h"
#include "verify/problem.h"

namespace bench::verify {

// How many ids have a different randomNumber in `after` than in `before`.
size_t changed_rows(const std::map<int, int>& before, const std::map<int, int>& after);

// 0 changed rows fails; at most 90% of `expected` fails; at most 95% warns (a row may get its old value again).
Problems check_changed_rows(size_t changed, size_t expected);

// Every returned id must hold, in `after`, the randomNumber the response gave it (for an id returned twice, either
// of its values: the order of duplicate writes is the server's business).
Problems check_returned_rows(const std::vector<WorldRow>& rows, const std::map<int, int>& after);

}  // namespace bench::verify
