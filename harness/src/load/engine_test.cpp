#include "load/engine.h"
#include "load/worker.h"
#include "load/test_server.h"
#include "testing/cpu_pressure.h"
#include "util/errors.h"
#include "util/number.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <thread>

namespace {

using namespace std::chrono_literals;
using bench::load::Options;
using bench::load::testing::TestServer;

Options quick(const std::string& url, bool libcurl_exchange = false) {
  Options options;
  options.request.url = url;
  options.libcurl_exchange = libcurl_exchange;
  options.connections = 4;
  options.threads = 2;
  options.duration = 500ms;
  options.timeout = 1s;
  return options;
}

// The three ways a plain http:// request can travel: bench connects and exchanges (the default), libcurl connects
// and bench exchanges (--libcurl-connect), libcurl does both (--libcurl-exchange).
enum class Path { own_connect, libcurl_connect, libcurl_exchange };

Options on_path(const std::string& url, Path path) {
  Options options = quick(url, path == Path::libcurl_exchange);
  options.libcurl_connect = path == Path::libcurl_connect;
  return options;
}

}  // namespace

TEST_CASE("a normal run counts requests, status codes and bytes") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  const auto result = bench::load::run(quick(server.url(), libcurl));
  REQUIRE(result.requests > 100);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.status_codes.size() == 1);
  REQUIRE(result.status_codes.at(200) == result.requests);
  REQUIRE(result.non_2xx_3xx == 0);
  REQUIRE(result.bytes_read == result.requests * server.response_size());
  REQUIRE(result.latency.count() == result.requests);
  REQUIRE(result.latency_uncorrected.count() == result.requests);
  REQUIRE(result.thread_rps.count() >= 2 * 4);  // two threads, about 5 samples each
  REQUIRE(result.requests <= server.requests_seen());
  REQUIRE(result.elapsed >= 450ms);
  REQUIRE(result.elapsed < 700ms);
  REQUIRE(result.client_cpu_seconds > 0);
  REQUIRE_FALSE(result.interrupted);
  REQUIRE(result.connected == 4);
  REQUIRE(result.connected_after.has_value());
  REQUIRE(*result.connected_after < 400ms);
}

TEST_CASE("connections are kept alive and reused") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  auto options = quick(server.url(), libcurl);
  options.connections = 3;
  options.threads = 1;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 100);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(server.connections_accepted() == 3);
}

TEST_CASE("more connections per thread than connect at once all connect, in waves") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect);
  CAPTURE(path);
  TestServer server;
  auto options = on_path(server.url(), path);
  options.connections = static_cast<int>(bench::load::kMaxConnecting) + 100;
  options.threads = 1;
  options.duration = 1s;
  options.timeout = 5s;
  const auto result = bench::load::run(options);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.requests >= static_cast<uint64_t>(options.connections));
  REQUIRE(server.connections_accepted() == static_cast<uint64_t>(options.connections));
  REQUIRE(result.connected == static_cast<uint64_t>(options.connections));
  REQUIRE(result.connected_after.has_value());
}

TEST_CASE("connects first: while connections wait for their first connect slot, no request goes out") {
  // Two full waves of connect slots and some: the connections that connected in the first waves hold their first
  // request until the last waiting connection got a slot, so the server has accepted at least the first two waves
  // when the first request arrives. Without holding, the first requests go out after the first wave.
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect);
  CAPTURE(path);
  TestServer server;
  auto options = on_path(server.url(), path);
  options.connections = 2 * static_cast<int>(bench::load::kMaxConnecting) + 100;
  options.threads = 1;
  options.duration = 1s;
  options.timeout = 5s;
  const auto result = bench::load::run(options);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.requests >= static_cast<uint64_t>(options.connections));
  REQUIRE(server.connections_accepted() == static_cast<uint64_t>(options.connections));
  REQUIRE(server.accepted_at_first_request() >= 2 * bench::load::kMaxConnecting);
}

TEST_CASE("a server that closes after every answer gets a new connection per request") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect, Path::libcurl_exchange);
  CAPTURE(path);
  TestServer server;
  auto options = on_path(server.url("/close"), path);
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 50);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.status_codes.at(200) == result.requests);
  REQUIRE(server.connections_accepted() >= result.requests);
  REQUIRE(result.connected == 4);  // each connection counted once, however often it connected again
  REQUIRE(result.connected_after.has_value());
}

