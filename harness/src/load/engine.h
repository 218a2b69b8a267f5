#pragma once
// The load engine that `bench load` and `bench run` call in-process. It knows nothing of scenarios: it takes one
// request template, a number of connections and threads, a duration (closed loop) or a total rate (open loop, wrk2's
// model) and returns counters and merged histograms.
//
// Shape (see engine.cpp and worker.h): one worker thread per -t, each with its own epoll set and libcurl multi
// handles driven by the event interface (curl_multi_socket_action), its own share of exactly `connections`
// keep-alive connections, its own histograms and counters. Nothing is shared on the hot path; results are merged
// after join. On plain http:// HTTP/1.1 bench connects (non-blocking connect() to the address resolved once at the
// start, load/target.h) and exchanges requests and responses itself; Options::libcurl_connect and
// Options::libcurl_exchange hand either part back to libcurl, which does both for https://, --http2 and credentials.

#include "load/latency_correction.h"
#include "model/load_figures.h"
#include "stats/histogram.h"
#include "util/duration.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bench::load {

// What every request sends.
struct Request {
  std::string url;
  std::string method = "GET";
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  bool http2 = false;                // h2c with prior knowledge (no upgrade dance); one stream per connection
};

// How hard and how long.
struct Options {
  Request request;
  int connections = 10;  // kept open in total, split across threads
  int threads = 2;
  Nanos duration = std::chrono::seconds(10);  // measured phase
  Nanos warmup{0};       // run before the measured phase, not recorded
  double rate = 0;       // total requests/s, at most kMaxRate (util/number.h); 0 = closed loop (each connection sends
                         // as soon as it has an answer)
  // Per request, from its first byte sent; a timeout error when no complete answer came within it (wrk's meaning).
  // Time spent connecting is never part of it. (libcurl's exchange cannot start the clock at the send: there a
  // request on a fresh connection has its connect inside its timeout, and a transfer that times out before it
  // connected is a connect error.)
  Nanos timeout = std::chrono::seconds(2);
  // Per connect (resolve and TCP connect, and the TLS handshake for https), from its start; waiting for one of the
  // thread's connect slots is not part of it. A connect error when exceeded, on every path.
  Nanos connect_timeout = std::chrono::seconds(5);
  bool insecure = false;  // https: accept any certificate and host name (-k, as curl)
  // false: for plain http:// HTTP/1.1, libcurl opens each connection and bench exchanges requests and responses on
  // it directly (http1.h), as wrk does. true: libcurl does every transfer (always so for https:// and --http2).
  bool libcurl_exchange = false;
  // false: on the direct exchange bench opens its connections itself (non-blocking connect() on the worker's epoll
  // set, to the address resolved once at the start), as wrk does. true: libcurl connects them (a CONNECT_ONLY
  // transfer), as before; kept to compare the two paths. No effect where libcurl does the exchange too.
  bool libcurl_connect = false;
  // HTTP/1.1 pipelining (direct exchange only): each connection sends this many requests at once and waits for all
  // their answers before the next batch. Each answer is one request, its latency from the batch's send time.
  int pipeline = 1;
  // After the measured phase, send nothing new but let the requests in flight finish (each within `timeout`) instead
  // of abandoning them; they count in Result::drained_requests only. bench run drains, so that counters read after
  // run() returns (the server's CPU, pg_stat_statements) hold the work of exactly requests + drained_requests.
  bool drain = false;
  // Which latency statistics Result::latency holds (latency_correction.h): what was measured (none), or wrk 4.1's
  // with its synthetic samples (wrk; closed loop only), for comparison with old wrk figures.
  LatencyCorrection latency_correction = LatencyCorrection::none;
};

// Failed requests by kind, as wrk counts them (model/load_figures.h, the result model's type, so that results.json
// and `bench load --json` count them alike): connect (refused, unreachable, name not resolved, connect timed out),
// read (reset, closed early, unparsable response), write, timeout (a request sent and not answered within
// Options::timeout), other (anything libcurl reports that fits none of the above).
using ErrorCounts = model::Errors;

