#include "report/output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "util/errors.h"

namespace bench::report {

void write_stdout(const std::string& text) {
  errno = 0;
  const size_t written = std::fwrite(text.data(), 1, text.size(), stdout);
  // stdout is buffered: an error often shows only at the flush.
  if (written != text.size() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int saved = errno;
    std::clearerr(stdout);
    throw std::runtime_error(std::string("cannot write to standard output: ") +
                             (saved != 0 ? std::strerror(saved) : "write failed"));
  }
}

void write_output(const std::string& text, const std::string& path, const std::string& flag) {
  if (path.empty() || path == "-") {
    write_stdout(text);
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw UsageError(flag + ": cannot write " + path);
  out << text;
  if (!out.flush()) throw UsageError(flag + ": cannot write " + path);
  out.close();
  if (out.fail()) throw UsageError(flag + ": cannot write " + path);
}

}  // namespace bench::report
