#pragma once
// Statements a server sends beyond what a test needs (issue: asyncpg's reset query on pool release doubled the
// statements per /db request and passed unnoticed). The verifier diffs pg_stat_statements per statement text
// around its query-count burst and names every statement the test type does not need that ran often enough to be
// per request rather than per connection.

#include <string>
#include <vector>

#include "database/client.h"
#include "verify/problem.h"
#include "verify/verifier.h"

namespace bench::verify {

// Every top-level statement of the current database in pg_stat_statements, summed by text, without the harness's
// own (kHarnessMarker). Throws database::DatabaseError (e.g. when the extension is missing).
std::vector<StatementCalls> read_statements(database::Client& client);

// after - before, matched by text; a statement only in `after` counts whole; statements with no new calls are left
// out (a reset in between gives zero, not a negative count).
std::vector<StatementCalls> statement_delta(const std::vector<StatementCalls>& after,
                                            const std::vector<StatementCalls>& before);

// True when `kind` needs the statement: World selects (db, queries, updates), World updates and transaction control
// (updates: BEGIN, START TRANSACTION, COMMIT, END), Fortune selects (fortunes), classified as database/query_stats.cpp does (first word and a whole-word table name).
bool needed_by(TestKind kind, const std::string& text);

// One warn naming the statements `kind` does not need that ran at least once per ten of `requests` (fewer are a
// pool opening connections, not per-request work), each with its calls per request, most frequent first. Empty when
// there are none.
Problems check_extra_statements(TestKind kind, const std::vector<StatementCalls>& delta, int requests);

}  // namespace bench::verify
