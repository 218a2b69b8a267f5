// The fleet tests' target: a tiny HTTP/1.1 keep-alive server on ADDRESS:PORT (an address inside a test's network
// namespace, or loopback) that answers every GET with a small 200 and counts the requests it answered, so a test can
// compare the fleet's merged count with the server's own. Prints "listening" once bound and "answered N" on SIGTERM.
// Hand-written and single-threaded (poll) on purpose: the load/test_server.h one binds loopback only.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

volatile sig_atomic_t g_stop = 0;
void on_term(int) { g_stop = 1; }

constexpr const char kAnswer[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s ADDRESS PORT\n", argv[0]);
    return 2;
  }
  struct sigaction action {};
  action.sa_handler = on_term;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &address.sin_addr) != 1 ||
      bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener, 1024) != 0) {
    std::fprintf(stderr, "cannot listen on %s:%s: %s\n", argv[1], argv[2], std::strerror(errno));
    return 1;
  }
  std::printf("listening\n");
  std::fflush(stdout);

  std::vector<pollfd> fds{{listener, POLLIN, 0}};
  std::vector<std::string> pending{""};  // unparsed request bytes per fd slot
  unsigned long long answered = 0;
  char buffer[16384];
  while (!g_stop) {
    if (poll(fds.data(), fds.size(), 100) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      for (int fd; (fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fds.push_back({fd, POLLIN, 0});
        pending.emplace_back();
      }
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got <= 0) {
        if (got < 0 && errno == EAGAIN) continue;
        close(fds[i].fd);
        fds[i].fd = -1;
        continue;
      }
      pending[i].append(buffer, static_cast<size_t>(got));
      std::string out;
      for (size_t end; (end = pending[i].find("\r\n\r\n")) != std::string::npos;) {
        pending[i].erase(0, end + 4);  // GET requests only: no bodies
        out += kAnswer;
      }
      if (!out.empty() && write(fds[i].fd, out.data(), out.size()) == static_cast<ssize_t>(out.size()))
        answered += out.size() / (sizeof kAnswer - 1);
    }
    for (size_t i = fds.size(); i-- > 1;) {
      if (fds[i].fd >= 0) continue;
      fds.erase(fds.begin() + static_cast<long>(i));
      pending.erase(pending.begin() + static_cast<long>(i));
    }
  }
  std::printf("answered %llu\n", answered);
  return 0;
}
