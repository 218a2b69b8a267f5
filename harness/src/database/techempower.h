#pragma once
// TechEmpower's schema and data: the World and Fortune tables every database test reads and writes.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "database/client.h"

namespace bench::database {

inline constexpr int kWorldRows = 10000;

// (Re)creates world(id integer primary key, randomnumber integer not null) with 10,000 rows (randomnumber in
// 1..10000, from a fixed seed so runs are comparable) and fortune(id integer primary key, message varchar(2048)
// not null) with the 12 standard rows; lowercase unquoted names as TechEmpower's own PostgreSQL setup. Drops and
// recreates, so it is idempotent, and ANALYZEs. Needs only the right to create tables (no superuser);
// pg_stat_statements is prepare_query_stats' business (query_stats.h).
void seed_techempower(Client& client);

// The 12 fortunes of TechEmpower's fortune table (id, message), byte-exact, compiled in. The verifier checks
// the fortunes page against these plus the one added at request time.
const std::vector<std::pair<int, std::string>>& techempower_fortunes();

// id -> randomnumber of every world row, for checking that the updates test really writes.
// Runs untracked by pg_stat_statements where the session may turn tracking off.
std::map<int, int> world_snapshot(Client& client);

}  // namespace bench::database
