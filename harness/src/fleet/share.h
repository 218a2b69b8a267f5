#pragma once
// How one load is split across the ranks of a fleet: each rank gets its share of the connections and of the rate,
// and no more threads than connections. Pure arithmetic, the same on every rank, so no rank needs to be told.

#include "load/engine.h"

namespace bench::fleet {

// Rank `rank` of `ranks` (0-based): connections / ranks, the first connections % ranks ranks one more; threads
// min(threads, that share); rate / ranks. Throws bench::UsageError naming --connections when a rank would get no
// connection (fewer connections than ranks).
load::Options rank_share(const load::Options& total, int rank, int ranks);

}  // namespace bench::fleet