TEST_CASE("churn: a new connection per request in rate mode keeps the rate on every path") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect, Path::libcurl_exchange);
  CAPTURE(path);
  TestServer server;
  auto options = on_path(server.url("/close"), path);
  options.rate = 400;
  options.duration = 1s;
  const auto result = bench::load::run(options);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.requests >= 380);
  REQUIRE(result.requests <= 410);
  REQUIRE(server.connections_accepted() >= result.requests);
}

TEST_CASE("own connect and libcurl's connect count the same requests, bytes and status codes on one server") {
  // Rate mode fixes the count: both paths must make the same requests and read the same answers.
  const std::string target = GENERATE(std::string("/"), std::string("/status/404"), std::string("/chunked"));
  CAPTURE(target);
  TestServer server;
  std::map<int, uint64_t> statuses[2];
  uint64_t requests[2] = {0, 0};
  uint64_t bytes[2] = {0, 0};
  for (const auto path : {Path::own_connect, Path::libcurl_connect}) {
    auto options = on_path(server.url(target), path);
    options.rate = 500;
    options.duration = 1s;
    const auto result = bench::load::run(options);
    const auto i = static_cast<size_t>(path);
    requests[i] = result.requests;
    bytes[i] = result.bytes_read;
    statuses[i] = result.status_codes;
    REQUIRE(result.errors.total() == 0);
    REQUIRE(result.connected == 4);
    REQUIRE(result.requests >= 480);
  }
  REQUIRE(statuses[0].size() == 1);
  REQUIRE(statuses[0].begin()->first == statuses[1].begin()->first);
  // The same schedule on both paths: at most a request per connection apart at the end of the window.
  REQUIRE(requests[0] <= requests[1] + 4);
  REQUIRE(requests[1] <= requests[0] + 4);
  REQUIRE(bytes[0] / requests[0] == bytes[1] / requests[1]);
}

TEST_CASE("a localhost URL connects on the own path, whichever address the name gives first") {
  TestServer server;  // listens on 127.0.0.1 only: a first address of ::1 is refused, and the next one tried
  auto options = quick("http://localhost:" + std::to_string(server.port()) + "/");
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 50);
  REQUIRE(result.errors.total() == 0);
}

TEST_CASE("a name that does not resolve is a connect error on every path") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect, Path::libcurl_exchange);
  CAPTURE(path);
  auto options = on_path("http://no-such-host.invalid/", path);
  const auto result = bench::load::run(options);
  REQUIRE(result.requests == 0);
  REQUIRE(result.errors.connect > 0);
  REQUIRE(result.errors.connect == result.errors.total());
}

TEST_CASE("chunked answers are read to their end and counted in full") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  const auto result = bench::load::run(quick(server.url("/chunked"), libcurl));
  REQUIRE(result.requests > 100);
  REQUIRE(result.errors.total() == 0);
  // Both exchanges count what came over the wire, as wrk: the head, two chunks of 13 and 14 bytes of body with their
  // framing ("d\r\n...\r\n", "e\r\n...\r\n"), the last chunk (libcurl alone would report the decoded body).
  const size_t head = std::string("HTTP/1.1 200 X\r\nTransfer-Encoding: chunked\r\n\r\n").size();
  const size_t wire = head + (3 + 13 + 2) + (3 + 14 + 2) + 5;
  REQUIRE(result.bytes_read == result.requests * wire);
  REQUIRE(server.connections_accepted() == 4);
}

TEST_CASE("a body larger than the socket buffers is written in pieces") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  auto options = quick(server.url("/status/201"), libcurl);
  options.request.method = "POST";
  options.request.body = std::string(4 << 20, 'x');
  options.connections = 2;
  options.threads = 1;
  options.duration = 1s;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 0);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.status_codes.at(201) == result.requests);
  REQUIRE(server.connections_accepted() == 2);
}

