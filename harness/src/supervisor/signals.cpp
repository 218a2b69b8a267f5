#include "supervisor/signals.h"

#include <unistd.h>

#include <csignal>
#include <mutex>

namespace bench::supervisor {

namespace {

// Globals because a signal handler can reach nothing else. Lock-free atomics are async-signal-safe.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
std::atomic<int> g_interrupts{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

void on_signal(int sig) {
  if (sig == SIGINT && g_interrupts.fetch_add(1) >= 1) {
    // Second Ctrl-C: the user wants out now. Children die with us (PDEATHSIG, the guardian).
    constexpr char message[] = "\nbench: interrupted again, exiting immediately\n";
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(130);
  }
  int expected = 0;
  g_signal.compare_exchange_strong(expected, sig);
  g_stop.store(true);
}

}  // namespace

void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, nullptr);
  });
}

const std::atomic<bool>& stop_requested() { return g_stop; }

void request_stop() { g_stop.store(true); }

void clear_stop_request() {
  g_stop.store(false);
  g_signal.store(0);
  g_interrupts.store(0);
}

int received_signal() { return g_signal.load(); }

}  // namespace bench::supervisor
