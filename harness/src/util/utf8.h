#pragma once
// Valid UTF-8 for everything captured from outside (response bodies and headers, log tails, command output):
// results are JSON, and a single invalid byte would make the writer throw and lose the whole run. Capture points
// call these, so nothing downstream has to care.
//
// Hand-written: a UTF-8 decoder is ~40 lines, and none of our libraries offers "replace invalid bytes" on a plain
// string (nlohmann's error_handler_t::replace acts only while dumping, too late to keep one bad byte local).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bench::util {

// U+FFFD, the replacement character, as UTF-8.
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The bytes with every invalid sequence (stray continuation bytes, truncated or overlong sequences, surrogates,
// code points above U+10FFFF) replaced by U+FFFD, one per maximal invalid subpart (Unicode's recommended practice).
// Valid input comes back unchanged.
std::string valid_utf8(std::string_view bytes);

// At most `max_bytes` of valid_utf8(bytes), cut on a character boundary (never inside a sequence).
std::string valid_utf8_prefix(std::string_view bytes, std::size_t max_bytes);

// The offset of the first byte that is not part of valid UTF-8, or nullopt when all of it is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view bytes);

}  // namespace bench::util
