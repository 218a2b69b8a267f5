#include "report/result.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <limits>
#include <system_error>
#include <type_traits>

namespace bench::report {
namespace {

using nlohmann::json;

// --- the one field list ----------------------------------------------------------------------------------------
// Each struct's JSON keys are named once, in a describe() that both the writer and the reader walk, so the two
// cannot drift apart (docs/results.md is checked against the writer's keys by result_test.cpp). Adding a field to
// results is one line here.

template <typename V, typename L, std::enable_if_t<std::is_same_v<std::remove_const_t<L>, Latency>, int> = 0>
void describe(V& v, L& l) {
  v("mean_us", l.mean_us);
  v("stdev_us", l.stdev_us);
  v("min_us", l.min_us);
  v("max_us", l.max_us);
  v("p50_us", l.p50_us);
  v("p75_us", l.p75_us);
  v("p90_us", l.p90_us);
  v("p99_us", l.p99_us);
  v("p999_us", l.p999_us);
  v("p9999_us", l.p9999_us);
  v("curve", l.curve);
}

template <typename V, typename E, std::enable_if_t<std::is_same_v<std::remove_const_t<E>, Errors>, int> = 0>
void describe(V& v, E& e) {
  v("connect", e.connect);
  v("read", e.read);
  v("write", e.write);
  v("timeout", e.timeout);
  v("other", e.other);
}

template <typename V, typename C, std::enable_if_t<std::is_same_v<std::remove_const_t<C>, Cell>, int> = 0>
void describe(V& v, C& c) {
  v("variant", c.variant);
  v("test", c.test);
  v("connections", c.connections);
  v("queries", c.queries);
  v("repeat", c.repeat);
  v("status", c.status);
  v("duration_s", c.duration_s);
  v("requests", c.requests);
  v("requests_per_sec", c.requests_per_sec);
  v("transfer_bytes_per_sec", c.transfer_bytes_per_sec);
  v("target_rate", c.target_rate);
  v("owed_unsent", c.owed_unsent);
  v("owed_unanswered", c.owed_unanswered);
  v("latency_statistics", c.latency_statistics);
  v("latency", c.latency);
  v("latency_uncorrected", c.latency_uncorrected);
  v("errors", c.errors);
  v("status_codes", c.status_codes);
  v("non_2xx_3xx", c.non_2xx_3xx);
  v("db_queries_per_request", c.db_queries_per_request);
  v("db_rows_per_request", c.db_rows_per_request);
  v("server_cpu_us_per_request", c.server_cpu_us_per_request);
  v("client_cpu_us_per_request", c.client_cpu_us_per_request);
  v("db_cpu_us_per_request", c.db_cpu_us_per_request);
  v("server_peak_rss_bytes", c.server_peak_rss_bytes);
  v("warnings", c.warnings);
  v("contention", c.contention);
}

template <typename V, typename C, std::enable_if_t<std::is_same_v<std::remove_const_t<C>, Contention>, int> = 0>
void describe(V& v, C& c) {
  v("others_cpu_share", c.others_cpu_share);
  v("machine_busy_share", c.machine_busy_share);
  v("steal_share", c.steal_share);
  v("others_cpu_s", c.others_cpu_s);
  v("own_cpu_s", c.own_cpu_s);
  v("load_average_1m", c.load_average_1m);
}

template <typename V, typename C, std::enable_if_t<std::is_same_v<std::remove_const_t<C>, Check>, int> = 0>
void describe(V& v, C& c) {
  v("test", c.test);
  v("level", c.level);
  v("message", c.message);
}

template <typename V, typename T, std::enable_if_t<std::is_same_v<std::remove_const_t<T>, Variant>, int> = 0>
void describe(V& v, T& t) {
  v("name", t.name);
  v("status", t.status);
  v("reason", t.reason);
  v("log_tail", t.log_tail);
  v("log_file", t.log_file);
  v("checks", t.checks);
  v("build_seconds", t.build_seconds);
  v("versions", t.versions);
  v("warnings", t.warnings);
  v("revision", t.revision);
  v("base", t.base);
}

template <typename V, typename R, std::enable_if_t<std::is_same_v<std::remove_const_t<R>, Revision>, int> = 0>
void describe(V& v, R& r) {
  v("label", r.label);
  v("commit", r.commit);
  v("subject", r.subject);
  v("working_tree", r.working_tree);
  v("dirty", r.dirty);
}

template <typename V, typename E, std::enable_if_t<std::is_same_v<std::remove_const_t<E>, Environment>, int> = 0>
void describe(V& v, E& e) {
  v("cpu_model", e.cpu_model);
  v("cores", e.cores);
  v("cpu_frequency_driver", e.cpu_frequency_driver);
  v("cpu_governor", e.cpu_governor);
  v("kernel", e.kernel);
  v("postgres_version", e.postgres_version);
  v("compiler", e.compiler);
  v("libcurl_version", e.libcurl_version);
  v("bench_version", e.bench_version);
  v("bench_commit", e.bench_commit);
  v("hostname", e.hostname);
  v("frameworks", e.frameworks);
  v("query_counts_unavailable", e.query_counts_unavailable);
}

template <typename V, typename W, std::enable_if_t<std::is_same_v<std::remove_const_t<W>, Warning>, int> = 0>
void describe(V& v, W& w) {
  v("code", w.code);
  v("message", w.message);
}

template <typename V, typename R, std::enable_if_t<std::is_same_v<std::remove_const_t<R>, Run>, int> = 0>
void describe(V& v, R& r) {
  v("schema_version", r.schema_version);
  v("scenario_name", r.scenario_name);
  v("scenario", r.scenario);
  v("environment", r.environment);
  v("started_at", r.started_at);
  v("finished_at", r.finished_at);
  v("status", r.status);
  v("variants", r.variants);
  v("revisions", r.revisions);
  v("cells", r.cells);
  v("placement", r.placement);  // null (left out) when nothing was pinned
}

template <typename T, typename = void>
struct is_described : std::false_type {};
struct Probe {
  template <typename M>
  void operator()(const char*, M&) {}
};
template <typename T>
struct is_described<T, std::void_t<decltype(describe(std::declval<Probe&>(), std::declval<T&>()))>> : std::true_type {};

// --- writing ---------------------------------------------------------------------------------------------------

json write_value(const std::string& s) { return s; }
json write_value(WarningCode code) { return warning_code_name(code); }
json write_value(const json& j) { return j; }
template <typename T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
json write_value(T value) { return value; }
template <typename T>
json write_value(const std::optional<T>& value);
template <typename T>
json write_value(const std::vector<T>& list);
json write_value(const std::vector<std::pair<double, double>>& curve);
template <typename K, typename T>
json write_value(const std::map<K, T>& map);
template <typename T, std::enable_if_t<is_described<const T>::value, int> = 0>
json write_value(const T& object);

struct Writer {
  json out = json::object();
  template <typename M>
  void operator()(const char* key, const M& member) { out[key] = write_value(member); }
};

template <typename T>
json write_value(const std::optional<T>& value) { return value ? write_value(*value) : json(nullptr); }
template <typename T>
json write_value(const std::vector<T>& list) {
  json out = json::array();
  for (const auto& item : list) out.push_back(write_value(item));
  return out;
}
json write_value(const std::vector<std::pair<double, double>>& curve) {
  json out = json::array();
  for (const auto& [percentile, us] : curve) out.push_back({percentile, us});
  return out;
}
template <typename K, typename T>
json write_value(const std::map<K, T>& map) {
  json out = json::object();
  for (const auto& [key, value] : map) {
    if constexpr (std::is_same_v<K, std::string>) out[key] = write_value(value);
    else out[std::to_string(key)] = write_value(value);
  }
  return out;
}
template <typename T, std::enable_if_t<is_described<const T>::value, int>>
json write_value(const T& object) {
  Writer writer;
  describe(writer, object);
  return std::move(writer.out);
}

// --- reading: a missing or null key keeps the model's default; a wrong type is an error naming its path --------

[[noreturn]] void wrong(const std::string& where, const char* expected, const json& found) {
  throw ResultsError(where + ": expected " + expected + ", found " + found.type_name());
}

void read_value(const json& j, const std::string& where, std::string& out) {
  if (!j.is_string()) wrong(where, "a string", j);
  out = j.get<std::string>();
}
void read_value(const json& j, const std::string&, json& out) { out = j; }
void read_value(const json& j, const std::string& where, WarningCode& out) {
  if (!j.is_string()) wrong(where, "a warning code", j);
  out = warning_code_named(j.get<std::string>()).value_or(WarningCode::other);  // a newer bench's code
}
void read_value(const json& j, const std::string& where, bool& out) {
  if (!j.is_boolean()) wrong(where, "true or false", j);
  out = j.get<bool>();
}
void read_value(const json& j, const std::string& where, double& out) {
  if (!j.is_number()) wrong(where, "a number", j);
  out = j.get<double>();
}
void read_value(const json& j, const std::string& where, int& out) {
  if (!j.is_number_integer()) wrong(where, "an integer", j);
  const auto value = j.get<int64_t>();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw ResultsError(where + ": " + j.dump() + " is out of range");
  }
  out = static_cast<int>(value);
}
void read_value(const json& j, const std::string& where, uint64_t& out) {
  if (!j.is_number_unsigned()) wrong(where, "a non-negative integer", j);
  out = j.get<uint64_t>();
}
template <typename T>
void read_value(const json& j, const std::string& where, std::optional<T>& out);
template <typename T>
void read_value(const json& j, const std::string& where, std::vector<T>& out);
void read_value(const json& j, const std::string& where, std::vector<std::pair<double, double>>& out);
template <typename K, typename T>
void read_value(const json& j, const std::string& where, std::map<K, T>& out);
template <typename T, std::enable_if_t<is_described<T>::value, int> = 0>
void read_value(const json& j, const std::string& where, T& out);

struct Reader {
  const json& in;
  const std::string& where;
  template <typename M>
  void operator()(const char* key, M& member) {
    const auto it = in.find(key);
    if (it == in.end() || it->is_null()) return;
    read_value(*it, where.empty() ? key : where + "." + key, member);
  }
};

template <typename T>
void read_value(const json& j, const std::string& where, std::optional<T>& out) {
  T value{};
  read_value(j, where, value);
  out = std::move(value);
}
template <typename T>
void read_value(const json& j, const std::string& where, std::vector<T>& out) {
  if (!j.is_array()) wrong(where, "an array", j);
  out.clear();
  for (std::size_t i = 0; i < j.size(); ++i) {
    T item{};
    read_value(j[i], where + "[" + std::to_string(i) + "]", item);
    out.push_back(std::move(item));
  }
}
void read_value(const json& j, const std::string& where, std::vector<std::pair<double, double>>& out) {
  if (!j.is_array()) wrong(where, "an array", j);
  out.clear();
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    const json& point = j[i];
    if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number()) {
      throw ResultsError(at + ": expected [percentile, microseconds]");
    }
    out.emplace_back(point[0].get<double>(), point[1].get<double>());
  }
}
template <typename K, typename T>
void read_value(const json& j, const std::string& where, std::map<K, T>& out) {
  if (!j.is_object()) wrong(where, "an object", j);
  out.clear();
  for (const auto& [name, value] : j.items()) {
    K key{};
    if constexpr (std::is_same_v<K, std::string>) {
      key = name;
    } else {
      // Status codes: keys are decimal integers.
      std::size_t used = 0;
      try {
        key = static_cast<K>(std::stoi(name, &used));
      } catch (const std::logic_error&) {
        used = 0;
      }
      if (used == 0 || used != name.size()) throw ResultsError(where + ": key \"" + name + "\" is not an integer");
    }
    read_value(value, where + "." + name, out[key]);
  }
}
template <typename T, std::enable_if_t<is_described<T>::value, int>>
void read_value(const json& j, const std::string& where, T& out) {
  if constexpr (std::is_same_v<T, Warning>) {
    if (j.is_string()) {  // files written before warnings had codes
      out = Warning(j.get<std::string>());
      return;
    }
  }
  if (!j.is_object()) wrong(where.empty() ? std::string("the file") : where, "an object", j);
  Reader reader{j, where};
  describe(reader, out);
}

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

