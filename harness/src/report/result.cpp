#include "report/result.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

namespace bench::report {
namespace {

using nlohmann::json;

// --- writing ---------------------------------------------------------------------------------------------

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json latency_json(const Latency& l) {
  json curve = json::array();
  for (const auto& [percentile, us] : l.curve) curve.push_back({percentile, us});
  return {{"mean_us", l.mean_us}, {"stdev_us", l.stdev_us}, {"min_us", l.min_us},   {"max_us", l.max_us},
          {"p50_us", l.p50_us},   {"p75_us", l.p75_us},     {"p90_us", l.p90_us},   {"p99_us", l.p99_us},
          {"p999_us", l.p999_us}, {"p9999_us", l.p9999_us}, {"curve", std::move(curve)}};
}

json errors_json(const Errors& e) {
  return {{"connect", e.connect}, {"read", e.read}, {"write", e.write}, {"timeout", e.timeout}, {"other", e.other}};
}

json cell_json(const Cell& c) {
  json codes = json::object();
  for (const auto& [code, count] : c.status_codes) codes[std::to_string(code)] = count;
  return {{"variant", c.variant},
          {"test", c.test},
          {"connections", c.connections},
          {"queries", c.queries},
          {"repeat", c.repeat},
          {"status", c.status},
          {"duration_s", c.duration_s},
          {"requests", c.requests},
          {"requests_per_sec", c.requests_per_sec},
          {"transfer_bytes_per_sec", c.transfer_bytes_per_sec},
          {"target_rate", c.target_rate},
          {"latency", latency_json(c.latency)},
          {"latency_uncorrected", c.latency_uncorrected ? latency_json(*c.latency_uncorrected) : json(nullptr)},
          {"errors", errors_json(c.errors)},
          {"status_codes", std::move(codes)},
          {"non_2xx_3xx", c.non_2xx_3xx},
          {"db_queries_per_request", optional_json(c.db_queries_per_request)},
          {"db_rows_per_request", optional_json(c.db_rows_per_request)},
          {"server_cpu_us_per_request", optional_json(c.server_cpu_us_per_request)},
          {"client_cpu_us_per_request", optional_json(c.client_cpu_us_per_request)},
          {"db_cpu_us_per_request", optional_json(c.db_cpu_us_per_request)},
          {"server_peak_rss_bytes", optional_json(c.server_peak_rss_bytes)},
          {"warnings", c.warnings},
          {"contention", c.contention ? json{{"others_cpu_share", c.contention->others_cpu_share},
                                             {"machine_busy_share", c.contention->machine_busy_share},
                                             {"steal_share", c.contention->steal_share},
                                             {"others_cpu_s", c.contention->others_cpu_s},
                                             {"own_cpu_s", c.contention->own_cpu_s},
                                             {"load_average_1m", c.contention->load_average_1m}}
                                      : json(nullptr)}};
}

json variant_json(const Variant& v) {
  json checks = json::array();
  for (const auto& c : v.checks) checks.push_back({{"test", c.test}, {"level", c.level}, {"message", c.message}});
  json out = {{"name", v.name},         {"status", v.status},       {"reason", v.reason},
              {"log_tail", v.log_tail}, {"log_file", v.log_file},   {"checks", std::move(checks)},
              {"build_seconds", v.build_seconds}, {"versions", v.versions}};
  if (!v.warnings.empty()) out["warnings"] = v.warnings;
  return out;
}

json environment_json(const Environment& e) {
  return {{"cpu_model", e.cpu_model},
          {"cores", e.cores},
          {"cpu_frequency_driver", e.cpu_frequency_driver},
          {"cpu_governor", e.cpu_governor},
          {"kernel", e.kernel},
          {"postgres_version", e.postgres_version},
          {"compiler", e.compiler},
          {"libcurl_version", e.libcurl_version},
          {"bench_version", e.bench_version},
          {"bench_commit", e.bench_commit},
          {"hostname", e.hostname},
          {"frameworks", e.frameworks},
          {"query_counts_unavailable", e.query_counts_unavailable}};
}

// --- reading: missing keys take the model's default, wrong types throw ----------------------------------------

template <typename T>
void read(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  out = it->get<T>();
}

template <typename T>
void read(const json& j, const char* key, std::optional<T>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  out = it->get<T>();
}

Latency latency_from_json(const json& j) {
  Latency l;
  read(j, "mean_us", l.mean_us);
  read(j, "stdev_us", l.stdev_us);
  read(j, "min_us", l.min_us);
  read(j, "max_us", l.max_us);
  read(j, "p50_us", l.p50_us);
  read(j, "p75_us", l.p75_us);
  read(j, "p90_us", l.p90_us);
  read(j, "p99_us", l.p99_us);
  read(j, "p999_us", l.p999_us);
  read(j, "p9999_us", l.p9999_us);
  if (auto it = j.find("curve"); it != j.end() && !it->is_null()) {
    for (const auto& point : *it) l.curve.emplace_back(point.at(0).get<double>(), point.at(1).get<double>());
  }
  return l;
}

Errors errors_from_json(const json& j) {
  Errors e;
  read(j, "connect", e.connect);
  read(j, "read", e.read);
  read(j, "write", e.write);
  read(j, "timeout", e.timeout);
  read(j, "other", e.other);
  return e;
}

Cell cell_from_json(const json& j) {
  Cell c;
  read(j, "variant", c.variant);
  read(j, "test", c.test);
  read(j, "connections", c.connections);
  read(j, "queries", c.queries);
  read(j, "repeat", c.repeat);
  read(j, "status", c.status);
  read(j, "duration_s", c.duration_s);
  read(j, "requests", c.requests);
  read(j, "requests_per_sec", c.requests_per_sec);
  read(j, "transfer_bytes_per_sec", c.transfer_bytes_per_sec);
  read(j, "target_rate", c.target_rate);
  if (auto it = j.find("latency"); it != j.end() && !it->is_null()) c.latency = latency_from_json(*it);
  if (auto it = j.find("latency_uncorrected"); it != j.end() && !it->is_null()) {
    c.latency_uncorrected = latency_from_json(*it);
  }
  if (auto it = j.find("errors"); it != j.end() && !it->is_null()) c.errors = errors_from_json(*it);
  if (auto it = j.find("status_codes"); it != j.end() && !it->is_null()) {
    for (const auto& [code, count] : it->items()) c.status_codes[std::stoi(code)] = count.get<uint64_t>();
  }
  read(j, "non_2xx_3xx", c.non_2xx_3xx);
  read(j, "db_queries_per_request", c.db_queries_per_request);
  read(j, "db_rows_per_request", c.db_rows_per_request);
  read(j, "server_cpu_us_per_request", c.server_cpu_us_per_request);
  read(j, "client_cpu_us_per_request", c.client_cpu_us_per_request);
  read(j, "db_cpu_us_per_request", c.db_cpu_us_per_request);
  read(j, "server_peak_rss_bytes", c.server_peak_rss_bytes);
  read(j, "warnings", c.warnings);
  if (auto it = j.find("contention"); it != j.end() && it->is_object()) {
    Contention k;
    read(*it, "others_cpu_share", k.others_cpu_share);
    read(*it, "machine_busy_share", k.machine_busy_share);
    read(*it, "steal_share", k.steal_share);
    read(*it, "others_cpu_s", k.others_cpu_s);
    read(*it, "own_cpu_s", k.own_cpu_s);
    read(*it, "load_average_1m", k.load_average_1m);
    c.contention = k;
  }
  return c;
}

Variant variant_from_json(const json& j) {
  Variant v;
  read(j, "name", v.name);
  read(j, "status", v.status);
  read(j, "reason", v.reason);
  read(j, "log_tail", v.log_tail);
  read(j, "log_file", v.log_file);
  read(j, "build_seconds", v.build_seconds);
  read(j, "versions", v.versions);
  read(j, "warnings", v.warnings);
  if (auto it = j.find("checks"); it != j.end() && !it->is_null()) {
    for (const auto& check : *it) {
      Check c;
      read(check, "test", c.test);
      read(check, "level", c.level);
      read(check, "message", c.message);
      v.checks.push_back(std::move(c));
    }
  }
  return v;
}

Environment environment_from_json(const json& j) {
  Environment e;
  read(j, "cpu_model", e.cpu_model);
  read(j, "cores", e.cores);
  read(j, "cpu_frequency_driver", e.cpu_frequency_driver);
  read(j, "cpu_governor", e.cpu_governor);
  read(j, "kernel", e.kernel);
  read(j, "postgres_version", e.postgres_version);
  read(j, "compiler", e.compiler);
  read(j, "libcurl_version", e.libcurl_version);
  read(j, "bench_version", e.bench_version);
  read(j, "bench_commit", e.bench_commit);
  read(j, "hostname", e.hostname);
  read(j, "frameworks", e.frameworks);
  read(j, "query_counts_unavailable", e.query_counts_unavailable);
  return e;
}

void check_schema(const json& j, const std::string& origin) {
  if (!j.is_object() || !j.contains("cells") || !j.contains("schema_version")) {
    throw ResultsError(origin + ": not a bench results file (expected an object with schema_version and cells)");
  }
  const json& version = j.at("schema_version");
  if (!version.is_number_integer() || version.get<int>() != kSchemaVersion) {
    throw ResultsError(origin + ": unknown schema_version " + version.dump() + " (this bench reads version " +
                       std::to_string(kSchemaVersion) + ")");
  }
}

void throw_errno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

json to_json(const Run& run) {
  json variants = json::array();
  for (const auto& v : run.variants) variants.push_back(variant_json(v));
  json cells = json::array();
  for (const auto& c : run.cells) cells.push_back(cell_json(c));
  json out = {{"schema_version", run.schema_version},
          {"scenario_name", run.scenario_name},
          {"scenario", run.scenario},
          {"environment", environment_json(run.environment)},
          {"started_at", run.started_at},
          {"finished_at", run.finished_at},
          {"status", run.status},
          {"variants", std::move(variants)},
          {"cells", std::move(cells)}};
  if (!run.placement.is_null()) out["placement"] = run.placement;  // only when something was pinned
  return out;
}

Run run_from_json(const json& j, const std::string& origin) {
  check_schema(j, origin);
  try {
    Run run;
    read(j, "schema_version", run.schema_version);
    read(j, "scenario_name", run.scenario_name);
    if (auto it = j.find("scenario"); it != j.end()) run.scenario = *it;
    if (auto it = j.find("environment"); it != j.end() && !it->is_null()) {
      run.environment = environment_from_json(*it);
    }
    if (auto it = j.find("placement"); it != j.end() && it->is_object()) run.placement = *it;
    read(j, "started_at", run.started_at);
    read(j, "finished_at", run.finished_at);
    read(j, "status", run.status);
    if (auto it = j.find("variants"); it != j.end() && !it->is_null()) {
      for (const auto& v : *it) run.variants.push_back(variant_from_json(v));
    }
    for (const auto& c : j.at("cells")) run.cells.push_back(cell_from_json(c));
    return run;
  } catch (const json::exception& e) {
    throw ResultsError(origin + ": malformed results file: " + e.what());
  } catch (const std::logic_error& e) {  // std::stoi on a status code key
    throw ResultsError(origin + ": malformed results file: " + e.what());
  }
}

Run load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultsError(path.string() + ": cannot open results file (missing or unreadable)");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw ResultsError(path.string() + ": not a results file (not JSON: " + e.what() + ")");
  }
  return run_from_json(j, path.string());
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
  if (::fsync(fd) != 0 || ::close(fd) != 0) throw_errno("cannot flush " + tmp.string());
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
