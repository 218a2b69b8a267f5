// libcurl's multi handles and the sockets they open (curl_groups.h).
#include "load/curl_groups.h"

#include "load/exchange.h"

#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace bench::load {

namespace {

template <typename T>
void set(CURLM* multi, CURLMoption option, T value) {
  if (curl_multi_setopt(multi, option, value) != CURLM_OK)
    throw std::runtime_error("libcurl rejected multi option " + std::to_string(static_cast<int>(option)));
}

template <typename T>
void set(CURL* easy, CURLoption option, T value) {
  if (curl_easy_setopt(easy, option, value) != CURLE_OK)
    throw std::runtime_error("libcurl rejected option " + std::to_string(static_cast<int>(option)));
}

}  // namespace

CurlGroups::CurlGroups(SocketWatch& watch, const Clock::time_point& loop_now, size_t transfer_slots)
    : watch_(watch), loop_now_(loop_now) {
  const size_t group_count = (transfer_slots + kConnectionsPerMulti - 1) / kConnectionsPerMulti;
  for (size_t g = 0; g < group_count; ++g) {
    auto group = std::make_unique<Group>();
    group->owner = this;
    group->index = static_cast<uint32_t>(g);
    group->multi.reset(curl_multi_init());
    CURLM* multi = group->multi.get();
    if (!multi) throw std::runtime_error("curl_multi_init failed");
    set(multi, CURLMOPT_SOCKETFUNCTION, &CurlGroups::on_socket);
    set(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(group.get()));
    set(multi, CURLMOPT_TIMERFUNCTION, &CurlGroups::on_timer);
    set(multi, CURLMOPT_TIMERDATA, static_cast<void*>(group.get()));
    set(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(kConnectionsPerMulti));  // keep every idle connection
    set(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_NOTHING));       // one transfer per connection, h2 too
    groups_.push_back(std::move(group));
  }
  touched_.reserve(groups_.size());
}

CurlGroups::~CurlGroups() {
  groups_.clear();  // closes the cached connections (through on_close_socket, while watch_ still exists)
  // A socket an exchange still holds is closed here: nobody else will.
  for (size_t fd = 0; fd < holders_.size(); ++fd)
    if (holders_[fd] & kExchange) close(static_cast<int>(fd));
}

void CurlGroups::adopt(CURL* easy) {
  set(easy, CURLOPT_OPENSOCKETFUNCTION, &CurlGroups::on_open_socket);
  set(easy, CURLOPT_OPENSOCKETDATA, static_cast<void*>(this));
  set(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlGroups::on_close_socket);
  set(easy, CURLOPT_CLOSESOCKETDATA, static_cast<void*>(this));
}

void CurlGroups::set_connection(CURL* easy, uint32_t connection) {
  // CURLOPT_PRIVATE holds a pointer; the index fits in one without allocating anything.
  curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<uintptr_t>(connection)));
}

void CurlGroups::add(uint32_t slot, CURL* easy) {
  curl_multi_add_handle(groups_[slot / kConnectionsPerMulti]->multi.get(), easy);
}

void CurlGroups::remove(uint32_t slot, CURL* easy) {
  curl_multi_remove_handle(groups_[slot / kConnectionsPerMulti]->multi.get(), easy);
}

uint8_t& CurlGroups::holders(curl_socket_t fd) {
  const auto at = static_cast<size_t>(fd);
  if (at >= holders_.size()) holders_.resize(std::max(at + 1, holders_.size() * 2 + 64), 0);
  return holders_[at];
}

curl_socket_t CurlGroups::on_open_socket(void* self, curlsocktype, curl_sockaddr* address) {
  const int fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd < 0) return CURL_SOCKET_BAD;
  static_cast<CurlGroups*>(self)->holders(fd) = kLibcurl;
  return fd;
}

int CurlGroups::on_close_socket(void* self, curl_socket_t fd) {
  auto* groups = static_cast<CurlGroups*>(self);
  uint8_t& held = groups->holders(fd);
  held &= static_cast<uint8_t>(~kLibcurl);
  if (held & kExchange) return 0;  // the exchange that claimed it still uses it: release() closes it
  groups->watch_.forget(fd);
  return close(fd);
}

void CurlGroups::claim(curl_socket_t fd) { holders(fd) |= kExchange; }

void CurlGroups::release(curl_socket_t fd) {
  uint8_t& held = holders(fd);
  held &= static_cast<uint8_t>(~kExchange);
  if (held & kLibcurl) {
    watch_.remove(fd);  // libcurl closes it later; until then it must not wake the exchange
    return;
  }
  watch_.forget(fd);
  close(fd);  // also drops it from the epoll set
}

int CurlGroups::on_socket(CURL*, curl_socket_t fd, int what, void* group, void*) {
  auto* g = static_cast<Group*>(group);
  // A socket an exchange claimed is not libcurl's to watch any more, whatever late wish it has for it.
  if (g->owner->holders(fd) & kExchange) return 0;
  g->owner->watch_.want(fd, what, g->index);
  return 0;
}

int CurlGroups::on_timer(CURLM*, long timeout_ms, void* group) {
  auto* g = static_cast<Group*>(group);
  // Relative to the top of the loop iteration rather than a fresh clock read: at worst the timer fires a little
  // early (libcurl then re-arms it), and a clock read per call is measurable at these rates.
  g->deadline = timeout_ms < 0 ? Clock::time_point::max() : g->owner->loop_now_ + std::chrono::milliseconds(timeout_ms);
  return 0;
}

void CurlGroups::act(uint32_t group_index, curl_socket_t fd, int mask) {
  Group& group = *groups_[group_index];
  int running = 0;
  curl_multi_socket_action(group.multi.get(), fd, mask, &running);
  if (!group.touched) {
    group.touched = true;
    touched_.push_back(&group);
  }
}

void CurlGroups::run_due_timers(Clock::time_point now) {
  for (auto& group : groups_) {
    if (group->deadline > now) continue;
    group->deadline = Clock::time_point::max();
    act(group->index, CURL_SOCKET_TIMEOUT, 0);
    if (group->deadline == Clock::time_point::max()) {
      // libcurl calls the timer callback only when its next timeout changes. A deadline computed from loop_now_ can
      // fire a little before libcurl's own; then nothing expired, nothing changed, and no callback came: ask.
      long timeout_ms = -1;
      curl_multi_timeout(group->multi.get(), &timeout_ms);
      if (timeout_ms >= 0) group->deadline = now + std::chrono::milliseconds(timeout_ms);
    }
  }
}

void CurlGroups::read_completions() {
  // Completions appear only inside curl_multi_socket_action, so only the groups act() touched have any.
  for (Group* touched : touched_) {
    Group& group = *touched;
    group.touched = false;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(group.multi.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      char* connection = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &connection);
      exchange_->transfer_done(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(connection)), easy, code,
                               Clock::now());
    }
  }
  touched_.clear();
}

Clock::time_point CurlGroups::next_deadline() const {
  auto next = Clock::time_point::max();
  for (const auto& group : groups_) next = std::min(next, group->deadline);
  return next;
}

}  // namespace bench::load
