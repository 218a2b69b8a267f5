#include "load/test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <system_error>
#include <vector>

extern char** environ;

namespace bench::load::testing {

namespace {

using Clock = std::chrono::steady_clock;

int listen_loopback(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0) {
    close(fd);
    throw std::system_error(errno, std::generic_category(), "bind/listen");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

std::string response_for(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The answer to one request: "/close" says Connection: close (and the server closes after it), "/chunked" sends the
// body in two chunks, "/status/NNN" answers NNN; anything else 200 with Content-Length. HEAD gets no body.
std::string answer_to(const std::string& request, const std::string& body) {
  const auto line_end = request.find("\r\n");
  const std::string line = request.substr(0, line_end);
  if (line.find(" /close ") != std::string::npos)
    return "HTTP/1.1 200 X\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (line.find(" /chunked ") != std::string::npos) {
    const auto half = body.size() / 2;
    const auto chunk = [](const std::string& part) {
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", part.size());
      return size + part + "\r\n";
    };
    return "HTTP/1.1 200 X\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(body.substr(0, half)) +
           chunk(body.substr(half)) + "0\r\n\r\n";
  }
  const auto at = line.find(" /status/");
  const auto response = response_for(at == std::string::npos ? 200 : std::stoi(line.substr(at + 9, 3)), body);
  return line.rfind("HEAD ", 0) == 0 ? response.substr(0, response.size() - body.size()) : response;
}

struct Client {
  int fd;
  std::string in;
  std::string out;
  std::deque<std::pair<Clock::time_point, std::string>> pending;  // answers not yet due
  bool close_after = false;  // the last answer said Connection: close
};

// Length of the first complete request in buffer (headers plus Content-Length body), or 0.
size_t complete_request(const std::string& buffer) {
  const auto end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  size_t length = end + 4;
  const auto header = buffer.find("Content-Length:");
  if (header != std::string::npos && header < end) length += std::stoul(buffer.substr(header + 15));
  return buffer.size() >= length ? length : 0;
}


}  // namespace

TestServer::TestServer(Config config) : config_(std::move(config)) {
  listen_fd_ = listen_loopback(&port_);
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  thread_ = std::thread([this] { serve(); });
}

TestServer::~TestServer() {
  const char byte = 1;
  [[maybe_unused]] auto n = write(wake_pipe_[1], &byte, 1);
  thread_.join();
  close(listen_fd_);
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

std::string TestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

Clock::time_point TestServer::answer_due(Clock::time_point ready) const {
  const auto due = ready + config_.delay;
  if (config_.stall_every.count() <= 0 || config_.stall_for.count() <= 0) return due;
  const auto every = std::chrono::duration_cast<Clock::duration>(config_.stall_every);
  const auto offset = (due - started_) % every;
  const auto stall_starts = every - std::chrono::duration_cast<Clock::duration>(config_.stall_for);
  return offset >= stall_starts ? due + (every - offset) : due;
}

size_t TestServer::response_size() const { return response_for(200, config_.body).size(); }

void TestServer::serve() {
  std::vector<Client> clients;
  std::vector<pollfd> fds;
  char buffer[16384];
  for (;;) {
    // Wake for the earliest delayed answer.
    int timeout_ms = -1;
    const auto now = Clock::now();
    for (const auto& client : clients) {
      if (client.pending.empty()) continue;
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(client.pending.front().first - now).count();
      const int ms = static_cast<int>(std::max<int64_t>(0, wait));
      timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
    }
    fds.clear();
    fds.push_back({wake_pipe_[0], POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const auto& client : clients)
      fds.push_back({client.fd, static_cast<short>(POLLIN | (client.out.empty() ? 0 : POLLOUT)), 0});
    if (poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) break;
    if (fds[0].revents) break;
    if (fds[1].revents & POLLIN) {
      for (;;) {
        const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        clients.push_back(Client{fd, {}, {}, {}, false});
        ++connections_accepted_;
      }
    }
    const auto ready_at = Clock::now();
    for (size_t i = 0; i < clients.size(); ++i) {
      Client& client = clients[i];
      const short revents = i + 2 < fds.size() && fds[i + 2].fd == client.fd ? fds[i + 2].revents : 0;
      bool closed = false;
      if (revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t n = read(client.fd, buffer, sizeof buffer);
        if (n <= 0 && !(n < 0 && errno == EAGAIN)) closed = true;
        if (n > 0) client.in.append(buffer, static_cast<size_t>(n));
      }
      uint64_t at_once = 0;
      while (size_t length = complete_request(client.in)) {
        if (++requests_seen_ == 1) accepted_at_first_request_ = connections_accepted_.load();
        if (++at_once > most_requests_at_once_) most_requests_at_once_ = at_once;
        if (config_.mode == Mode::answer) {
          client.pending.emplace_back(answer_due(ready_at), answer_to(client.in.substr(0, length), config_.body));
          client.close_after = client.pending.back().second.find("Connection: close") != std::string::npos;
        }
        client.in.erase(0, length);
      }
      while (!client.pending.empty() && client.pending.front().first <= Clock::now()) {
        client.out += client.pending.front().second;
        client.pending.pop_front();
      }
      if (!client.out.empty() && !closed) {
        const ssize_t n = send(client.fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
        if (n > 0) client.out.erase(0, static_cast<size_t>(n));
        if (n < 0 && errno != EAGAIN) closed = true;
        if (client.out.empty() && client.pending.empty() && client.close_after) closed = true;
      }
      if (closed) {
        close(client.fd);
        clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
        --i;
      }
    }
  }
  for (const auto& client : clients) close(client.fd);
}

int dead_port() {
  int port = 0;
  const int fd = listen_loopback(&port);
  close(fd);
  return port;
}

StalledListener::StalledListener() {
  listen_fd_ = listen_loopback(&port_);
  listen(listen_fd_, 0);  // an accept queue of one: Linux drops every SYN once it holds one connection
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  // Fill the queue; a connect beyond it (a SYN dropped) stays pending in the background, as bench's will.
  for (int& fd : fillers_) {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  pollfd first{fillers_[0], POLLOUT, 0};
  poll(&first, 1, 1000);  // the first one is established (queued) before a test starts
}

StalledListener::~StalledListener() {
  for (const int fd : fillers_) close(fd);
  close(listen_fd_);
}

}  // namespace bench::load::testing

namespace bench::load::testing {

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

bool accepts_connections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool Nginx::available() { return access(kNginx, X_OK) == 0; }

Nginx::Nginx(const std::string& scheme, const std::string& listen_options, const std::string& server_extra,
             void (*prepare)(const std::string& prefix))
    : scheme_(scheme) {
  char dir[] = "/tmp/bench-nginx-XXXXXX";
  if (!mkdtemp(dir)) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  prefix_ = dir;
  port_ = dead_port();
  std::filesystem::create_directories(prefix_ + "/logs");
  if (prepare) prepare(prefix_);
  std::string extra = server_extra;  // "@PREFIX@" stands for the prefix (nginx reads relative paths elsewhere)
  for (auto at = extra.find("@PREFIX@"); at != std::string::npos; at = extra.find("@PREFIX@"))
    extra.replace(at, 8, prefix_);
  std::ofstream(prefix_ + "/nginx.conf")
      << "worker_processes 1;\ndaemon off;\nmaster_process off;\npid " << prefix_ << "/nginx.pid;\n"
      << "error_log " << prefix_ << "/error.log;\nevents { worker_connections 256; }\nhttp {\n"
      << "  log_format proto '$server_protocol';\n  access_log " << prefix_ << "/access.log proto;\n"
      << "  server { listen 127.0.0.1:" << port_ << " " << listen_options << ";\n" << extra
      << "    location / { default_type application/json; return 200 '{\"message\":\"Hello, World!\"}'; } }\n}\n";
  const std::string conf = prefix_ + "/nginx.conf";
  std::vector<std::string> args = {kNginx, "-p", prefix_, "-c", conf};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, kNginx, nullptr, nullptr, argv.data(), environ) != 0) throw std::runtime_error("cannot start nginx");
  pid_ = pid;
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (!accepts_connections(port_)) {
    if (Clock::now() > deadline || waitpid(pid_, nullptr, WNOHANG) == pid_) {
      throw std::runtime_error("nginx did not start: " + read_file(prefix_ + "/error.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Nginx::~Nginx() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    while (waitpid(pid_, nullptr, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(prefix_, ignored);
}

std::string Nginx::url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_) + "/"; }

std::string Nginx::access_log() const { return read_file(prefix_ + "/access.log"); }

NginxH2::NginxH2() : Nginx("http", "http2", "", nullptr) {}

namespace {

constexpr const char* kOpenssl = "/usr/bin/openssl";

// A P-256 key and a self-signed certificate for localhost, valid one day, in prefix/key.pem and prefix/cert.pem.
void make_self_signed(const std::string& prefix) {
  std::vector<std::string> args = {kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                   "-nodes", "-keyout", prefix + "/key.pem", "-out", prefix + "/cert.pem",
                                   "-days", "1", "-subj", "/CN=localhost"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, kOpenssl, &quiet, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&quiet);
  if (spawned != 0) throw std::runtime_error("cannot start openssl");
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("openssl could not make a certificate");
}

}  // namespace

bool NginxTls::available() { return Nginx::available() && access(kOpenssl, X_OK) == 0; }

NginxTls::NginxTls()
    : Nginx("https", "ssl", "    ssl_certificate @PREFIX@/cert.pem;\n    ssl_certificate_key @PREFIX@/key.pem;\n", &make_self_signed) {}

}  // namespace bench::load::testing
