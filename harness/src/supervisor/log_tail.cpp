#include "supervisor/log_tail.h"

#include "util/utf8.h"

#include <algorithm>
#include <fstream>

namespace bench::supervisor {

namespace {
constexpr std::streamoff kMaxTailBytes = 64 * 1024;
}

std::string tail(const std::filesystem::path& log, std::size_t lines) {
  std::ifstream in(log, std::ios::binary);
  if (!in || lines == 0) return {};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = std::max<std::streamoff>(0, size - kMaxTailBytes);
  in.seekg(start);
  std::string text(static_cast<std::size_t>(size - start), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  // Walk back over `lines` newlines; a trailing newline does not start an empty last line.
  std::size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;
  std::size_t begin = end;
  std::size_t found = 0;
  while (begin > 0) {
    if (text[begin - 1] == '\n' && ++found == lines) break;
    --begin;
  }
  // A log is whatever the server wrote: made valid UTF-8 here, where it enters the results.
  return util::valid_utf8(std::string_view(text).substr(begin));
}

}  // namespace bench::supervisor
