#pragma once
// The guardian: a watcher process that kills every process group the harness started when the harness dies, however
// it dies (exit without cleanup, crash, SIGKILL). PR_SET_PDEATHSIG only reaches the direct child; a server command
// like `/bin/sh -c "cd x && python3 app.py"` leaves python as a grandchild that would otherwise be orphaned.
//
// How: the harness forks the guardian once, lazily on the first Process::spawn (every child goes through spawn, and
// a harness that starts nothing, e.g. `bench validate`, gets no extra process; install_signal_handlers is not called
// by every user of spawn, e.g. tests, so it would miss some). The two talk over a socketpair (SOCK_SEQPACKET: one
// record per message, EOF when every sending end is closed, and MSG_NOSIGNAL means a dead guardian is an error code,
// not SIGPIPE). The harness's end is close-on-exec, so exec'd children never hold it and EOF means "the harness is
// gone". Each child registers its own group between fork and exec (so the record always reaches the guardian before
// the EOF, even if the harness is SIGKILLed right after fork); the harness releases the group once it is fully dead.
// On EOF the guardian SIGKILLs every group still registered and exits.
//
// The guardian runs only async-signal-safe code after fork (the harness is multi-threaded by then): a fixed-size
// table, no allocation. It closes every fd but its end of the socket (stdio goes to /dev/null, so it never keeps a
// pipe or log of the harness open), moves to its own process group and ignores SIGINT, SIGTERM, SIGHUP and the job
// control signals, so a Ctrl-C or a kill of the harness's group does not take it down before it has cleaned up.
//
// Known race (documented, not handled): a group stays registered until the harness sees it empty, which Process
// checks when it reaps the leader and at the end of stop(). If the leader was reaped while other members lived on,
// those members then exited, the pgid was reused by an unrelated process group, and the harness died before calling
// stop(), that unrelated group is killed too. Linux does not reuse a pid while it is still some process's pid or
// pgid, so within one run this is very unlikely. Registrations are counted per pgid, so a release racing with the
// same pgid's reuse by a new child of ours never drops the new registration.
// Also: a copy of the harness made by fork() without exec holds the channel too, so the guardian acts only once that
// copy has exited as well (such a copy that calls Process::spawn starts a guardian of its own).

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bench::supervisor {

// How many distinct process groups the guardian tracks at once. The harness has a few (servers, builds, PostgreSQL);
// a registration beyond this is dropped (that group then relies on PDEATHSIG and stop() alone).
inline constexpr int kGuardianCapacity = 1024;

// Starts the guardian if this process has none yet (thread-safe; a forked copy of the harness starts its own) and
// returns the harness's end of the channel (close-on-exec). Throws std::system_error if socketpair or fork fails.
int guardian_channel();

// Registers process group `pgid` through `channel`. Async-signal-safe and allocation-free: called in the child
// between fork and exec. Errors (a dead guardian) are ignored: there is nothing a child could do about them.
void guard_group(int channel, pid_t pgid) noexcept;

// Tells the guardian the group is fully stopped (no live member left), so it is no longer killed at the end.
// No-op when there is no guardian. Call once per guard_group.
void release_group(pid_t pgid) noexcept;

// Cleanup the guardian does when the harness dies without doing it (SIGKILL, crash, a second Ctrl-C), after it has
// killed every registered group. run_on_death(argv) runs a command to its end: argv[0] an absolute path, a clean
// environment (PATH=/usr/bin:/bin), no stdio, from "/"; the guardian knows nothing of what it does (bench run hands
// it the command that marks its results file interrupted, run/results_folder.h). Commands run in the order given,
// before remove_on_death's paths are removed (`rm -rf`, once no registered group has a member left: the embedded
// cluster folder). forget_on_death cancels either once the harness did it itself. Paths are made absolute; at most
// 4 items (paths and commands) are kept, a command of at most 32 arguments and 4096 bytes; each call starts the
// guardian if there is none. Never throws.
void run_on_death(const std::vector<std::string>& argv);
void remove_on_death(const std::filesystem::path& path);
void forget_on_death(const std::vector<std::string>& argv);
void forget_on_death(const std::filesystem::path& path);

// The guardian's pid while this process has one (tests and diagnostics).
std::optional<pid_t> guardian_pid();

}  // namespace bench::supervisor
