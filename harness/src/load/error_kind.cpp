#include "load/error_kind.h"

namespace bench::load {

ErrorKind classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return ErrorKind::connect;
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return ErrorKind::read;
    case CURLE_SEND_ERROR:
      return ErrorKind::write;
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorKind::timeout;
    default:
      return ErrorKind::other;
  }
}

void count_error(ErrorKind kind, ErrorCounts& counts, uint64_t n) {
  switch (kind) {
    case ErrorKind::connect: counts.connect += n; break;
    case ErrorKind::read: counts.read += n; break;
    case ErrorKind::write: counts.write += n; break;
    case ErrorKind::timeout: counts.timeout += n; break;
    case ErrorKind::other: counts.other += n; break;
  }
}

}  // namespace bench::load