// nlohmann's messages start with "[json.exception.parse_error.101] "; the reader needs what follows, and not
// the "last read: '...'" echo of the file's bytes, which may be anything (invalid UTF-8, terminal escapes).
std::string plain(const std::exception& e) {
  std::string text = e.what();
  if (text.rfind("[json.exception.", 0) == 0) {
    if (const auto end = text.find("] "); end != std::string::npos) text.erase(0, end + 2);
  }
  if (const auto echo = text.find("; last read:"); echo != std::string::npos) text.erase(echo);
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) c = '?';
  }
  return text;
}

struct TooDeep {};
struct TooWide {
  std::string what;  // "an object with more than 10000 keys"
};

// Counts, while the parser reads, the keys of every open object and the items of every open array, so that a
// hostile file is refused at the first key or item past a limit, before the tree (or the time) grows with it.
// Depths as nlohmann's parser callback reports them: a container that starts at depth d has its keys and items at
// depth d + 1.
class WidthLimit {
 public:
  void operator()(int depth, json::parse_event_t event) {
    const auto d = static_cast<std::size_t>(depth);
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        item(d);
        open(d + 1, event == json::parse_event_t::array_start);
        break;
      case json::parse_event_t::key:
        if (d < levels_.size() && ++levels_[d].count > kMaxResultsObjectKeys) {
          throw TooWide{"an object with more than " + std::to_string(kMaxResultsObjectKeys) + " keys"};
        }
        break;
      case json::parse_event_t::value:
        item(d);
        break;
      default:
        break;
    }
  }

 private:
  struct Level {
    bool array = false;
    std::size_t count = 0;
  };
  void open(std::size_t d, bool array) {
    if (levels_.size() <= d) levels_.resize(d + 1);
    levels_[d] = Level{array, 0};
  }
  void item(std::size_t d) {
    if (d == 0 || d >= levels_.size() || !levels_[d].array) return;  // the top value, or a value after a key
    if (++levels_[d].count > kMaxResultsArrayItems) {
      throw TooWide{"an array with more than " + std::to_string(kMaxResultsArrayItems) + " items"};
    }
  }
  std::vector<Level> levels_;
};

