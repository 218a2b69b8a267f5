#pragma once
// Is a server ready? A real HTTP GET in a loop until it answers 2xx/3xx or the deadline passes, never a fixed
// sleep standing in for readiness. Also: picking a free loopback port.

#include <atomic>
#include <string>

#include "supervisor/process.h"
#include "util/address.h"
#include "util/duration.h"

namespace bench::supervisor {

// Time between attempts: short, so readiness costs at most this much beyond the server's real start-up time.
inline constexpr auto kReadinessPollInterval = std::chrono::milliseconds(50);

struct Readiness {
  bool ready = false;
  // Why not ready: process exit, stop, or at the deadline what the last probe got ("HTTP 404", "connection
  // refused", "timeout: no answer within 2s"). A final probe cut short by the deadline does not hide an earlier one.
  std::string reason;
  Nanos waited{0};
};

// GETs `url` (libcurl, no proxy, no redirects followed) until a 2xx/3xx answer or `timeout`. Fails early, saying
// so in `reason`, when `process` (may be null) exits or *stop (may be null) becomes true.
Readiness wait_ready(const std::string& url, Nanos timeout, Process* process = nullptr,
                     const std::atomic<bool>* stop = nullptr);

// A port that was free on `address` a moment ago (bind to port 0, read it, close). Another process may still
// take it before the caller binds it; callers that can retry on "address in use" should.
int free_port(const util::IpAddress& address = util::loopback_ipv4());

}  // namespace bench::supervisor
