#include "load/socket_watch.h"

#include <curl/curl.h>

#include <cerrno>
#include <ctime>
#include <system_error>
#include <unistd.h>

namespace bench::load {

namespace {

uint32_t epoll_events_for(int curl_poll) {
  uint32_t events = 0;
  if (curl_poll == CURL_POLL_IN || curl_poll == CURL_POLL_INOUT) events |= EPOLLIN;
  if (curl_poll == CURL_POLL_OUT || curl_poll == CURL_POLL_INOUT) events |= EPOLLOUT;
  return events;
}

}  // namespace

SocketWatch::SocketWatch(int max_events)
    : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)), events_(static_cast<size_t>(max_events)) {
  if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  ready_.reserve(events_.size());
}

SocketWatch::~SocketWatch() { close(epoll_fd_); }

void SocketWatch::ensure_capacity(int fd) {
  const auto needed = static_cast<size_t>(fd) + 1;
  if (needed > wanted_.size()) {
    const size_t size = std::max(needed, wanted_.size() * 2 + 64);
    wanted_.resize(size, 0);
    registered_.resize(size, 0);
    owner_.resize(size, 0);
  }
}

void SocketWatch::control(int fd, uint32_t events) {
  const auto at = static_cast<size_t>(fd);
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (events == 0) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &ev);
  } else if (registered_[at] == 0) {
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST) epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  } else {
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT) epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }
  registered_[at] = events;
}

void SocketWatch::want(int fd, int curl_poll, uint32_t owner) {
  ensure_capacity(fd);
  const auto at = static_cast<size_t>(fd);
  owner_[at] = owner;
  if (curl_poll == CURL_POLL_REMOVE) {
    wanted_[at] = 0;  // stays registered until it fires unwanted or libcurl wants it again
    return;
  }
  wanted_[at] = epoll_events_for(curl_poll);
  if (registered_[at] != wanted_[at]) control(fd, wanted_[at]);
}

void SocketWatch::watch(int fd, uint32_t epoll_events, uint32_t owner) {
  ensure_capacity(fd);
  const auto at = static_cast<size_t>(fd);
  owner_[at] = owner;
  wanted_[at] = epoll_events;
  if (registered_[at] != epoll_events) control(fd, epoll_events);
}

void SocketWatch::remove(int fd) {
  if (static_cast<size_t>(fd) >= wanted_.size()) return;
  if (registered_[static_cast<size_t>(fd)] != 0) control(fd, 0);
  forget(fd);
}

void SocketWatch::forget(int fd) {
  if (static_cast<size_t>(fd) >= wanted_.size()) return;
  wanted_[static_cast<size_t>(fd)] = 0;
  registered_[static_cast<size_t>(fd)] = 0;
  owner_[static_cast<size_t>(fd)] = 0;
}

const std::vector<SocketWatch::Ready>& SocketWatch::wait(std::chrono::nanoseconds timeout) {
  ready_.clear();
  const auto ns = std::max<int64_t>(0, timeout.count());
  const timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  // epoll_pwait2: nanosecond timeouts, so rate mode can send on schedule without millisecond rounding.
  const int n = epoll_pwait2(epoll_fd_, events_.data(), static_cast<int>(events_.size()), &ts, nullptr);
  for (int i = 0; i < n; ++i) {
    const int fd = events_[static_cast<size_t>(i)].data.fd;
    const uint32_t got = events_[static_cast<size_t>(i)].events;
    if (wanted_[static_cast<size_t>(fd)] == 0) {
      control(fd, 0);  // idle keep-alive socket that woke up (peer closed it): stop watching until libcurl asks
      continue;
    }
    int mask = 0;
    if (got & EPOLLIN) mask |= CURL_CSELECT_IN;
    if (got & EPOLLOUT) mask |= CURL_CSELECT_OUT;
    if (got & (EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_ERR;
    ready_.push_back({fd, mask, owner_[static_cast<size_t>(fd)]});
  }
  return ready_;
}

}  // namespace bench::load
