#include "supervisor/readiness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>

namespace bench::supervisor {

namespace {

using Clock = std::chrono::steady_clock;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

constexpr long kProbeTimeoutMs = 2000;  // one probe's limit; a server that accepts but never answers shows as such

// One GET. `ok` when the answer is 2xx/3xx, else `got` says what the probe got in words a person can act on.
// `cut_short` marks a probe that timed out only because the overall deadline left it less than its own limit: it
// says nothing about the server, so the previous probe's outcome is the one to report.
struct ProbeOutcome {
  bool ok = false;
  std::string got;
  bool cut_short = false;
};

ProbeOutcome probe_once(CURL* curl, Nanos budget) {
  const long ms = std::max<long>(1, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(budget).count()));
  const long limit = std::min(ms, kProbeTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, limit);
  const CURLcode code = curl_easy_perform(curl);
  ProbeOutcome outcome;
  switch (code) {
    case CURLE_OK: break;
    case CURLE_COULDNT_CONNECT: {
      long os_error = 0;
      curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_error);
      outcome.got = os_error == ECONNREFUSED ? "connection refused (nothing listens on that port yet)"
                                             : std::string("could not connect: ") + std::strerror(static_cast<int>(os_error));
      return outcome;
    }
    case CURLE_OPERATION_TIMEDOUT:
      outcome.got = "timeout: no answer within " + format_duration(std::chrono::milliseconds(limit));
      outcome.cut_short = limit < kProbeTimeoutMs;
      return outcome;
    case CURLE_GOT_NOTHING: outcome.got = "the connection was closed without an answer"; return outcome;
    default: outcome.got = curl_easy_strerror(code); return outcome;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  outcome.ok = status >= 200 && status < 400;
  if (!outcome.ok) {
    outcome.got = "HTTP " + std::to_string(status);
    if (status == 404) outcome.got += " (is the ready path right?)";
  }
  return outcome;
}

}  // namespace

Readiness wait_ready(const std::string& url, Nanos timeout, Process* process, const std::atomic<bool>* stop) {
  const auto started = Clock::now();
  const auto deadline = started + timeout;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, 1000L);

  Readiness result;
  std::string last_error = "no probe was made";
  int probes = 0;
  const auto finish = [&](bool ready, std::string reason) {
    result.ready = ready;
    result.reason = std::move(reason);
    result.waited = Clock::now() - started;
    return result;
  };
  while (true) {
    if (stop != nullptr && stop->load()) return finish(false, "stop requested while waiting for " + url);
    if (process != nullptr) {
      if (const auto code = process->exit_code())
        return finish(false, "process exited with code " + std::to_string(*code) + " before " + url + " answered");
    }
    const auto now = Clock::now();
    if (now >= deadline)
      return finish(false, "no answer within " + format_duration(timeout) + ": " + url + ": the last of " +
                               std::to_string(probes) + " probe" + (probes == 1 ? "" : "s") + " got " + last_error);
    const auto outcome = probe_once(curl.get(), deadline - now);
    ++probes;
    if (outcome.ok) return finish(true, "");
    if (!outcome.cut_short || probes == 1) last_error = outcome.got;
    const auto pause = std::min<Nanos>(kReadinessPollInterval, deadline - Clock::now());
    if (pause > Nanos::zero()) std::this_thread::sleep_for(pause);
  }
}

int free_port(const util::IpAddress& address) {
  const int fd = ::socket(address.v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  socklen_t length = 0;
  sockaddr_storage storage = address.socket_address(0, &length);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("finding a free port on " + address.text + ": " + std::strerror(error));
  }
  ::close(fd);
  return address.v6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port)
                    : ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
}

}  // namespace bench::supervisor
