#include "util/utf8.h"

#include <algorithm>

namespace bench::util {

namespace {

// Length of the valid sequence starting at bytes[i], or 0 when it is invalid. `*subpart` receives the length of
// the maximal invalid subpart (at least 1) to replace by one U+FFFD.
std::size_t sequence_length(std::string_view bytes, std::size_t i, std::size_t* subpart) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  const unsigned char lead = at(i);
  *subpart = 1;
  if (lead < 0x80) return 1;
  std::size_t need = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte (Unicode table 3-7)
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 or F5..FF: never valid as a lead
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= bytes.size()) return 0;
    const unsigned char c = at(i + k);
    const bool ok = k == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
    if (!ok) return 0;
    *subpart = k + 1;
  }
  return need + 1;
}

}  // namespace

std::string valid_utf8(std::string_view bytes) { return valid_utf8_prefix(bytes, std::string::npos); }

std::string valid_utf8_prefix(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(bytes.size(), max_bytes));
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t subpart = 1;
    const std::size_t n = sequence_length(bytes, i, &subpart);
    const std::string_view piece = n > 0 ? bytes.substr(i, n) : kReplacement;
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
    i += n > 0 ? n : subpart;
  }
  return out;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t subpart = 1;
    const std::size_t n = sequence_length(bytes, i, &subpart);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

}  // namespace bench::util
