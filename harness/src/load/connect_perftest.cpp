// A perf test, not a unit test (run by hand; docs/performance.md): the CPU one new connection costs a client that
// connects as wrk does (socket, O_NONBLOCK, TCP_NODELAY, a non-blocking connect, an epoll registration, then the
// wait until it is writable), against a libcurl CONNECT_ONLY transfer through a multi handle as the direct exchange
// makes one (add, connect, completion, CURLINFO_ACTIVESOCKET, remove), with the URL given as CURLOPT_URL or parsed
// once (CURLOPT_CURLU). Rounds of N connections, the three ways alternating; prints the medians of CPU microseconds
// per connection. The sockets are closed after each round, outside the time counted.
//
//   build/harness/src/load/load_connect_perftest http://127.0.0.1:PORT/ [connections per round] [rounds]
//
// The URL's host must be an IPv4 literal. scripts/bench-loadgen's nginx serves; pin this to another core than the
// server's (taskset) as bench-loadgen does.
#include <curl/curl.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace {

constexpr int kPerMulti = 32;  // as the load engine's groups (curl_groups.h)

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// wrk's way (net.c/wrk.c connect_socket); returns CPU seconds for n connects, and the sockets in fds.
double bare_round(const sockaddr_in& address, int n, std::vector<int>& fds) {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  std::vector<epoll_event> events(static_cast<size_t>(n));
  const double start = cpu_seconds();
  for (int i = 0; i < n; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    epoll_event event{};
    event.events = EPOLLOUT;
    event.data.fd = fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
    fds.push_back(fd);
  }
  for (int connected = 0; connected < n;) connected += std::max(0, epoll_wait(epoll_fd, events.data(), n, 1000));
  const double spent = cpu_seconds() - start;
  close(epoll_fd);
  return spent;
}

curl_socket_t open_socket(void*, curlsocktype, curl_sockaddr* address) {
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}
int keep_socket(void*, curl_socket_t) { return 0; }  // the round closes them, as the exchange owns claimed ones

struct Curl {
  std::vector<CURLM*> multis;
  std::vector<CURL*> handles;
};

// The direct exchange's way (exchange_direct.cpp), handles made once and reused every round.
double curl_round(Curl& curl, std::vector<int>& fds) {
  const double start = cpu_seconds();
  for (size_t i = 0; i < curl.handles.size(); ++i) curl_multi_add_handle(curl.multis[i / kPerMulti], curl.handles[i]);
  for (CURLM* multi : curl.multis) {
    for (int running = 1; running;) {
      curl_multi_perform(multi, &running);
      if (running) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    int left = 0;
    while (curl_multi_info_read(multi, &left)) {
    }
  }
  for (size_t i = 0; i < curl.handles.size(); ++i) {
    curl_socket_t fd = CURL_SOCKET_BAD;
    curl_easy_getinfo(curl.handles[i], CURLINFO_ACTIVESOCKET, &fd);
    curl_multi_remove_handle(curl.multis[i / kPerMulti], curl.handles[i]);
    if (fd != CURL_SOCKET_BAD) fds.push_back(fd);
  }
  return cpu_seconds() - start;
}

Curl make_curl(const char* url, CURLU* parsed, int n) {
  Curl curl;
  for (int i = 0; i < (n + kPerMulti - 1) / kPerMulti; ++i) curl.multis.push_back(curl_multi_init());
  for (int i = 0; i < n; ++i) {
    CURL* easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url);
    if (parsed) curl_easy_setopt(easy, CURLOPT_CURLU, parsed);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 1024L);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &keep_socket);
    curl.handles.push_back(easy);
  }
  return curl;
}

void close_all(std::vector<int>& fds) {
  for (const int fd : fds) close(fd);
  fds.clear();
  usleep(200'000);  // let the server see the closes before the next round
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s http://127.0.0.1:PORT/ [connections per round] [rounds]\n", argv[0]);
    return 2;
  }
  const char* url = argv[1];
  const int n = argc > 2 ? std::atoi(argv[2]) : 1024;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 7;
  const std::string text(url);
  const auto host_at = text.find("://") + 3;
  const auto port_at = text.find(':', host_at);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(std::atoi(text.c_str() + port_at + 1)));
  if (port_at == std::string::npos ||
      inet_pton(AF_INET, text.substr(host_at, port_at - host_at).c_str(), &address.sin_addr) != 1) {
    std::fprintf(stderr, "the URL must be http://IPV4:PORT/\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLU* parsed = curl_url();
  curl_url_set(parsed, CURLUPART_URL, url, 0);
  Curl with_url = make_curl(url, nullptr, n);
  Curl with_curlu = make_curl(url, parsed, n);
  std::vector<double> bare, curl_url, curl_curlu;
  std::vector<int> fds;
  for (int round = 0; round < rounds; ++round) {
    bare.push_back(bare_round(address, n, fds) / n * 1e6);
    close_all(fds);
    curl_url.push_back(curl_round(with_url, fds) / n * 1e6);
    close_all(fds);
    curl_curlu.push_back(curl_round(with_curlu, fds) / n * 1e6);
    close_all(fds);
  }
  std::printf("CPU per connection, median of %d rounds of %d:\n", rounds, n);
  std::printf("  bare connect (wrk's way)            %6.1f us\n", median(bare));
  std::printf("  libcurl CONNECT_ONLY, CURLOPT_URL   %6.1f us  (%.2fx)\n", median(curl_url),
              median(curl_url) / median(bare));
  std::printf("  libcurl CONNECT_ONLY, CURLOPT_CURLU %6.1f us  (%.2fx)\n", median(curl_curlu),
              median(curl_curlu) / median(bare));
  return 0;
}
