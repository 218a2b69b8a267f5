#pragma once
// Processes that escaped their group. A server command may start a child that calls setsid() (a daemonising
// wrapper, `setsid python app.py &`): it leaves the process group that stop() and the guardian kill. With
// PR_SET_CHILD_SUBREAPER such an orphan is re-parented to the harness instead of init, so the harness can find it
// and stop it when the variant stops; nothing it started outlives the run.

#include <sys/types.h>

#include <vector>

#include "util/duration.h"

namespace bench::supervisor {

// Makes this process the subreaper of its descendants (Linux 3.4+). False when the kernel refuses.
bool become_subreaper();

// Live children of this process that Process::spawn did not start (and that are not the guardian): descendants
// adopted after their parent died. Zombies among them are reaped on the way.
std::vector<pid_t> adopted_children();

// Stops every adopted child: SIGTERM (and SIGCONT) to its process group when it leads one, else to it alone; up to
// `grace` for it to exit; then SIGKILL; each is reaped. Repeats while new ones appear (an adopted process's own
// children are adopted in turn when it dies), a bounded number of times. Returns how many were stopped.
int stop_adopted(Nanos grace);

}  // namespace bench::supervisor
