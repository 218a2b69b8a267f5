// A perf test, not a unit test (run by hand; docs/performance.md): the CPU one request costs a client that moves the
// bytes with curl_easy_send/curl_easy_recv on a CONNECT_ONLY connection (libcurl's documented way to use a socket it
// connected), against plain send/recv on the same socket. One keep-alive connection, one request at a time, the two
// ways alternating; prints the medians.
//
//   build/harness/src/load/load_easy_send_perftest http://127.0.0.1:PORT/ [requests per round] [rounds]
//
// The server must answer GET / with a Content-Length body (scripts/bench-loadgen's nginx does).
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void wait_for(int fd, short events) {
  pollfd p{fd, events, 0};
  poll(&p, 1, 5000);
}

struct Connection {
  CURL* easy = nullptr;
  curl_socket_t fd = CURL_SOCKET_BAD;
};

Connection connect_only(const char* url) {
  Connection c;
  c.easy = curl_easy_init();
  curl_easy_setopt(c.easy, CURLOPT_URL, url);
  curl_easy_setopt(c.easy, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c.easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.easy, CURLOPT_NOPROXY, "*");
  if (curl_easy_perform(c.easy) != CURLE_OK) {
    std::fprintf(stderr, "cannot connect to %s\n", url);
    std::exit(1);
  }
  curl_easy_getinfo(c.easy, CURLINFO_ACTIVESOCKET, &c.fd);
  return c;
}

// One request and its whole answer (response_size bytes), with libcurl's calls or the socket's.
template <bool kLibcurl>
void exchange(Connection& c, const std::string& request, size_t response_size, std::vector<char>& buffer) {
  size_t sent = 0;
  while (sent < request.size()) {
    size_t n = 0;
    if constexpr (kLibcurl) {
      if (curl_easy_send(c.easy, request.data() + sent, request.size() - sent, &n) == CURLE_AGAIN) {
        wait_for(c.fd, POLLOUT);
        continue;
      }
    } else {
      const ssize_t r = send(c.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (r < 0) {
        wait_for(c.fd, POLLOUT);
        continue;
      }
      n = static_cast<size_t>(r);
    }
    sent += n;
  }
  size_t got = 0;
  while (got < response_size) {
    size_t n = 0;
    if constexpr (kLibcurl) {
      const CURLcode code = curl_easy_recv(c.easy, buffer.data(), buffer.size(), &n);
      if (code == CURLE_AGAIN) {
        wait_for(c.fd, POLLIN);
        continue;
      }
      if (code != CURLE_OK || n == 0) std::exit(2);
    } else {
      const ssize_t r = recv(c.fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (r < 0) {
        wait_for(c.fd, POLLIN);
        continue;
      }
      if (r == 0) std::exit(2);
      n = static_cast<size_t>(r);
    }
    got += n;
  }
}

// The size of the answer to one request: headers up to the blank line plus Content-Length.
size_t measure_response(Connection& c, const std::string& request) {
  send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string in;
  char chunk[4096];
  for (;;) {
    wait_for(c.fd, POLLIN);
    const ssize_t r = recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (r > 0) in.append(chunk, static_cast<size_t>(r));
    const auto end = in.find("\r\n\r\n");
    const auto length = in.find("Content-Length: ");
    if (end != std::string::npos && length != std::string::npos) {
      const size_t size = end + 4 + std::strtoul(in.c_str() + length + 16, nullptr, 10);
      if (in.size() >= size) return size;
    }
    if (r == 0) std::exit(2);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [requests per round] [rounds]\n", argv[0]);
    return 2;
  }
  const int requests = argc > 2 ? std::atoi(argv[2]) : 100000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLU* url = curl_url();
  curl_url_set(url, CURLUPART_URL, argv[1], 0);
  char* host = nullptr;
  char* port = nullptr;
  char* path = nullptr;
  curl_url_get(url, CURLUPART_HOST, &host, 0);
  curl_url_get(url, CURLUPART_PORT, &port, 0);
  curl_url_get(url, CURLUPART_PATH, &path, 0);
  const std::string request = std::string("GET ") + path + " HTTP/1.1\r\nHost: " + host + (port ? std::string(":") + port : "") + "\r\n\r\n";
  Connection c = connect_only(argv[1]);
  const size_t response_size = measure_response(c, request);
  std::vector<char> buffer(8192);
  std::vector<double> raw, easy;
  for (int round = 0; round < rounds; ++round) {
    double start = cpu_seconds();
    for (int i = 0; i < requests; ++i) exchange<false>(c, request, response_size, buffer);
    raw.push_back((cpu_seconds() - start) / requests * 1e6);
    start = cpu_seconds();
    for (int i = 0; i < requests; ++i) exchange<true>(c, request, response_size, buffer);
    easy.push_back((cpu_seconds() - start) / requests * 1e6);
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("send/recv                  %.3f us CPU per request (median of %d rounds of %d)\n", median(raw), rounds,
              requests);
  std::printf("curl_easy_send/recv        %.3f us CPU per request\n", median(easy));
  std::printf("curl_easy_send/recv / raw  %.2f\n", median(easy) / median(raw));
  curl_easy_cleanup(c.easy);
  curl_free(host);
  curl_free(port);
  curl_free(path);
  curl_url_cleanup(url);
  return 0;
}
