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

// One GET. Returns an empty string when the answer is 2xx/3xx, else the reason it is not.
std::string probe_once(CURL* curl, Nanos budget) {
  const auto ms = std::max<long>(1, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(budget).count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, std::min(ms, 2000L));
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) return curl_easy_strerror(code);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 400) return {};
  return "HTTP " + std::to_string(status);
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
  std::string last_error = "no attempt made";
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
      return finish(false, "not ready after " + format_duration(timeout) + ": " + url + ": " + last_error);
    last_error = probe_once(curl.get(), deadline - now);
    if (last_error.empty()) return finish(true, "");
    const auto pause = std::min<Nanos>(kReadinessPollInterval, deadline - Clock::now());
    if (pause > Nanos::zero()) std::this_thread::sleep_for(pause);
  }
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error(std::string("finding a free port: ") + std::strerror(error));
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace bench::supervisor
