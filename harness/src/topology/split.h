#pragma once
// `placement: auto`: how the machine's CPUs are shared out between the load generator, the database and the servers.

#include "topology/cpu_list.h"

namespace bench::topology {

struct Split {
  CpuList client, database, servers;  // database is empty when there is no embedded database to place
};

// The rule (docs/scenario.md, placement): with n allowed CPUs in ascending order, the client takes the first
// max(1, n/4), the embedded database (when there is one) the next max(1, n/4), the servers the rest. When nothing
// is left for the servers (n = 2 with a database: client 0, database 1) they share the database's CPUs; with one CPU
// everything shares it. TechEmpower gives client, application and database a machine each; a quarter each for client
// and database keeps most of the machine for the thing measured.
Split auto_split(const CpuList& allowed, bool with_database);

}  // namespace bench::topology
