#include "fleet/share.h"

#include "util/errors.h"

#include <algorithm>
#include <string>

namespace bench::fleet {

load::Options rank_share(const load::Options& total, int rank, int ranks) {
  if (total.connections < ranks)
    throw UsageError("--connections: " + std::to_string(total.connections) + " is fewer than the " +
                     std::to_string(ranks) + " ranks of the fleet; each rank needs at least one connection");
  load::Options share = total;
  share.connections = total.connections / ranks + (rank < total.connections % ranks ? 1 : 0);
  share.threads = std::max(1, std::min(total.threads, share.connections));
  share.rate = total.rate / ranks;
  return share;
}

}  // namespace bench::fleet
