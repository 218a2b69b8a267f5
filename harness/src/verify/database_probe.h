#pragma once
// The DbProbe bench run hands to verify(): the harness's own database connection, reading the World table and
// pg_stat_statements through database/ (whose statements are left out of the counts).

#include "database/client.h"
#include "verify/verifier.h"

namespace bench::verify {

class DatabaseProbe : public DbProbe {
 public:
  // `client` must outlive the probe; it should be a harness Client (its own statements are not counted).
  explicit DatabaseProbe(database::Client& client) : client_(client) {}

  // database::world_snapshot.
  std::map<int, int> world_snapshot() override;
  // database::query_counts, reduced to the three kinds the verifier compares.
  QueryCounts query_counts() override;
  // verify::read_statements (verify/statements.h).
  std::vector<StatementCalls> statements() override;

 private:
  database::Client& client_;
};

}  // namespace bench::verify