TEST_CASE("pipelining sends a batch of requests and counts every answer") {
  TestServer server;
  auto options = quick(server.url());
  options.pipeline = 16;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 16 * 4);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.status_codes.at(200) == result.requests);
  REQUIRE(result.latency.count() == result.requests);
  REQUIRE(result.bytes_read == result.requests * server.response_size());
  REQUIRE(server.connections_accepted() == 4);
  REQUIRE(server.most_requests_at_once() > 1);  // a client that waits for each answer never has two outstanding
}

TEST_CASE("pipelining: answers still owed when the server closes are read errors, one per request") {
  TestServer server;
  auto options = quick(server.url("/close"));
  options.pipeline = 4;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 10);
  // Each batch: the first answer says Connection: close, so the other three are lost.
  REQUIRE(result.errors.read == 3 * result.requests);
  REQUIRE(result.errors.total() == result.errors.read);
}

TEST_CASE("pipelining in rate mode holds the rate in requests, not batches") {
  TestServer server;
  auto options = quick(server.url());
  options.pipeline = 4;
  options.rate = 800;
  options.duration = 2s;
  const auto result = bench::load::run(options);
  // A rate held in batches would come out at 4x (or 1/4 of) the target. The margin below is for the machine: the
  // batch under way on each connection at the end is not counted, and one stall of a shared CI machine (0.8999 was
  // seen in a 1 s window) is not caught up, so 0.8 rather than 0.9.
  REQUIRE(result.achieved_rate_ratio() > 0.8);
  REQUIRE(result.achieved_rate_ratio() < 1.1);
  REQUIRE(result.errors.total() == 0);
}

TEST_CASE("HEAD answers end after their headers") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  auto options = quick(server.url(), libcurl);
  options.request.method = "HEAD";
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 100);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(server.connections_accepted() == 4);
}

TEST_CASE("non-2xx/3xx responses are counted apart, with every status code") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  const auto result = bench::load::run(quick(server.url("/status/404"), libcurl));
  REQUIRE(result.requests > 0);
  REQUIRE(result.status_codes.at(404) == result.requests);
  REQUIRE(result.non_2xx_3xx == result.requests);
}

TEST_CASE("POST with a body and custom headers reaches the server") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  auto options = quick(server.url("/status/201"), libcurl);
  options.request.method = "POST";
  options.request.body = R"({"a":1})";
  options.request.headers = {"Content-Type: application/json", "X-Test: yes"};
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 0);
  REQUIRE(result.status_codes.at(201) == result.requests);
}

TEST_CASE("a dead port finishes and reports connect errors without spinning") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect, Path::libcurl_exchange);
  CAPTURE(path);
  auto options = on_path("http://127.0.0.1:" + std::to_string(bench::load::testing::dead_port()) + "/", path);
  const auto result = bench::load::run(options);
  REQUIRE(result.requests == 0);
  REQUIRE(result.errors.connect > 0);
  REQUIRE(result.errors.connect == result.errors.total());
  REQUIRE(result.connected == 0);
  REQUIRE_FALSE(result.connected_after.has_value());
  // With a 10 ms back-off per connection, 4 connections make at most ~200 attempts in 0.5 s.
  REQUIRE(result.errors.connect < 400);
  REQUIRE(result.elapsed >= 450ms);
  REQUIRE(result.client_cpu_seconds < 0.3);
}

TEST_CASE("a connect that outlasts the connect timeout is a connect error on every path, never a timeout") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect, Path::libcurl_exchange);
  CAPTURE(path);
  bench::load::testing::StalledListener listener;
  auto options = on_path("http://127.0.0.1:" + std::to_string(listener.port()) + "/", path);
  options.connect_timeout = 150ms;
  options.timeout = 100ms;  // shorter still: libcurl's exchange times the whole transfer, its connect included
  options.duration = 600ms;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests == 0);
  REQUIRE(result.errors.timeout == 0);
  REQUIRE(result.errors.connect >= 4);  // 4 connections, at least one connect timed out each
  REQUIRE(result.errors.connect == result.errors.total());
  REQUIRE(result.connected == 0);
}

TEST_CASE("a server that never answers produces timeout errors") {
  const auto path = GENERATE(Path::own_connect, Path::libcurl_connect, Path::libcurl_exchange);
  CAPTURE(path);
  TestServer server(TestServer::Config{TestServer::Mode::never_answer, {}, {}});
  auto options = on_path(server.url(), path);
  options.timeout = 100ms;
  options.duration = 550ms;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests == 0);
  REQUIRE(result.errors.timeout >= 4 * 4);  // 4 connections, about 5 timeouts each
  REQUIRE(result.errors.connect == 0);
}

