#include "report/result.h"

#include "model/bounded_json.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <system_error>

namespace bench::report {
namespace {

using nlohmann::json;

void check_schema(const json& j, const std::string& origin) {
  if (!j.is_object() || !j.contains("cells") || !j.contains("schema_version")) {
    throw ResultsError(origin + ": not a bench results file (expected an object with schema_version and cells)");
  }
  const json& version = j.at("schema_version");
  if (!version.is_number_integer() || version.get<int64_t>() != kSchemaVersion) {
    throw ResultsError(origin + ": unknown schema_version " + version.dump() + " (this bench reads version " +
                       std::to_string(kSchemaVersion) + ")");
  }
  if (!j.at("cells").is_array()) {
    throw ResultsError(origin + ": cells: expected an array, found " + std::string(j.at("cells").type_name()));
  }
}

void throw_errno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

json to_json(const Run& run) {
  json out = model::to_json(run);
  if (out["placement"].is_null()) out.erase("placement");  // only when something was pinned
  return out;
}

Run run_from_json(const json& j, const std::string& origin) {
  check_schema(j, origin);
  try {
    return model::from_json<Run>(j);
  } catch (const ResultsError& e) {
    throw ResultsError(origin + ": " + e.what());
  }
}

Run parse(const std::string& text, const std::string& origin) {
  const model::JsonLimits limits{kMaxResultsDepth, kMaxResultsObjectKeys, kMaxResultsArrayItems};
  return run_from_json(model::parse_bounded(text, limits, origin, "a results file"), origin);
}

Run load(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw ResultsError(name + ": cannot open results file (missing or unreadable)");
  }
  if (std::filesystem::is_directory(status)) {
    throw ResultsError(name + ": is a folder; give the results.json inside it");
  }
  if (!std::filesystem::is_regular_file(status)) throw ResultsError(name + ": not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultsError(name + ": cannot open results file (missing or unreadable)");
  // Read at most one byte past the limit: the file may grow, or the size may lie (/proc).
  std::string text(kMaxResultsBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw ResultsError(name + ": cannot read results file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxResultsBytes) {
    throw ResultsError(name + ": larger than " + std::to_string(kMaxResultsBytes >> 20) +
                       " MiB; a results file of a few hundred cells is under 1 MiB");
  }
  return parse(text, name);
}

std::vector<Run> load_all(const std::vector<std::string>& paths) {
  std::vector<Run> runs;
  std::size_t cells = 0;
  for (const auto& path : paths) {
    runs.push_back(load(path));
    cells += runs.back().cells.size();
    if (cells > kMaxReportCells) {
      throw ResultsError(path + ": brings the cells of the files read together past " +
                         std::to_string(kMaxReportCells) + "; report fewer files at once");
    }
  }
  return runs;
}

void save_atomic(const Run& run, const std::filesystem::path& path) {
  const std::string text = to_json(run).dump(2) + "\n";
  const std::filesystem::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno("cannot create " + tmp.string());
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      errno = saved;
      throw_errno("cannot write " + tmp.string());
    }
    written += static_cast<size_t>(n);
  }
  // Both calls run whatever the first gives: a failed fsync must not leave the fd open.
  const int synced = ::fsync(fd) == 0 ? 0 : errno;
  const int closed = ::close(fd) == 0 ? 0 : errno;
  if (synced != 0 || closed != 0) {
    errno = synced != 0 ? synced : closed;
    throw_errno("cannot flush " + tmp.string());
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw_errno("cannot rename " + tmp.string() + " to " + path.string());
  // The rename itself is durable only once the folder is synced.
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace bench::report
