#include "load/engine.h"

#include "load/http1.h"
#include "load/process.h"
#include "load/worker.h"
#include "util/errors.h"
#include "util/number.h"

#include <curl/curl.h>
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>
#include <sys/resource.h>

namespace bench::load {

namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

// Checks the URL with libcurl's own parser, so what passes here is what the workers will fetch.
void validate_url(const std::string& url) {
  const auto fail = [&](const std::string& why) {
    throw UsageError("URL: invalid URL '" + url + "': " + why + " (expected http://host[:port]/path)");
  };
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), &curl_url_cleanup);
  if (!handle) throw std::runtime_error("curl_url failed");
  const auto authority_start = url.find("://");
  if (authority_start == std::string::npos) fail("no scheme");
  // libcurl reads "http:///x" as host "x" (it forgives a third slash); a URL whose authority is empty has no host.
  const std::string authority = url.substr(authority_start + 3, url.find_first_of("/?#", authority_start + 3) -
                                                                     (authority_start + 3));
  const auto at = authority.rfind('@');
  if ((at == std::string::npos ? authority : authority.substr(at + 1)).empty()) fail("no host");
  if (curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) fail("cannot be parsed");
  char* scheme = nullptr;
  curl_url_get(handle.get(), CURLUPART_SCHEME, &scheme, 0);
  const std::string scheme_text = scheme ? scheme : "";
  curl_free(scheme);
  if (scheme_text != "http" && scheme_text != "https") fail("scheme must be http or https");
  char* host = nullptr;
  const bool has_host = curl_url_get(handle.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK && host && *host;
  curl_free(host);
  if (!has_host) fail("no host");
}

void validate_header(const std::string& header) {
  const auto colon = header.find(':');
  const bool bad_name = colon == std::string::npos || colon == 0 ||
                        header.find_first_of(" \t\r\n") < colon || header.find_first_of("\r\n") != std::string::npos;
  if (bad_name) throw UsageError("--header: malformed header '" + header + "' (expected \"Name: value\")");
}

long hard_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max == RLIM_INFINITY) return 1 << 20;
  return static_cast<long>(limit.rlim_max);
}

}  // namespace