// Rate mode: the requests the schedule owed before the end of the measured phase that got no answer in it. Each is
// also recorded in Result::latency with the time it had been owed by the end (a lower bound of its latency).
struct OwedCounts {
  uint64_t unsent = 0;      // due, never sent (its connection was still busy, connecting, or backing off)
  uint64_t unanswered = 0;  // sent, no answer by the end
  uint64_t total() const { return unsent + unanswered; }
};

// A snapshot handed to the progress callback about 4 times a second.
struct Progress {
  Nanos elapsed;       // since the start of the current phase
  bool warmup;         // true while warming up
  uint64_t requests;   // completed in the current phase
  double recent_rps;   // over the last interval
  uint64_t connected;  // connections established at least once so far (of Options::connections)
};

// Everything measured in the measured phase.
struct Result {
  Options options;
  Nanos elapsed{0};            // wall time of the measured phase (shorter than asked when interrupted)
  uint64_t requests = 0;       // complete responses, whatever their status
  uint64_t drained_requests = 0;  // responses completed after the measured phase (Options::drain)
  uint64_t bytes_read = 0;     // response bytes as they came on the wire (status line, headers, body framing), as wrk
  ErrorCounts errors;
  OwedCounts owed;             // rate mode only (zero in closed loop)
  std::map<int, uint64_t> status_codes;  // every status seen, with its count
  uint64_t non_2xx_3xx = 0;    // wrk's "Non-2xx or 3xx responses" (status < 200 or > 399)
  stats::Histogram latency;    // us; in rate mode measured from each request's intended send time (no coordinated
                               // omission), owed requests included (OwedCounts)
  stats::Histogram latency_uncorrected;  // us, from the actual send time (equal to latency in closed loop)
  stats::Histogram thread_rps;           // wrk's Req/Sec row: per-thread requests/s sampled every 100 ms
  bool interrupted = false;              // *stop became true before the end
  double client_cpu_seconds = 0;         // user+sys of this process during the measured phase
  // Connections established at least once, from the start of the run (warmup included): at most
  // options.connections (several of them when results of several processes are merged).
  uint64_t connected = 0;
  // How long after the start of the run (warmup included) the last of them was first established; set only when
  // every connection was (connected == options.connections): the connection ramp.
  std::optional<Nanos> connected_after;

  // Adds the counters and histograms of another run of the same options (another process or host: the fleet layer),
  // as the engine adds its threads': sums, merged histograms, the longer elapsed time, interrupted if either was.
  // Merge results before applying a latency correction; a corrected one merges as its corrected samples.
  void merge(const Result& other);

  double requests_per_second() const;
  double bytes_per_second() const;
  // Achieved / target rate in rate mode (1.0 = on target); 0 in closed loop.
  double achieved_rate_ratio() const;
};

// The deepest pipeline Options::pipeline allows (TechEmpower's plaintext test uses 16).
inline constexpr int kMaxPipeline = 256;

// The most threads Options::threads allows: each costs about 0.75 MB (stack, epoll set, buffers), and more threads
// than cores only add switching.
inline constexpr int kMaxThreads = 256;

// The longest duration, warmup or timeout: a bound well inside steady_clock's range, so that adding a phase to the
// clock cannot overflow (9e9 s did, and the run ended at once).
inline constexpr Nanos kMaxPhase = std::chrono::hours(24 * 365);

// Below this achieved/target ratio a rate-mode run is reported as falling short.
inline constexpr double kRateShortfallWarning = 0.95;

// Runs the warmup (not recorded), then the measurement. Returns early with interrupted = true when *stop becomes true
// (a signal handler sets it). on_progress, if given, is called from the calling thread about 4 times a second.
// Validates first (throws bench::UsageError). Raises RLIMIT_NOFILE to its hard limit and ignores SIGPIPE.
Result run(const Options& options, const std::atomic<bool>* stop = nullptr,
           const std::function<void(const Progress&)>& on_progress = {});

// Validates options; throws bench::UsageError naming the flag (util/errors.h), e.g.
// "--connections: must be at least --threads (4)".
void validate(const Options& options);

}  // namespace bench::load
