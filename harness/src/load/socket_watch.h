#pragma once
// The epoll set behind one worker: libcurl's sockets and the direct exchange's. libcurl says which sockets it wants
// watched and for what (CURLMOPT_SOCKETFUNCTION); this class turns that into as few epoll_ctl calls as possible.
//
// Why lazy: between two requests on a kept-alive connection libcurl says "remove" and then "watch for reading" again.
// Following it literally costs two epoll_ctl calls per request. Instead a removed socket stays registered; if it fires
// while libcurl has no interest, it is dropped from the set then (so an idle socket the server closed cannot spin the
// loop). Sockets are forgotten when libcurl closes them (CURLOPT_CLOSESOCKETFUNCTION), so a reused fd number starts
// clean.

#include <sys/epoll.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace bench::load {

class SocketWatch {
 public:
  // max_events: how many ready sockets one wait() returns at most.
  explicit SocketWatch(int max_events);
  ~SocketWatch();
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  // libcurl's CURL_POLL_* wish for fd; owner says which of the worker's multi handles the socket belongs to.
  void want(int fd, int curl_poll, uint32_t owner);
  // A socket bench reads and writes itself: watch it for exactly these EPOLLIN/EPOLLOUT events.
  void watch(int fd, uint32_t epoll_events, uint32_t owner);
  // fd stays open but must not wake this set any more: take it out of the epoll set and forget it.
  void remove(int fd);
  // fd is being closed: forget its state and owner (the kernel drops it from the epoll set on close).
  void forget(int fd);
  // The owner last given for fd (0 when none).
  uint32_t owner_of(int fd) const {
    return static_cast<size_t>(fd) < owner_.size() ? owner_[static_cast<size_t>(fd)] : 0;
  }

  // Waits up to timeout (0 = poll) and returns the ready sockets libcurl still wants, as (fd, CURL_CSELECT_* mask);
  // ready sockets it no longer wants are removed from the set on the way.
  struct Ready {
    int fd;
    int mask;
    uint32_t owner;
  };
  const std::vector<Ready>& wait(std::chrono::nanoseconds timeout);

 private:
  void ensure_capacity(int fd);
  void control(int fd, uint32_t events);

  int epoll_fd_;
  std::vector<epoll_event> events_;
  std::vector<Ready> ready_;
  std::vector<uint32_t> wanted_;      // by fd: EPOLLIN/EPOLLOUT libcurl asked for (0 = removed)
  std::vector<uint32_t> registered_;  // by fd: what the epoll set holds (0 = absent)
  std::vector<uint32_t> owner_;       // by fd: the owner given to want()
};

}  // namespace bench::load
