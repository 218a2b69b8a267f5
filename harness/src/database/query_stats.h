#pragma once
// How much database work a server did, from pg_stat_statements: queries and rows per request, by kind.

#include <cstdint>
#include <optional>
#include <string>

#include "database/client.h"

namespace bench::database {

struct StatementCounts {
  std::uint64_t calls = 0;
  std::uint64_t rows = 0;  // rows returned (SELECT) or affected (UPDATE)
};

// Top-level statements in the current database, classified by verb and table (statements run inside functions are
// not counted again). The harness's own statements are left out (see Client).
struct QueryCounts {
  StatementCounts select_world;
  StatementCounts update_world;
  StatementCounts select_fortune;
  StatementCounts other;    // every other query: inserts, deletes, other tables, SELECT 1...
  StatementCounts utility;  // BEGIN, COMMIT, ROLLBACK, SET, PREPARE... (not queries a TechEmpower test counts)
  std::uint64_t total_calls() const;  // every kind except utility
};

// Makes pg_stat_statements usable through `client` where it can: creates the extension in the current database if
// it is missing (CREATE EXTENSION needs rights an ordinary role lacks) and reads it once. Returns nullopt when
// query_counts() works, else why not in one line, PostgreSQL's words included ("permission denied to create
// extension", "must be loaded via shared_preload_libraries"). An external database (dsn:) may lack it: the run is
// still measured, without query counts.
std::optional<std::string> prepare_query_stats(Client& client);

// Reads pg_stat_statements now. Take one before and one after a measurement and subtract.
QueryCounts query_counts(Client& client);
// The difference after - before (clamped at zero, should stats have been reset in between).
QueryCounts operator-(const QueryCounts& after, const QueryCounts& before);
// pg_stat_statements_reset(): zero every counter.
void reset_query_stats(Client& client);

}  // namespace bench::database
