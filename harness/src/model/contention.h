#pragma once
// How busy the machine was with work that is not bench's during a cell's window: what run/contention.h measures and
// results.json's cells store.

#include "model/describe.h"

namespace bench::model {

// A cell is flagged as measured under contention when other work and the hypervisor together took more than this
// share of the machine's CPU (others_cpu_share + steal_share). Below it the figure is recorded without a warning.
// 5%: from 5% up every cell measured on this 2-core machine left the spread of quiet repeats, below it few did
// (scripts/bench-revisions --contention; the figures are in docs/results.md).
inline constexpr double kContendedShare = 0.05;

struct Contention {
  double others_cpu_share = 0;    // CPU used by other processes / (cores x window)
  double machine_busy_share = 0;  // all busy CPU / (cores x window)
  double steal_share = 0;         // steal time / (cores x window)
  double others_cpu_s = 0;        // seconds: machine busy minus own, never below 0
  double own_cpu_s = 0;           // seconds: bench + server + embedded database during the window
  double load_average_1m = 0;     // /proc/loadavg at the end of the window
  bool operator==(const Contention&) const = default;
};

template <typename V, typename C, if_same<C, Contention> = 0>
void describe(V& v, C& c) {
  v("others_cpu_share", c.others_cpu_share);
  v("machine_busy_share", c.machine_busy_share);
  v("steal_share", c.steal_share);
  v("others_cpu_s", c.others_cpu_s);
  v("own_cpu_s", c.own_cpu_s);
  v("load_average_1m", c.load_average_1m);
}

}  // namespace bench::model
