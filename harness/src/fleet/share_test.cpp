#include "fleet/share.h"

#include "util/errors.h"

#include <catch2/catch.hpp>

using bench::fleet::rank_share;

TEST_CASE("each rank takes its share of connections, threads and rate") {
  bench::load::Options total;
  total.connections = 10;
  total.threads = 4;
  total.rate = 3000;
  int connections = 0;
  for (int rank = 0; rank < 3; ++rank) {
    const auto share = rank_share(total, rank, 3);
    connections += share.connections;
    CHECK(share.connections == (rank == 0 ? 4 : 3));
    CHECK(share.threads == 3 + (rank == 0 ? 1 : 0));
    CHECK(share.rate == Approx(1000));
    CHECK(share.request.url == total.request.url);
  }
  CHECK(connections == total.connections);
}

TEST_CASE("a rank never gets more threads than connections, nor none") {
  bench::load::Options total;
  total.connections = 3;
  total.threads = 8;
  CHECK(rank_share(total, 0, 2).threads == 2);
  CHECK(rank_share(total, 1, 2).threads == 1);
  CHECK_THROWS_WITH(rank_share(total, 0, 4), Catch::Contains("--connections: 3 is fewer than the 4 ranks"));
  CHECK_THROWS_AS(rank_share(total, 0, 4), bench::UsageError);
}