TEST_CASE("rate mode holds the target rate") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  TestServer server;
  auto options = quick(server.url(), libcurl);
  options.rate = 400;
  options.duration = 2s;
  const auto result = bench::load::run(options);
  REQUIRE(result.achieved_rate_ratio() > 0.8);  // the margin is for a stalled machine, as in the pipelining test
  REQUIRE(result.achieved_rate_ratio() < 1.1);
  REQUIRE(result.errors.total() == 0);
}

TEST_CASE("rate mode measures latency from the intended send time when the server is slow") {
  // One connection asked for 100 req/s against a server that takes 30 ms per answer: it can do ~33/s, so requests
  // fall ever further behind their schedule. Corrected latency grows with the backlog; uncorrected stays ~30 ms.
  TestServer server(TestServer::Config{TestServer::Mode::answer, 30ms, "{}"});
  auto options = quick(server.url());
  options.connections = 1;
  options.threads = 1;
  options.rate = 100;
  options.duration = 1s;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 10);
  REQUIRE(result.achieved_rate_ratio() < 0.5);
  REQUIRE(result.latency_uncorrected.value_at_percentile(50) >= 30'000);
  REQUIRE(result.latency_uncorrected.value_at_percentile(50) < 60'000);
  REQUIRE(result.latency.max() > 400'000);  // the last request was due ~0.6 s before it was sent
  REQUIRE(result.latency.value_at_percentile(50) > 2 * result.latency_uncorrected.value_at_percentile(50));
}

TEST_CASE("draining lets the requests in flight finish, counted apart") {
  const bool libcurl = GENERATE(false, true);
  CAPTURE(libcurl);
  // 200 ms per answer: when the 500 ms window closes, each of the 4 connections has one request in flight.
  TestServer server(TestServer::Config{TestServer::Mode::answer, 200ms, "{}"});
  auto options = quick(server.url(), libcurl);
  options.drain = true;
  const auto started = std::chrono::steady_clock::now();
  const auto result = bench::load::run(options);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.drained_requests == 4);
  REQUIRE(result.requests + result.drained_requests == server.requests_seen());  // nothing abandoned
  REQUIRE(result.latency.count() == result.requests);
  REQUIRE(result.elapsed < 700ms);                               // the window is the window
  REQUIRE(std::chrono::steady_clock::now() - started >= 550ms);  // run() returned after the last answer
}

TEST_CASE("without draining, requests in flight at the end are abandoned") {
  TestServer server(TestServer::Config{TestServer::Mode::answer, 200ms, "{}"});
  const auto result = bench::load::run(quick(server.url()));
  REQUIRE(result.drained_requests == 0);
  REQUIRE(result.requests < server.requests_seen());
}

TEST_CASE("warmup is run but not recorded") {
  TestServer server;
  auto options = quick(server.url());
  options.warmup = 300ms;
  options.duration = 300ms;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 0);
  REQUIRE(server.requests_seen() > result.requests + result.requests / 3);
  REQUIRE(result.elapsed < 450ms);
}

TEST_CASE("a stop flag ends the run early, marked interrupted") {
  TestServer server;
  auto options = quick(server.url());
  options.duration = 30s;
  std::atomic<bool> stop{false};
  int progress_calls = 0;
  const auto started = std::chrono::steady_clock::now();
  const auto result = bench::load::run(options, &stop, [&](const bench::load::Progress& progress) {
    ++progress_calls;
    if (progress.requests > 0 && progress.elapsed >= 300ms) stop = true;
  });
  REQUIRE(std::chrono::steady_clock::now() - started < 2s);
  REQUIRE(result.interrupted);
  REQUIRE(progress_calls >= 1);
  REQUIRE(result.requests > 0);
  REQUIRE(result.elapsed < 2s);
}

