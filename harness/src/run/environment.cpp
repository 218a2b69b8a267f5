#include "run/environment.h"

#include "util/utf8.h"

#include <curl/curl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#ifndef BENCH_VERSION
#define BENCH_VERSION "dev"
#endif
#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

namespace bench::run {

namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return util::valid_utf8(trim(line.substr(colon + 1)));
    }
  }
  return "";
}

// cpufreq's driver and governor for cpu0 ("intel_pstate", "powersave"); empty where the kernel exposes none (many
// VMs). A different driver or governor changes clock speeds and so the figures.
std::string cpufreq(const char* file) {
  std::ifstream in(std::string("/sys/devices/system/cpu/cpu0/cpufreq/") + file);
  std::string line;
  std::getline(in, line);
  return util::valid_utf8(trim(line));
}

std::string kernel() {
  utsname u{};
  if (uname(&u) != 0) return "";
  return std::string(u.sysname) + " " + u.release;  // uname -sr, as docs/results.md says
}

std::string hostname() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0) return "";
  return util::valid_utf8(buf.data());
}

// Versions of the Debian packages behind the servers (one dpkg-query call; missing packages are left out).
std::map<std::string, std::string> framework_versions() {
  static const char* kPackages[][2] = {
      {"python3", "python3"},          {"fastapi", "python3-fastapi"},
      {"uvicorn", "python3-uvicorn"},  {"uvloop", "python3-uvloop"},
      {"httptools", "python3-httptools"}, {"sqlalchemy", "python3-sqlalchemy"},
      {"asyncpg", "python3-asyncpg"},  {"go", "golang-go"},
      {"gin", "golang-github-gin-gonic-gin-dev"}, {"pgx", "golang-github-jackc-pgx-v4-dev"},
  };
  std::string command = "dpkg-query -W -f='${Package} ${Version}\\n'";
  for (const auto& p : kPackages) command += std::string(" ") + p[1];
  command += " 2>/dev/null";
  std::map<std::string, std::string> by_package;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 512> buf{};
    while (fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) {
      std::istringstream line(buf.data());
      std::string name, version;
      if (line >> name >> version) by_package[name] = version;
    }
    pclose(pipe);
  }
  std::map<std::string, std::string> out;
  for (const auto& p : kPackages) {
    const auto it = by_package.find(p[1]);
    if (it != by_package.end()) out[p[0]] = it->second;
  }
  return out;
}

}  // namespace

std::string first_line_of(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>/dev/null").c_str(), "r"), pclose);
  if (!pipe) return "";
  std::array<char, 512> buf{};
  if (fgets(buf.data(), static_cast<int>(buf.size()), pipe.get()) == nullptr) return "";
  return util::valid_utf8(trim(buf.data()));  // command output: valid UTF-8 at capture (util/utf8.h)
}

report::Environment collect_environment() {
  report::Environment env;
  env.cpu_model = cpu_model();
  env.cores = static_cast<int>(std::thread::hardware_concurrency());
  env.cpu_frequency_driver = cpufreq("scaling_driver");
  env.cpu_governor = cpufreq("scaling_governor");
  env.kernel = kernel();
  env.hostname = hostname();
#if defined(__clang__)
  env.compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  env.compiler = std::string("gcc ") + __VERSION__;
#endif
  env.libcurl_version = curl_version_info(CURLVERSION_NOW)->version;
  env.bench_version = BENCH_VERSION;
  env.bench_commit = first_line_of(std::string("git -C '") + BENCH_SOURCE_DIR + "' rev-parse --short HEAD");
  if (!env.bench_commit.empty() &&
      !first_line_of(std::string("git -C '") + BENCH_SOURCE_DIR + "' status --porcelain --untracked-files=no").empty())
    env.bench_commit += "-dirty";
  env.frameworks = framework_versions();
  return env;
}

}  // namespace bench::run