void validate(const Options& options) {
  validate_url(options.request.url);
  if (options.threads < 1) throw UsageError("--threads: must be at least 1");
  if (options.threads > kMaxThreads)
    throw UsageError("--threads: must be at most " + std::to_string(kMaxThreads) + " (each thread costs memory)");
  if (options.connections < options.threads)
    throw UsageError("--connections: must be at least --threads (" + std::to_string(options.threads) + ")");
  const long sockets = hard_file_limit() - 32;  // stdio, epoll sets, libcurl's own
  if (options.connections > sockets)
    throw UsageError("--connections: " + std::to_string(options.connections) +
                     " exceeds the open-file limit (ulimit -Hn allows about " + std::to_string(sockets) + ")");
  const std::string at_most = " (" + format_duration(kMaxPhase) + ")";
  if (options.duration <= Nanos::zero()) throw UsageError("--duration: must be greater than zero");
  if (options.duration > kMaxPhase) throw UsageError("--duration: must be at most one year" + at_most);
  if (options.warmup < Nanos::zero()) throw UsageError("--warmup: must not be negative");
  if (options.warmup > kMaxPhase) throw UsageError("--warmup: must be at most one year" + at_most);
  if (options.timeout <= Nanos::zero()) throw UsageError("--timeout: must be greater than zero");
  if (options.timeout > kMaxPhase) throw UsageError("--timeout: must be at most one year" + at_most);
  if (options.connect_timeout < std::chrono::milliseconds(1) || options.connect_timeout > kMaxPhase)
    throw UsageError("--connect-timeout: must be between 1ms and one year" + at_most);
  if (!std::isfinite(options.rate) || options.rate < 0) throw UsageError("--rate: must be a non-negative number");
  if (options.rate > kMaxRate)
    throw UsageError(fmt::format("--rate: {} requests/s is above the most the load engine schedules, 100M "
                                 "requests/s (1e8)", options.rate));
  if (options.rate > 0 && options.rate < kMinRate)
    throw UsageError(fmt::format("--rate: {} requests/s is below the least the load engine schedules, 0.001 "
                                 "requests/s (one every 1000 s); 0 means closed loop", options.rate));
  // One connection's interval between sends (connections * pipeline / rate) must fit the clock: at most a year.
  if (options.rate > 0 &&
      static_cast<double>(options.connections) * options.pipeline / options.rate > to_seconds(kMaxPhase))
    throw UsageError(fmt::format("--rate: at {} requests/s each of {} connections would wait more than a year "
                                 "between sends", options.rate, options.connections));
  if (options.pipeline < 1 || options.pipeline > kMaxPipeline)
    throw UsageError("--pipeline: must be between 1 and " + std::to_string(kMaxPipeline));
  if (options.pipeline > 1 && !direct_exchange_possible(options))
    throw UsageError("--pipeline: needs the direct exchange (http://, without --http2 or --libcurl-exchange)");
  const auto& method = options.request.method;
  if (method.empty() || method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_") != std::string::npos)
    throw UsageError("--method: invalid method '" + method + "'");
  for (const auto& header : options.request.headers) validate_header(header);
  if (options.latency_correction != LatencyCorrection::none && options.rate > 0)
    throw UsageError("--latency-correction: wrk's correction is for closed-loop runs; with --rate latencies are "
                     "measured from intended send times already");
}

void Result::merge(const Result& other) {
  elapsed = std::max(elapsed, other.elapsed);
  requests += other.requests;
  drained_requests += other.drained_requests;
  bytes_read += other.bytes_read;
  errors.connect += other.errors.connect;
  errors.read += other.errors.read;
  errors.write += other.errors.write;
  errors.timeout += other.errors.timeout;
  errors.other += other.errors.other;
  owed.unsent += other.owed.unsent;
  owed.unanswered += other.owed.unanswered;
  for (const auto& [status, count] : other.status_codes) status_codes[status] += count;
  non_2xx_3xx += other.non_2xx_3xx;
  latency.merge(other.latency);
  latency_uncorrected.merge(other.latency_uncorrected);
  thread_rps.merge(other.thread_rps);
  interrupted = interrupted || other.interrupted;
  client_cpu_seconds += other.client_cpu_seconds;
  // Every connection of both was up only if each had all of its own up; then the later of the two ramps.
  connected_after = connected_after && other.connected_after
                        ? std::optional<Nanos>(std::max(*connected_after, *other.connected_after))
                        : std::nullopt;
  connected += other.connected;
}

double Result::requests_per_second() const {
  const double seconds = to_seconds(elapsed);
  return seconds > 0 ? static_cast<double>(requests) / seconds : 0.0;
}

double Result::bytes_per_second() const {
  const double seconds = to_seconds(elapsed);
  return seconds > 0 ? static_cast<double>(bytes_read) / seconds : 0.0;
}

double Result::achieved_rate_ratio() const {
  return options.rate > 0 ? requests_per_second() / options.rate : 0.0;
}

namespace {

// Splits connections across threads as evenly as possible (the first ones get the remainder).
std::vector<std::unique_ptr<Worker>> make_workers(const Options& options, const Target& target) {
  std::vector<std::unique_ptr<Worker>> workers;
  int first = 0;
  for (int t = 0; t < options.threads; ++t) {
    const int share = options.connections / options.threads + (t < options.connections % options.threads ? 1 : 0);
    workers.push_back(std::make_unique<Worker>(options, share, first, target));
    first += share;
  }
  return workers;
}

uint64_t phase_requests(const std::vector<std::unique_ptr<Worker>>& workers) {
  uint64_t total = 0;
  for (const auto& worker : workers) total += worker->phase_requests();
  return total;
}

uint64_t connected(const std::vector<std::unique_ptr<Worker>>& workers) {
  uint64_t total = 0;
  for (const auto& worker : workers) total += worker->connected();
  return total;
}

// Adds up what the workers measured.
void merge(const std::vector<std::unique_ptr<Worker>>& workers, const Phases& phases, Result& result) {
  Clock::time_point stopped = phases.measure_start;
  Clock::time_point all_connected = phases.start;
  std::array<uint64_t, 600> statuses{};
  for (const auto& worker : workers) {
    const WorkerTotals& totals = worker->totals();
    result.requests += totals.requests;
    result.drained_requests += totals.drained;
    result.bytes_read += totals.bytes_read;
    result.errors.connect += totals.errors.connect;
    result.errors.read += totals.errors.read;
    result.errors.write += totals.errors.write;
    result.errors.timeout += totals.errors.timeout;
    result.errors.other += totals.errors.other;
    result.owed.unsent += totals.owed.unsent;
    result.owed.unanswered += totals.owed.unanswered;
    result.non_2xx_3xx += totals.non_2xx_3xx;
    for (size_t s = 0; s < statuses.size(); ++s) statuses[s] += totals.status_codes[s];
    result.latency.merge(totals.latency);
    result.latency_uncorrected.merge(totals.latency_uncorrected);
    result.thread_rps.merge(totals.thread_rps);
    result.client_cpu_seconds += totals.cpu_seconds;
    stopped = std::max(stopped, totals.stopped);
    result.connected += worker->connected();
    all_connected = std::max(all_connected, worker->last_first_connect());
  }
  if (result.connected == static_cast<uint64_t>(result.options.connections))
    result.connected_after = std::chrono::duration_cast<Nanos>(all_connected - phases.start);
  for (size_t s = 0; s < statuses.size(); ++s)
    if (statuses[s]) result.status_codes[static_cast<int>(s)] = statuses[s];
  result.elapsed = std::chrono::duration_cast<Nanos>(stopped - phases.measure_start);
}

}  // namespace

Result run(const Options& options, const std::atomic<bool>* stop,
           const std::function<void(const Progress&)>& on_progress) {
  validate(options);
  prepare_process();
  Result result;
  result.options = options;
  // Resolved once, before any thread starts, for the connections bench opens itself (target.h).
  const Target target = own_connect_possible(options) ? resolve_target(options.request.url) : Target{};
  auto workers = make_workers(result.options, target);  // the workers keep references to result.options and target

  Phases phases;
  phases.start = Clock::now();
  phases.measure_start = phases.start + std::chrono::duration_cast<Clock::duration>(options.warmup);
  phases.end = phases.measure_start + std::chrono::duration_cast<Clock::duration>(options.duration);
  std::atomic<bool> stop_workers{false};
  std::atomic<size_t> running{workers.size()};
  std::vector<std::jthread> threads;
  for (auto& worker : workers) {
    threads.emplace_back([&worker, &phases, &stop_workers, &running] {
      worker->run(phases, stop_workers);
      --running;
    });
  }

  // The calling thread only watches: progress about 4 times a second, and the caller's stop flag.
  auto next_tick = phases.start + kProgressInterval;
  uint64_t last_requests = 0;
  bool last_warmup = options.warmup > Nanos::zero();
  auto last_tick = phases.start;
  while (Clock::now() < phases.end) {
    if (stop && stop->load()) {
      result.interrupted = true;
      break;
    }
    std::this_thread::sleep_until(std::min(next_tick, phases.end));
    const auto now = Clock::now();
    if (now < next_tick) continue;
    next_tick += kProgressInterval;
    if (!on_progress) continue;
    const bool warmup = now < phases.measure_start;
    const uint64_t requests = phase_requests(workers);
    const uint64_t delta = warmup == last_warmup && requests >= last_requests ? requests - last_requests : requests;
    const double seconds = std::chrono::duration<double>(now - last_tick).count();
    on_progress(Progress{std::chrono::duration_cast<Nanos>(now - (warmup ? phases.start : phases.measure_start)),
                         warmup, requests, seconds > 0 ? static_cast<double>(delta) / seconds : 0.0,
                         connected(workers)});
    last_requests = requests;
    last_warmup = warmup;
    last_tick = now;
  }
  if (result.interrupted) stop_workers = true;  // otherwise each worker stops at phases.end by itself
  // Draining (Options::drain) can take up to the timeout: the caller's stop flag still cuts it short.
  while (options.drain && running.load() > 0 && !stop_workers.load()) {
    if (stop && stop->load()) stop_workers = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  threads.clear();  // joins
  merge(workers, phases, result);
  if (options.latency_correction == LatencyCorrection::wrk) {
    const auto runtime_us = std::chrono::duration_cast<std::chrono::microseconds>(result.elapsed).count();
    result.latency = wrk_corrected(result.latency, wrk_expected_interval_us(runtime_us, result.requests,
                                                                             options.connections));
  }
  return result;
}

}  // namespace bench::load
