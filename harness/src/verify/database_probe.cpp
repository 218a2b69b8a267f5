#include "verify/database_probe.h"

#include "database/query_stats.h"
#include "database/techempower.h"
#include "verify/statements.h"

namespace bench::verify {

std::map<int, int> DatabaseProbe::world_snapshot() { return database::world_snapshot(client_); }

QueryCounts DatabaseProbe::query_counts() {
  const auto counts = database::query_counts(client_);
  const auto as_int = [](std::uint64_t value) { return static_cast<int64_t>(value); };
  return QueryCounts{as_int(counts.select_world.calls),   as_int(counts.select_world.rows),
                     as_int(counts.update_world.calls),   as_int(counts.update_world.rows),
                     as_int(counts.select_fortune.calls), as_int(counts.select_fortune.rows)};
}

std::vector<StatementCalls> DatabaseProbe::statements() { return read_statements(client_); }

}  // namespace bench::verify