void throw_errno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

std::string_view warning_code_name(WarningCode code) {
  switch (code) {
    case WarningCode::other: return "other";
    case WarningCode::no_requests: return "no_requests";
    case WarningCode::errors: return "errors";
    case WarningCode::client_saturated: return "client_saturated";
    case WarningCode::rate_shortfall: return "rate_shortfall";
    case WarningCode::interrupted: return "interrupted";
    case WarningCode::server_died: return "server_died";
    case WarningCode::server_restarted: return "server_restarted";
    case WarningCode::server_exited: return "server_exited";
    case WarningCode::contention: return "contention";
    case WarningCode::load: return "load";
  }
  return "other";
}

std::optional<WarningCode> warning_code_named(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(WarningCode::load); ++i) {
    if (warning_code_name(static_cast<WarningCode>(i)) == name) return static_cast<WarningCode>(i);
  }
  return std::nullopt;
}

json to_json(const Run& run) {
  json out = write_value(run);
  if (out["placement"].is_null()) out.erase("placement");  // only when something was pinned
  return out;
}

Run run_from_json(const json& j, const std::string& origin) {
  check_schema(j, origin);
  Run run;
  try {
    read_value(j, "", run);
  } catch (const ResultsError& e) {
    throw ResultsError(origin + ": " + e.what());
  }
  return run;
}

Run parse(const std::string& text, const std::string& origin) {
  json j;
  try {
    // The callback sees every value with its depth before the parser nests further: refusing there bounds the
    // recursion of everything that later walks or copies the tree.
    WidthLimit width;
    j = json::parse(text, [&width](int depth, json::parse_event_t event, json&) {
      if (depth > kMaxResultsDepth) throw TooDeep{};
      width(depth, event);
      return true;
    });
  } catch (const TooDeep&) {
    throw ResultsError(origin + ": nested more than " + std::to_string(kMaxResultsDepth) +
                       " levels deep; a results file needs fewer than 10");
  } catch (const TooWide& e) {
    throw ResultsError(origin + ": " + e.what + "; a results file needs a few hundred at most");
  } catch (const json::parse_error& e) {
    throw ResultsError(origin + ": not a results file (not valid JSON: " + plain(e) + ")");
  }
  return run_from_json(j, origin);
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
