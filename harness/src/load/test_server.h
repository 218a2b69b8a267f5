#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 for the load engine's tests: one thread, poll(), keep-alive, a fixed small
// JSON body. Behaviours a test can ask for: answer at once, answer after a delay (a slow server, for rate mode), or
// never answer (for timeouts). "/status/NNN" answers with status NNN, "/close" with Connection: close (then closes),
// "/chunked" with a chunked body. Not for production use: no TLS, no chunked
// requests, bodies only by Content-Length.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace bench::load::testing {

class TestServer {
 public:
  enum class Mode { answer, never_answer };
  struct Config {
    Mode mode = Mode::answer;
    std::chrono::microseconds delay{0};  // added before each answer
    std::string body = R"({"message":"Hello, World!"})";
    // A periodic stall (a garbage-collection pause, say): from the server's start, every `stall_every` the last
    // `stall_for` of the period answers nothing; what falls due then is answered when the stall ends.
    std::chrono::milliseconds stall_every{0};
    std::chrono::milliseconds stall_for{0};
  };

  // Listens on an ephemeral loopback port and starts serving before returning (the socket is listening, so a
  // connect succeeds at once: no readiness wait needed).
  explicit TestServer(Config config);
  TestServer() : TestServer(Config{}) {}
  ~TestServer();  // stops the thread and closes every socket
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "/") const;
  // Requests fully received so far (answered or not).
  uint64_t requests_seen() const { return requests_seen_.load(); }
  // Connections accepted so far.
  uint64_t connections_accepted() const { return connections_accepted_.load(); }
  // Connections accepted when the first request arrived: at least every connection the client had established
  // before it sent that request (the server accepts all that are waiting before it reads).
  uint64_t accepted_at_first_request() const { return accepted_at_first_request_.load(); }
  // The most complete requests one connection had waiting at once (more than 1 only from a pipelining client).
  uint64_t most_requests_at_once() const { return most_requests_at_once_.load(); }
  // Size of one full response to "/" (status line, headers and body), to check byte counts.
  size_t response_size() const;

 private:
  void serve();

  std::chrono::steady_clock::time_point answer_due(std::chrono::steady_clock::time_point ready) const;

  Config config_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<uint64_t> requests_seen_{0};
  std::atomic<uint64_t> connections_accepted_{0};
  std::atomic<uint64_t> most_requests_at_once_{0};
  std::atomic<uint64_t> accepted_at_first_request_{0};
  std::thread thread_;
};

// A loopback port with nothing listening on it (bound, then closed), for connection-refused tests.
int dead_port();

// A loopback port that listens and never accepts, its accept queue full: a connect to it gets no answer (the kernel
// drops the SYN) until the connect times out. For connect-timeout tests.
class StalledListener {
 public:
  StalledListener();
  ~StalledListener();
  StalledListener(const StalledListener&) = delete;
  StalledListener& operator=(const StalledListener&) = delete;
  int port() const { return port_; }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  int fillers_[2] = {-1, -1};
};

}  // namespace bench::load::testing

namespace bench::load::testing {

// Debian's nginx on an ephemeral loopback port, from a temporary prefix, as a single foreground process that the
// destructor stops. Its access log records the protocol of every request, so a test can prove what was spoken.
class Nginx {
 public:
  // True when an nginx binary is installed.
  static bool available();
  ~Nginx();  // SIGTERM, then SIGKILL after a grace period; removes the prefix
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  std::string url() const;
  // The access log: one "$server_protocol" per request ("HTTP/2.0", "HTTP/1.1").
  std::string access_log() const;

 protected:
  // Starts nginx with one server block listening with `listen_options` and waits (with a deadline) until it
  // accepts connections; throws if it does not. `scheme` is the URL's. prepare runs first, in the prefix;
  // "@PREFIX@" in server_extra stands for the prefix.
  Nginx(const std::string& scheme, const std::string& listen_options, const std::string& server_extra,
        void (*prepare)(const std::string& prefix));

 private:
  std::string scheme_;
  std::string prefix_;
  int port_ = 0;
  int pid_ = -1;
};

// h2c (HTTP/2 over cleartext, prior knowledge only).
class NginxH2 : public Nginx {
 public:
  NginxH2();
};

// HTTP/1.1 over TLS with a self-signed certificate for "localhost" that the constructor makes with openssl (so only
// an insecure client, -k, accepts it).
class NginxTls : public Nginx {
 public:
  static bool available();  // nginx and openssl installed
  NginxTls();
};

}  // namespace bench::load::testing
