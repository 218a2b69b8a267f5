#pragma once
// Who holds a TCP port. A scenario may fix a server's `port:`; if another process already listens there, readiness
// would succeed against that process and bench would verify and measure the wrong server. These checks, read from
// the kernel (bind, /proc/net/tcp*, /proc/<pid>/fd), catch it before the start and after readiness.

#include "util/address.h"

#include <sys/types.h>

#include <optional>

namespace bench::supervisor {

// True when nothing listens on (or holds bound) `port` on `address` or the wildcard address: a bind to
// address:port with SO_REUSEADDR succeeds (SO_REUSEADDR, as servers set it, so the TIME_WAIT connections of the
// previous pass on the same port are not mistaken for a holder).
bool port_free(int port, const util::IpAddress& address = util::loopback_ipv4());

// Is the socket listening on `port` (util::procfs::listening_inodes) held by a process of group `pgid`, or by a descendant of one (a worker that
// moved to a session of its own)? false: held by someone else. nullopt when that cannot be told: nothing listens,
// or no holder's fds are readable to us (another account's process, without privileges).
std::optional<bool> group_listens_on(pid_t pgid, int port);

}  // namespace bench::supervisor
