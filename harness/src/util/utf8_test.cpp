#include "util/utf8.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using bench::util::first_invalid_utf8;
using bench::util::valid_utf8;
using bench::util::valid_utf8_prefix;

namespace {
const std::string kFffd = "\xEF\xBF\xBD";
}

TEST_CASE("valid UTF-8 comes back unchanged") {
  const std::string text = "Hello, \xE3\x83\x95\xE3\x83\xAC\xE3\x83\xBC\xE3\x83\xA0 \xF0\x9F\x98\x80 caf\xC3\xA9";
  CHECK(valid_utf8(text) == text);
  CHECK_FALSE(first_invalid_utf8(text).has_value());
  CHECK(valid_utf8("") == "");
}

TEST_CASE("invalid bytes become U+FFFD and the result is JSON-serialisable") {
  CHECK(valid_utf8("a\xFF" "b") == "a" + kFffd + "b");
  CHECK(valid_utf8("\x80") == kFffd);                       // stray continuation
  CHECK(valid_utf8("\xC0\xAF") == kFffd + kFffd);           // overlong '/': C0 is never a lead
  CHECK(valid_utf8("\xE0\x80\xAF") == kFffd + kFffd + kFffd);  // overlong three-byte form
  CHECK(valid_utf8("\xED\xA0\x80") == kFffd + kFffd + kFffd);  // a surrogate
  CHECK(valid_utf8("\xF4\x90\x80\x80") == kFffd + kFffd + kFffd + kFffd);  // above U+10FFFF
  CHECK(valid_utf8("x\xE3\x83") == "x" + kFffd);           // cut mid-character: one replacement
  CHECK(valid_utf8("\xE3\x83" "a") == kFffd + "a");
  CHECK(*first_invalid_utf8("ab\xE3\x83") == 2);
  std::string binary;
  for (int c = 0; c < 256; ++c) binary.push_back(static_cast<char>(c));
  const std::string fixed = valid_utf8(binary);
  CHECK_FALSE(first_invalid_utf8(fixed).has_value());
  CHECK_NOTHROW(nlohmann::json(fixed).dump());
  CHECK_THROWS(nlohmann::json(binary).dump());  // what the capture points protect the results writer from
}

TEST_CASE("a prefix is cut on a character boundary") {
  const std::string text = "ab\xE3\x83\x95" "cd";  // a, b, one 3-byte character, c, d
  CHECK(valid_utf8_prefix(text, 2) == "ab");
  CHECK(valid_utf8_prefix(text, 3) == "ab");
  CHECK(valid_utf8_prefix(text, 4) == "ab");
  CHECK(valid_utf8_prefix(text, 5) == "ab\xE3\x83\x95");
  CHECK(valid_utf8_prefix(text, 100) == text);
  CHECK(valid_utf8_prefix("\xFF\xFF", 4) == kFffd);  // a replacement counts its own three bytes
}
