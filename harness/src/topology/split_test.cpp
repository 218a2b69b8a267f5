#include "topology/split.h"

#include <catch2/catch.hpp>

using bench::topology::auto_split;
using bench::topology::CpuList;

TEST_CASE("auto placement: two cores give the client one and the database and servers the other") {
  const auto split = auto_split({0, 1}, true);
  CHECK(split.client == CpuList{0});
  CHECK(split.database == CpuList{1});
  CHECK(split.servers == CpuList{1});
  const auto no_database = auto_split({0, 1}, false);
  CHECK(no_database.client == CpuList{0});
  CHECK(no_database.database.empty());
  CHECK(no_database.servers == CpuList{1});
}

TEST_CASE("auto placement: a quarter each for client and database, the rest for the servers") {
  const auto split = auto_split({0, 1, 2, 3, 4, 5, 6, 7}, true);
  CHECK(split.client == CpuList{0, 1});
  CHECK(split.database == CpuList{2, 3});
  CHECK(split.servers == CpuList{4, 5, 6, 7});
  const auto three = auto_split({2, 5, 9}, true);  // whatever numbers the cpuset allows, in order
  CHECK(three.client == CpuList{2});
  CHECK(three.database == CpuList{5});
  CHECK(three.servers == CpuList{9});
}

TEST_CASE("auto placement: one core is shared by everything") {
  const auto split = auto_split({3}, true);
  CHECK(split.client == CpuList{3});
  CHECK(split.database == CpuList{3});
  CHECK(split.servers == CpuList{3});
}
