#include "topology/split.h"

#include <algorithm>

namespace bench::topology {

Split auto_split(const CpuList& allowed, bool with_database) {
  Split split;
  const size_t n = allowed.size();
  if (n == 0) return split;
  if (n == 1) {
    split.client = split.servers = allowed;
    if (with_database) split.database = allowed;
    return split;
  }
  const size_t quarter = std::max<size_t>(1, n / 4);
  auto next = allowed.begin();
  split.client.assign(next, next + static_cast<long>(quarter));
  next += static_cast<long>(quarter);
  if (with_database) {
    split.database.assign(next, next + static_cast<long>(quarter));
    next += static_cast<long>(quarter);
  }
  split.servers.assign(next, allowed.end());
  if (split.servers.empty()) split.servers = split.database;
  return split;
}

}  // namespace bench::topology
