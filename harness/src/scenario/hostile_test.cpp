// Hostile input must fail fast with a clear message, never exhaust memory or time.
#include "scenario/scenario.h"
#include "scenario/test_support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>

#include <unistd.h>

namespace bench::scenario {

using testing::error_of;
using testing::kMinimal;

namespace {

// The classic "billion laughs": nine levels of ten aliases each, 10^9 leaves when walked.
std::string alias_bomb() {
  std::string yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) yaml += (j ? ", " : "") + prev;
    yaml += "]\n";
  }
  return yaml;
}

}  // namespace

TEST_CASE("aliases are refused, at the first alias, before anything walks them") {
  const auto start = std::chrono::steady_clock::now();
  CHECK(error_of(alias_bomb()) ==
        "t.yaml:2:10: YAML aliases (*name) are not supported in scenario files; repeat the value instead (this guards "
        "against alias bombs)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  // Even a harmless-looking one, inside the schema.
  CHECK(error_of("servers:\n  a: &srv {command: x}\n  b: *srv\ntests: {json: /json}\n").starts_with(
      "t.yaml:3:6: YAML aliases (*name) are not supported"));
  // An anchor without an alias is harmless and allowed.
  CHECK(error_of("servers:\n  a: &srv {command: x}\ntests: {json: /json}\n") == "no error");
}

TEST_CASE("huge input is refused by size, node count or depth") {
  std::string big(kMaxFileBytes + 1, '#');
  CHECK(error_of(big) == "t.yaml: file too large (1048577 bytes; the limit is 1048576 bytes)");

  // Under the size limit but a flood of nodes: refused before yaml-cpp builds a tree.
  std::string flood = "x: [";
  for (int i = 0; i < 100000; ++i) flood += "1,";
  flood += "1]\n";
  REQUIRE(flood.size() < kMaxFileBytes);
  CHECK(error_of(flood) == "t.yaml:1:39999: too many YAML nodes (more than 20000); a scenario needs a few hundred");

  const std::string deep = "x: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  CHECK(error_of(deep) == "t.yaml:1:35: nested more than 32 levels deep");
}

TEST_CASE("one document per file") {
  CHECK(error_of(std::string(kMinimal) + "---\n" + std::string(kMinimal)) ==
        "t.yaml:6:1: expected one YAML document, found a second one ('---')");
}

TEST_CASE("parse_file refuses a huge file without reading it all") {
  const auto file = std::filesystem::temp_directory_path() / ("bench-huge-" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream out(file);
    out << kMinimal;
  }
  std::filesystem::resize_file(file, std::uintmax_t{64} << 20);  // 64 MiB, sparse
  CHECK_THROWS_WITH(parse_file(file), file.string() + ": file too large (67108864 bytes; the limit is 1048576 bytes)");
  std::filesystem::remove(file);
}

}  // namespace bench::scenario
