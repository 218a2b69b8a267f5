// bench load URL: wrk's flags and output on the load engine, plus rate mode, methods and bodies, HTTP/2, JSON.
#include "cli/commands.h"
#include "fleet/fleet.h"
#include "load/engine.h"
#include "load/outcome.h"
#include "load/result_json.h"
#include "load/wrk_output.h"
#include "topology/affinity.h"
#include "util/duration.h"
#include "util/errors.h"
#include "util/number.h"

#include <fmt/core.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace bench::cli {

namespace {

// Set by SIGINT/SIGTERM; the engine polls it and returns what it measured so far. A global because a signal
// handler can reach nothing else.
std::atomic<bool> g_stop_requested{false};

void request_stop(int) { g_stop_requested = true; }

struct LoadFlags {
  std::string url;
  std::string connections = "10";
  std::string threads = "2";
  std::string duration = "10s";
  std::vector<std::string> headers;
  std::string timeout = "2s";
  bool latency = false;
  std::string rate = "0";
  std::string method = "GET";
  std::string body;
  bool http2 = false;
  bool libcurl_exchange = false;
  bool libcurl_connect = false;
  std::string pipeline = "1";
  bool json = false;
  std::string warmup = "0s";
  std::string connect_timeout = "5s";
  bool insecure = false;
  std::string latency_correction = "none";
  std::string cpus;  // --cpus: empty = not pinned
  bool no_fail = false;  // --no-fail: exit 0 whatever was measured, as wrk
};

Nanos duration_flag(const std::string& flag, const std::string& text) {
  try {
    return parse_duration(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(flag + ": " + e.what());
  }
}

// A count as wrk reads it: a number with an optional SI suffix ("10", "1k", "1.5M"), util/number.h.
double count_flag(const std::string& flag, const std::string& text) {
  try {
    return parse_count(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(flag + ": " + e.what());
  }
}

double rate_flag(const std::string& flag, const std::string& text) {
  try {
    return parse_rate(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(flag + ": " + e.what());
  }
}

int int_flag(const std::string& flag, const std::string& text) {
  const double value = count_flag(flag, text);
  if (value != std::floor(value) || value < 0 || value > 1e7) throw UsageError(flag + ": '" + text + "' is not a whole number in range");
  return static_cast<int>(value);
}

load::Options to_options(const LoadFlags& flags) {
  load::Options options;
  options.request.url = flags.url;
  options.request.method = flags.method;
  options.request.headers = flags.headers;
  options.request.body = flags.body;
  options.request.http2 = flags.http2;
  options.libcurl_exchange = flags.libcurl_exchange;
  options.libcurl_connect = flags.libcurl_connect;
  options.pipeline = int_flag("--pipeline", flags.pipeline);
  options.connections = int_flag("--connections", flags.connections);
  options.threads = int_flag("--threads", flags.threads);
  options.duration = duration_flag("--duration", flags.duration);
  options.warmup = duration_flag("--warmup", flags.warmup);
  options.timeout = duration_flag("--timeout", flags.timeout);
  options.connect_timeout = duration_flag("--connect-timeout", flags.connect_timeout);
  options.insecure = flags.insecure;
  options.latency_correction = load::parse_latency_correction(flags.latency_correction);
  options.rate = rate_flag("--rate", flags.rate);
  if (!flags.body.empty() && flags.method == "GET") options.request.method = "POST";  // as curl does with -d
  load::validate(options);
  return options;
}

// A one-line live counter on stderr when it is a terminal (wrk prints nothing while running; neither do pipes).
// With the connections established so far (all of them once the ramp is over).
void show_progress(const load::Progress& progress, int connections) {
  fmt::print(stderr, "\r  {} {:>6.1f}s  {:>10.0f} req/s  {:>10} requests  {}/{} connected ",
             progress.warmup ? "warmup " : "running", to_seconds(progress.elapsed), progress.recent_rps,
             progress.requests, progress.connected, connections);
}

int run_load(const LoadFlags& flags) {
  const load::Options options = to_options(flags);
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // --cpus: the engine's threads inherit this thread's CPUs. Under mpirun: one rank of a fleet (fleet/fleet.h).
  const topology::ScopedThreadAffinity pinned(topology::cpus_flag("--cpus", flags.cpus));
  if (fleet::launched_by_mpirun()) return fleet::run_fleet_load(options, {flags.json, flags.latency}, &g_stop_requested);

  const std::string header = load::format_wrk_header(options);
  if (!flags.json) {
    fmt::print("{}", header);
    std::fflush(stdout);
  }
  const bool live = !flags.json && isatty(STDERR_FILENO);
  const auto result = load::run(options, &g_stop_requested,
                                live ? std::function<void(const load::Progress&)>([&](const load::Progress& progress) {
                                  show_progress(progress, options.connections);
                                })
                                     : nullptr);
  if (live) fmt::print(stderr, "\r{:80}\r", "");
  if (flags.json) {
    fmt::print("{}\n", load::result_to_json(result).dump(2));
  } else {
    fmt::print("{}", load::format_wrk(result, flags.latency).substr(header.size()));
  }
  if (result.interrupted) return exit_code::interrupted;
  const std::string failure = load::failure_reason(result);
  if (failure.empty() || flags.no_fail) return exit_code::ok;
  fmt::print(stderr, "bench load: {} (--no-fail exits 0 anyway, as wrk)\n", failure);
  return exit_code::failure;
}

}  // namespace

Command setup_load(CLI::App& app) {
  auto flags = std::make_shared<LoadFlags>();
  auto* sub = app.add_subcommand("load", "Load-test one URL with wrk's flags and output (plus -R for a constant rate)");
  sub->add_option("url", flags->url, "URL to load, e.g. http://127.0.0.1:8080/json")->required();
  sub->add_option("-c,--connections", flags->connections, "Connections to keep open (total); SI units allowed: 1k")->capture_default_str();
  sub->add_option("-t,--threads", flags->threads, "Number of threads to use")->capture_default_str();
  sub->add_option("-d,--duration", flags->duration, "Duration of the test: 10s, 2m, 1h")->capture_default_str();
  sub->add_option("-H,--header", flags->headers, "Add a header to each request: \"Name: value\" (repeatable)");
  sub->add_option("--timeout", flags->timeout, "Request timeout from its first byte sent, counted as a timeout error")
      ->capture_default_str();
  sub->add_option("--connect-timeout", flags->connect_timeout,
                  "Connect timeout (not counting the wait for a connect slot), counted as a connect error")
      ->capture_default_str();
  sub->add_flag("-k,--insecure", flags->insecure, "https: accept any certificate (a self-signed test server)");
  sub->add_option("--latency-correction", flags->latency_correction,
                  "Latency statistics: none (as measured) or wrk (wrk 4.1's synthetic samples, closed loop only; "
                  "docs/load.md)")->capture_default_str();
  sub->add_flag("--latency", flags->latency, "Print the latency distribution (50/75/90/99%)");
  sub->add_option("-R,--rate", flags->rate,
                  "Constant total rate in requests/s (open loop, latency from intended send time); 0 = as fast as "
                  "possible; SI units allowed: 20k")->capture_default_str();
  sub->add_option("-m,--method", flags->method, "HTTP method")->capture_default_str();
  sub->add_option("--body", flags->body, "Request body (POST unless -m says otherwise)");
  sub->add_flag("--http2", flags->http2, "HTTP/2 over cleartext with prior knowledge (h2c), one stream per connection");
  sub->add_flag("--libcurl-exchange", flags->libcurl_exchange,
                "Let libcurl do every request/response exchange, not only the connecting (always so for https:// and "
                "--http2); costs 2-3x the CPU per request (docs/performance.md)");
  sub->add_flag("--libcurl-connect", flags->libcurl_connect,
                "Let libcurl open the connections of plain http:// (bench connects itself by default, as wrk), to "
                "compare the two paths; libcurl always connects for https://, --http2 and --libcurl-exchange");
  sub->add_option("--pipeline", flags->pipeline,
                  "HTTP/1.1 pipelining: send N requests at once per connection and wait for their N answers (as "
                  "wrk's pipeline.lua; TechEmpower's plaintext test uses 16); http:// only")->capture_default_str();
  sub->add_flag("--json", flags->json, "Print the result as JSON (units in field names) instead of wrk's layout");
  sub->add_option("--warmup", flags->warmup, "Run this long first without recording")->capture_default_str();
  sub->add_flag("--no-fail", flags->no_fail,
                "Exit 0 whatever was measured, as wrk; without it bench load exits 1 when no complete response "
                "arrived or socket errors passed 1% of the requests");
  sub->add_option("--cpus", flags->cpus, "Run the load threads on these CPUs only (Linux list format: 0-3,5)");
  return {sub, [flags] { return run_load(*flags); }};
}

}  // namespace bench::cli
