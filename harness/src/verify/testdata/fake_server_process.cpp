#include "verify/testdata/fake_server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace bench::verify::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Reads one line from `fd` until `deadline`; empty when none arrived (the child died or was too slow).
std::string read_line(int fd, Clock::time_point deadline) {
  std::string line;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 1))) <= 0) continue;
    char c = 0;
    if (read(fd, &c, 1) != 1) break;  // EOF: the child exited
    if (c == '\n') return line;
    line += c;
  }
  return "";
}

// Waits for `pid` to exit until `deadline`; true when it was reaped.
bool reap(pid_t pid, Clock::time_point deadline) {
  while (true) {
    const pid_t done = waitpid(pid, nullptr, WNOHANG);
    if (done == pid || done < 0) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling the real exit condition
  }
}

int64_t count(const nlohmann::json& counts, const char* key) { return counts.at(key).get<int64_t>(); }

}  // namespace

FakeServer::FakeServer(const std::string& mode) {
  std::array<int, 2> pipe_fds{};
  if (pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  Fd read_end{pipe_fds[0]};
  Fd write_end{pipe_fds[1]};
  const std::string mode_arg = "--mode=" + mode;
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test must not leave the server behind
    if (getppid() != parent) _exit(127);
    dup2(write_end.fd, STDOUT_FILENO);
    execl(PYTHON3, PYTHON3, FAKE_SERVER_PY, "--port=0", mode_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(write_end.fd);
  write_end.fd = -1;
  const std::string line = read_line(read_end.fd, Clock::now() + std::chrono::seconds(10));
  try {
    port_ = std::stoi(line);
  } catch (const std::exception&) {
    stop();
    throw std::runtime_error("fake server (mode " + mode + ") printed no port line: '" + line + "'");
  }
}

FakeServer::~FakeServer() { stop(); }

void FakeServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  if (!reap(pid_, Clock::now() + std::chrono::seconds(2))) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

std::string FakeServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

FakeDbProbe::FakeDbProbe(std::string base_url)
    : base_url_(std::move(base_url)), client_(std::chrono::milliseconds(5000)) {}

std::map<int, int> FakeDbProbe::world_snapshot() {
  const auto response = client_.get(base_url_ + "/_world");
  if (response.status != 200) throw std::runtime_error("/_world failed: " + response.error);
  std::map<int, int> world;
  const auto table = nlohmann::json::parse(response.body);
  for (const auto& [id, value] : table.items()) world[std::stoi(id)] = value.get<int>();
  return world;
}

QueryCounts FakeDbProbe::query_counts() {
  const auto response = client_.get(base_url_ + "/_counts");
  if (response.status != 200) throw std::runtime_error("/_counts failed: " + response.error);
  const auto counts = nlohmann::json::parse(response.body);
  return QueryCounts{count(counts, "select_world_calls"),   count(counts, "select_world_rows"),
                     count(counts, "update_world_calls"),   count(counts, "update_world_rows"),
                     count(counts, "select_fortune_calls"), count(counts, "select_fortune_rows")};
}

}  // namespace bench::verify::testing
