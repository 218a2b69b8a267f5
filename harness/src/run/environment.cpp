#include "run/environment.h"

#include "util/build_info.h"
#include "util/utf8.h"

#include <curl/curl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

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
  // The build's, as --version's: the commit this binary was built from, not the checkout's at run time.
  env.bench_version = util::bench_version();
  env.bench_commit = util::bench_commit();
  return env;
}

// Hand-written: nlohmann_json refuses invalid UTF-8 when parsing and fmt has no repair; the decoder is short.
std::string valid_utf8(std::string_view bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    int length = 0;
    char32_t min = 0;
    char32_t code = 0;
    if (b0 < 0x80) {
      out += static_cast<char>(b0);
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = b0 & 0x07;
    } else {
      out += kReplacement;
      ++i;
      continue;
    }
    int taken = 1;
    while (taken < length && i + taken < bytes.size() &&
           (static_cast<unsigned char>(bytes[i + taken]) & 0xC0) == 0x80) {
      code = (code << 6) | (static_cast<unsigned char>(bytes[i + taken]) & 0x3F);
      ++taken;
    }
    if (taken < length || code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      out += kReplacement;
      i += taken;  // skip the lead byte and the continuation bytes that belonged to it
      continue;
    }
    out.append(bytes.substr(i, length));
    i += length;
  }
  return out;
}

namespace {

// A name or value cut to kMaxVersionText bytes, never inside a UTF-8 sequence.
std::string capped(std::string text) {
  if (text.size() <= kMaxVersionText) return text;
  std::size_t cut = kMaxVersionText;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

}  // namespace

std::map<std::string, std::string> parse_versions(std::string_view output) {
  const std::string text = valid_utf8(output.substr(0, kMaxVersionsOutput));
  std::size_t end = text.size();
  while (end > 0) {
    const std::size_t start = text.rfind('\n', end - 1);
    const std::size_t from = start == std::string::npos ? 0 : start + 1;
    const std::string line = trim(text.substr(from, end - from));
    end = start == std::string::npos ? 0 : start;
    if (line.empty() || line.front() != '{') continue;
    // Depth-limited: a hostile line of nested brackets is refused, not recursed into.
    int depth = 0;
    bool too_deep = false;
    const auto parsed = nlohmann::json::parse(
        line,
        [&](int d, nlohmann::json::parse_event_t, nlohmann::json&) {
          depth = d;
          if (depth > 4) too_deep = true;
          return !too_deep;
        },
        false);
    if (too_deep || !parsed.is_object()) continue;
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : parsed.items()) {
      if (out.size() >= kMaxVersionEntries) break;
      if (value.is_string()) {
        out[capped(key)] = capped(value.get<std::string>());
      } else if (value.is_number() || value.is_boolean()) {
        out[capped(key)] = capped(value.dump());
      }
    }
    return out;
  }
  return {};
}

std::map<std::string, std::string> server_versions(const supervisor::ProcessSpec& spec, Nanos timeout,
                                                   const std::atomic<bool>* stop) {
  try {
    const auto outcome = supervisor::run_to_completion(spec, timeout, stop);
    if (!outcome.ok()) return {};
    std::ifstream in(spec.log, std::ios::binary);
    std::string output(kMaxVersionsOutput, '\0');
    in.read(output.data(), static_cast<std::streamsize>(output.size()));
    output.resize(static_cast<std::size_t>(in.gcount()));
    return parse_versions(output);
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace bench::run
