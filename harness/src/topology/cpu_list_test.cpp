#include "topology/cpu_list.h"

#include <catch2/catch.hpp>

using bench::topology::CpuList;
using bench::topology::format_cpu_list;
using bench::topology::parse_cpu_list;

TEST_CASE("CPU lists parse in the Linux list format") {
  CHECK(parse_cpu_list("0") == CpuList{0});
  CHECK(parse_cpu_list("0-3") == CpuList{0, 1, 2, 3});
  CHECK(parse_cpu_list("5,0-2") == CpuList{0, 1, 2, 5});
  CHECK(parse_cpu_list(" 1 , 1-2 ") == CpuList{1, 2});  // sorted, distinct
  CHECK(parse_cpu_list("7-7") == CpuList{7});
}

TEST_CASE("bad CPU lists say what is wrong") {
  CHECK_THROWS_WITH(parse_cpu_list(""), Catch::Contains("empty CPU list"));
  CHECK_THROWS_WITH(parse_cpu_list("3-1"), Catch::Contains("descending"));
  CHECK_THROWS_WITH(parse_cpu_list("a"), Catch::Contains("not a CPU number"));
  CHECK_THROWS_WITH(parse_cpu_list("-1"), Catch::Contains("not a CPU number"));
  CHECK_THROWS_WITH(parse_cpu_list("0,,1"), Catch::Contains("empty item"));
  CHECK_THROWS_WITH(parse_cpu_list("0,"), Catch::Contains("empty item"));
  CHECK_THROWS_WITH(parse_cpu_list("9000"), Catch::Contains("above 8191"));
  CHECK_THROWS_WITH(parse_cpu_list("99999999999999"), Catch::Contains("above 8191"));
  CHECK_THROWS_WITH(parse_cpu_list("1-2-3"), Catch::Contains("not a CPU number"));
}

TEST_CASE("CPU lists format to the shortest list form and round-trip") {
  CHECK(format_cpu_list({}) == "");
  CHECK(format_cpu_list({0}) == "0");
  CHECK(format_cpu_list({0, 1, 2, 3, 5}) == "0-3,5");
  CHECK(format_cpu_list({1, 3, 4}) == "1,3-4");
  for (const char* text : {"0", "0-3,5", "1,3-4,8-15"}) CHECK(format_cpu_list(parse_cpu_list(text)) == text);
}

TEST_CASE("CPU list union and intersection") {
  CHECK(bench::topology::cpu_union({0, 2}, {1, 2}) == CpuList{0, 1, 2});
  CHECK(bench::topology::cpu_intersection({0, 2}, {1, 2}) == CpuList{2});
}
