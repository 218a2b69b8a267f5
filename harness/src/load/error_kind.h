#pragma once
// How a failed transfer is counted: libcurl's result codes mapped onto wrk's error kinds.

#include "load/engine.h"

#include <curl/curl.h>

namespace bench::load {

enum class ErrorKind { connect, read, write, timeout, other };

// COULDNT_CONNECT (and unresolvable hosts) -> connect; RECV_ERROR, GOT_NOTHING, PARTIAL_FILE, HTTP/2 stream errors and
// unparsable replies -> read; SEND_ERROR -> write; OPERATION_TIMEDOUT -> timeout; the rest -> other.
ErrorKind classify(CURLcode code);

// Adds n errors of the given kind.
void count_error(ErrorKind kind, ErrorCounts& counts, uint64_t n = 1);

}  // namespace bench::load