TEST_CASE("validation names the flag") {
  auto options = quick("http://127.0.0.1:1/");
  auto message_of = [](const Options& o) {
    try {
      bench::load::validate(o);
    } catch (const bench::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  REQUIRE(message_of(options) == "(accepted)");
  auto bad = options;
  bad.request.url = "not a url";
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("URL:"));
  bad = options;
  bad.request.url = "ftp://127.0.0.1/";
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("URL:"));
  bad = options;
  bad.connections = 1;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--connections:"));
  bad = options;
  bad.duration = 0s;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--duration:"));
  bad = options;
  bad.rate = -1;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--rate:"));
  bad = options;
  bad.rate = 1e9;  // beyond what the schedule's nanosecond intervals hold (issue 25)
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--rate:") && Catch::Contains("100M requests/s"));
  bad.rate = bench::kMaxRate;
  REQUIRE(message_of(bad) == "(accepted)");
  bad.rate = 1e-300;  // one send every 1e300 s: the interval overflowed the clock
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--rate:") && Catch::Contains("0.001 requests/s"));
  bad = options;
  bad.request.headers = {"NoColon"};
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--header:"));
  bad = options;
  bad.timeout = 0s;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--timeout:"));
  bad = options;
  bad.threads = 0;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--threads:"));
  bad = options;
  bad.pipeline = 0;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--pipeline:"));
  bad = options;
  bad.pipeline = 16;
  bad.libcurl_exchange = true;
  REQUIRE_THAT(message_of(bad), Catch::StartsWith("--pipeline: needs the direct exchange"));
  REQUIRE_THROWS_AS(bench::load::run(bad), bench::UsageError);
}

TEST_CASE("HTTP/2 mode speaks h2c to a server that does, and reuses its connections") {
  if (!bench::load::testing::NginxH2::available()) {
    WARN("nginx is not installed: HTTP/2 not exercised");
    return;
  }
  bench::load::testing::NginxH2 nginx;
  auto options = quick(nginx.url());
  options.request.http2 = true;
  options.duration = 1s;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 1000);  // more than one nginx keep-alive cycle (GOAWAY after 1,000 requests)
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.status_codes.at(200) == result.requests);
  const auto log = nginx.access_log();
  REQUIRE(log.find("HTTP/2.0") != std::string::npos);
  REQUIRE(log.find("HTTP/1.1") == std::string::npos);
}

