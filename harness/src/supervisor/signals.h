#pragma once
// Signal handling in one place. SIGINT, SIGTERM and SIGHUP only set a flag; every loop that waits (readiness,
// run_to_completion, the load engine, bench run) polls it and winds down, stopping its children on the way out.
// A second SIGINT escalates: the harness exits at once (130); PR_SET_PDEATHSIG and the guardian (guardian.h) take
// its children and their process groups with it.

#include <atomic>

namespace bench::supervisor {

// Installs the handlers (idempotent) and ignores SIGPIPE, so a peer that hangs up is an error code, not death.
// Children get every disposition reset to default when spawned.
void install_signal_handlers();

// The flag the handlers set. Lives for the whole program; pass its address as `stop` to the waiting functions.
const std::atomic<bool>& stop_requested();

// Sets the flag as a signal would (for code paths that want to wind everything down, and for tests).
void request_stop();

// Clears the flag and the remembered signal (tests; a new run in the same process).
void clear_stop_request();

// The signal that set the flag (SIGINT, SIGTERM, SIGHUP), 0 if none or if request_stop() set it.
int received_signal();

}  // namespace bench::supervisor
