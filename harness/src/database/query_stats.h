#pragma once
// How much database work a server did, from pg_stat_statements: queries and rows per request, by kind.

#include <cstdint>

#include "database/client.h"

namespace bench::database {

struct StatementCounts {
  std::uint64_t calls = 0;
  std::uint64_t rows = 0;  // rows returned (SELECT) or affected (UPDATE)
};

// Statements in the current database, classified by verb and table. The harness's own statements are left out:
// it turns tracking off for its session where allowed and marks its SQL with kHarnessMarker otherwise.
struct QueryCounts {
  StatementCounts select_world;
  StatementCounts update_world;
  StatementCounts select_fortune;
  StatementCounts other;  // everything else: inserts, other tables, BEGIN/COMMIT, SET...
  std::uint64_t total_calls() const;
};

// A comment every harness statement starts with, so it can be told apart from a server's.
inline constexpr const char* kHarnessMarker = "/* bench-harness */";

// Reads pg_stat_statements now. Take one before and one after a measurement and subtract.
QueryCounts query_counts(Client& client);
// The difference after - before (clamped at zero, should stats have been reset in between).
QueryCounts operator-(const QueryCounts& after, const QueryCounts& before);
// pg_stat_statements_reset(): zero every counter.
void reset_query_stats(Client& client);
// Stops pg_stat_statements from recording this session's own statements (needs superuser; false if refused).
bool exclude_session_from_stats(Client& client);

}  // namespace bench::database