TEST_CASE("rate mode counts what a stall leaves owed at the end, and its p99 matches theory") {
  // The server pauses for the last 1 s of every 4 s; the 7.5 s window ends half-way into its second pause.
  TestServer::Config config;
  config.body = "{}";
  config.stall_every = 4000ms;
  config.stall_for = 1000ms;
  TestServer server(config);
  auto options = quick(server.url());
  options.connections = 100;  // 4 sends owed per connection per pause: the backlog clears within a few round trips
  options.threads = 1;
  options.rate = 400;
  options.duration = 7500ms;
  options.timeout = 3s;
  const auto result = bench::load::run(options);
  REQUIRE(result.errors.total() == 0);
  // Owed: what was due in the last ~0.5 s (the second pause's first half), 400/s * 0.5 s.
  CHECK(result.owed.total() >= 180);
  CHECK(result.owed.total() <= 220);
  REQUIRE(result.latency.count() == result.requests + result.owed.total());
  // Theory: a request due at t inside a pause is answered when the pause ends, so its latency is uniform in (0, 1 s]
  // over the full pause and (0, 0.5 s] over the cut one. P(latency > x) = ((1 - x) + max(0, 0.5 - x)) / 7.5, so the
  // p99 is x = 1 - 0.01 * 7.5 = 0.925 s (the owed requests are the cut pause's share, counted above).
  const double p99_us = static_cast<double>(result.latency.value_at_percentile(99));
  CHECK(p99_us == Approx(925'000).epsilon(0.05));
}

TEST_CASE("https to a self-signed server works with insecure, and fails without it") {
  if (!bench::load::testing::NginxTls::available()) {
    WARN("nginx or openssl is not installed: https not exercised");
    return;
  }
  bench::load::testing::NginxTls nginx;
  auto options = quick(nginx.url());
  options.insecure = true;
  const auto result = bench::load::run(options);
  REQUIRE(result.requests > 50);
  REQUIRE(result.errors.total() == 0);
  REQUIRE(result.status_codes.at(200) == result.requests);
  REQUIRE(nginx.access_log().find("HTTP/1.1") != std::string::npos);
  options.insecure = false;  // the certificate is nobody's: every connect fails verification
  const auto refused = bench::load::run(options);
  REQUIRE(refused.requests == 0);
  REQUIRE(refused.errors.total() > 0);
}

TEST_CASE("at the highest rate the owed requests are counted at once, and the run ends on time") {
  // Issue 25: at -R 1e8 the owed requests were recorded one by one (a 2 s run took 3.3 s); above it, never ended.
  TestServer server;
  auto options = quick(server.url());
  options.connections = 2;
  options.threads = 1;
  options.rate = bench::kMaxRate;
  options.duration = 1s;
  const bench::testing::StarvationClock clock;  // forgives the time this shared machine had no CPU to give
  const auto result = bench::load::run(options);
  CHECK(clock.within(options.duration + options.timeout + 1s));
  REQUIRE(result.requests > 0);
  // About 1e8 sends were due in 1 s; all but those answered are owed, each in the latency histogram.
  CHECK(result.owed.total() + result.requests == Approx(1e8).epsilon(0.05));
  CHECK(result.latency.count() == result.requests + result.owed.total());
  CHECK(result.latency.max() <= 1'100'000);  // nothing owed longer than the run
}

TEST_CASE("fuzz: any rate and duration is refused, or ends within duration + timeout + 1 s, or on stop within 1 s") {
  // Loopback only, against the test server; about 3 s in all. The seed is printed, and BENCH_FUZZ_SEED replays one.
  const char* seed_text = std::getenv("BENCH_FUZZ_SEED");
  const auto seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : std::random_device{}();
  INFO("BENCH_FUZZ_SEED=" << seed);
  std::mt19937_64 random(seed);
  const auto pick = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(random); };
  TestServer server;
  for (int round = 0; round < 12; ++round) {
    auto options = quick(server.url());
    options.threads = 1 + static_cast<int>(random() % 2);
    options.connections = options.threads + static_cast<int>(random() % 6);
    options.pipeline = random() % 3 == 0 ? 4 : 1;
    options.timeout = 300ms;
    // Rates log-uniform from 1e-12 to 1e20 req/s (some below the least, a third above the most the engine takes);
    // now and then 0 (closed loop).
    options.rate = random() % 8 == 0 ? 0 : std::pow(10.0, pick(-12, 20));
    // Durations from 1 ns to 200 ms; one round in four asks for an hour, and is stopped after 100-300 ms.
    const bool stopped = round % 4 == 3;
    options.duration = stopped ? bench::Nanos(std::chrono::hours(1))
                               : bench::Nanos(static_cast<int64_t>(std::pow(10.0, pick(0, std::log10(2e8)))));
    INFO("round " << round << ": -R " << options.rate << " -d " << options.duration.count() << "ns -c "
                  << options.connections << " -t " << options.threads << " --pipeline " << options.pipeline);
    if (options.rate > bench::kMaxRate || (options.rate > 0 && options.rate < bench::kMinRate)) {
      CHECK_THROWS_AS(bench::load::run(options), bench::UsageError);
      continue;
    }
    std::atomic<bool> stop{false};
    const auto stop_after = std::chrono::milliseconds(100 + random() % 200);
    const bench::testing::StarvationClock clock;  // forgives the time this shared machine had no CPU to give
    std::jthread stopper;
    if (stopped) {
      stopper = std::jthread([&stop, stop_after](std::stop_token token) {
        const auto at = std::chrono::steady_clock::now() + stop_after;
        while (!token.stop_requested() && std::chrono::steady_clock::now() < at) std::this_thread::sleep_for(1ms);
        stop = true;
      });
    }
    const auto result = bench::load::run(options, &stop);
    INFO("took " << clock.elapsed().count() << "ns, of which the machine was short of CPU " << clock.starved().count()
                 << "ns");
    if (stopped) {
      CHECK(result.interrupted);
      CHECK(clock.within(stop_after + 1s));
    } else {
      CHECK_FALSE(result.interrupted);
      CHECK(clock.within(options.duration + options.timeout + 1s));
    }
    if (options.rate > 0 && options.pipeline == 1 && !result.interrupted && result.errors.total() == 0)
      CHECK(result.latency.count() == result.requests + result.owed.total());
  }
}
