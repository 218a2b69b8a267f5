#include "scenario/suggest.h"

#include <catch2/catch.hpp>

#include <string_view>

namespace bench::scenario {

TEST_CASE("edit distance counts insertions, deletions, substitutions and adjacent swaps") {
  CHECK(edit_distance("connections", "connections") == 0);
  CHECK(edit_distance("conections", "connections") == 1);
  CHECK(edit_distance("warmpu", "warmup") == 1);  // a swap is one edit
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest match suggests plausible typos only") {
  constexpr std::string_view keys[] = {"connections", "threads", "duration", "warmup", "rate", "timeout", "repeat"};
  CHECK(closest_match("conections", keys) == "connections");
  CHECK(closest_match("treads", keys) == "threads");
  CHECK(closest_match("durration", keys) == "duration");
  CHECK(closest_match("rat", keys) == "rate");
  CHECK_FALSE(closest_match("banana", keys));
  CHECK_FALSE(closest_match("x", keys));
}

}  // namespace bench::scenario
