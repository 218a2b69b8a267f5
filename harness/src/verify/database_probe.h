#pragma once
// The DbProbe bench run hands to verify(): the harness's own database connection, reading the World table and
// pg_stat_statements through database/ (whose statements are left out of the counts).

#include <optional>
#include <string>

#include "database/client.h"
#include "verify/verifier.h"

namespace bench::verify {

class DatabaseProbe : public DbProbe {
 public:
  // `client` must outlive the probe; it should be a harness Client (its own statements are not counted).
  // `counts_unavailable`: database::prepare_query_stats' answer; when set, query counts are not checked (a note).
  explicit DatabaseProbe(database::Client& client, std::optional<std::string> counts_unavailable = std::nullopt)
      : client_(client), counts_unavailable_(std::move(counts_unavailable)) {}

  // database::world_snapshot.
  std::map<int, int> world_snapshot() override;
  // database::query_counts, reduced to the three kinds the verifier compares.
  QueryCounts query_counts() override;
  std::optional<std::string> counts_unavailable() const override { return counts_unavailable_; }
  // verify::read_statements (verify/statements.h).
  std::vector<StatementCalls> statements() override;

 private:
  database::Client& client_;
  std::optional<std::string> counts_unavailable_;
};

}  // namespace bench::verify
