#include "supervisor/log_tail.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "supervisor/test_support.h"

using bench::supervisor::tail;
using bench::supervisor::testing::TempDir;

TEST_CASE("tail returns the last lines of a log", "[log_tail]") {
  TempDir dir;
  const auto log = dir / "build.log";
  {
    std::ofstream out(log);
    for (int i = 1; i <= 100; ++i) out << "line " << i << "\n";
  }
  CHECK(tail(log, 3) == "line 98\nline 99\nline 100\n");
  CHECK(tail(log, 1) == "line 100\n");
  CHECK(tail(log, 0).empty());
  CHECK(tail(log, 1000).rfind("line 1\n", 0) == 0);
}

TEST_CASE("tail copes with missing files and no final newline and huge logs", "[log_tail]") {
  TempDir dir;
  CHECK(tail(dir / "missing.log").empty());
  {
    std::ofstream out(dir / "partial.log");
    out << "first\nsecond\nthird";
  }
  CHECK(tail(dir / "partial.log", 2) == "second\nthird");
  {
    std::ofstream out(dir / "huge.log");
    out << std::string(1 << 20, 'x') << "\nthe end\n";
  }
  CHECK(tail(dir / "huge.log", 1) == "the end\n");
  CHECK(tail(dir / "huge.log", 5).size() <= 64 * 1024);
}
