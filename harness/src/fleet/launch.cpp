#include "fleet/launch.h"

#include "load/result_json.h"
#include "supervisor/process.h"
#include "util/duration.h"
#include "util/utf8.h"

#include <fmt/core.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bench::fleet {

namespace {

constexpr uintmax_t kMaxReportBytes = 16 << 20;  // a fleet report is a few hundred KB at most

std::string number(double value) { return fmt::format("{}", value); }

std::string seconds(Nanos value) {
  return fmt::format("{}ms", std::chrono::duration_cast<std::chrono::milliseconds>(value).count());
}

}  // namespace

std::vector<std::string> fleet_command(const FleetSpec& fleet, const load::Options& options,
                                       const std::filesystem::path& bench) {
  std::vector<std::string> argv;
  if (!fleet.launcher.empty()) {
    std::istringstream words(fleet.launcher);
    for (std::string word; words >> word;) argv.push_back(word);
  } else {
    argv = {"mpirun"};
    if (::geteuid() == 0) argv.push_back("--allow-run-as-root");
    // Open MPI 4.1's orted can segfault in hwloc_shmem_topology_write when the address hole it picks for sharing
    // the hardware topology runs into its own stack (seen in about one launch of three into a network namespace);
    // with no hole the daemon shares nothing and each rank reads the topology itself.
    argv.insert(argv.end(),
                {"--oversubscribe", "--mca", "rtc_hwloc_vmhole", "none", "-np", std::to_string(fleet.ranks)});
    if (!fleet.hosts.empty()) {
      std::string hosts;
      for (const auto& host : fleet.hosts) hosts += (hosts.empty() ? "" : ",") + host;
      argv.insert(argv.end(), {"--host", hosts});
    }
  }
  argv.insert(argv.end(), {bench.string(), "load", "--json", "-c", std::to_string(options.connections), "-t",
                           std::to_string(options.threads), "-d", seconds(options.duration), "--timeout",
                           seconds(options.timeout), "-R", number(options.rate), "--pipeline",
                           std::to_string(options.pipeline), "-m", options.request.method});
  if (options.warmup > Nanos::zero()) argv.insert(argv.end(), {"--warmup", seconds(options.warmup)});
  for (const auto& header : options.request.headers) argv.insert(argv.end(), {"-H", header});
  if (!options.request.body.empty()) argv.insert(argv.end(), {"--body", options.request.body});
  if (options.request.http2) argv.push_back("--http2");
  if (options.libcurl_exchange) argv.push_back("--libcurl-exchange");
  // Only when asked: a rank's bench that predates the flag keeps working for everything else.
  if (options.libcurl_connect) argv.push_back("--libcurl-connect");
  argv.push_back(options.request.url);
  return argv;
}

load::Result result_from_fleet_json(const nlohmann::json& json, const load::Options& options) {
  try {
    load::Result result = load::result_from_json(json);
    const int threads = result.options.threads;  // summed over the ranks
    result.options = options;
    result.options.threads = threads;
    if (!json.at("fleet").is_object()) throw std::runtime_error("no fleet section");
    return result;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the fleet's report cannot be read: ") + e.what());
  }
}

nlohmann::json fleet_report_from_output(const std::string& output) {
  const size_t begin = output.rfind("{\n", 0) == 0 ? 0 : output.find("\n{\n");
  const size_t end = output.rfind("\n}");
  if (begin != std::string::npos && end != std::string::npos && end > begin) {
    const size_t from = begin == 0 ? 0 : begin + 1;
    auto json = nlohmann::json::parse(output.substr(from, end + 2 - from), nullptr, false);
    if (!json.is_discarded() && json.is_object()) return json;
  }
  throw std::runtime_error("the fleet's report is not JSON: it starts '" +
                           util::valid_utf8(output.substr(0, std::min<size_t>(output.size(), 200))) + "'");
}

load::Result run_on_fleet(const FleetSpec& fleet, const load::Options& options, const std::filesystem::path& log,
                          const std::atomic<bool>* stop) {
  char self[4096] = {};
  const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
  const std::filesystem::path bench = length > 0 ? std::string(self, static_cast<size_t>(length)) : "bench";
  const auto report = std::filesystem::path(log.string() + ".json");
  std::string command;
  for (const auto& word : fleet_command(fleet, options, bench)) {
    std::string quoted = "'";
    for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    command += (command.empty() ? "" : " ") + quoted + "'";
  }
  supervisor::ProcessSpec spec;
  spec.argv = supervisor::shell_command(command + " > '" + report.string() + "'");
  spec.log = log;
  // The fleet's own deadline: warmup, window, drain (timeout) and a minute for mpirun to start and gather.
  const Nanos deadline = options.warmup + options.duration + options.timeout + std::chrono::minutes(1);
  const auto outcome = supervisor::run_to_completion(spec, deadline, stop);
  std::error_code ec;
  const auto size = std::filesystem::file_size(report, ec);
  if (ec || size == 0 || size > kMaxReportBytes) {
    throw std::runtime_error(fmt::format("the fleet gave no report (exit code {}{}); see {}", outcome.exit_code,
                                         outcome.timed_out ? ", timed out" : "", log.string()));
  }
  std::ifstream in(report, std::ios::binary);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json json;
  try {
    json = fleet_report_from_output(output);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + "; see " + report.string() + " and " + log.string());
  }
  auto result = result_from_fleet_json(json, options);
  result.interrupted = result.interrupted || outcome.interrupted;
  return result;
}

}  // namespace bench::fleet
