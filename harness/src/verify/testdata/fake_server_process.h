#pragma once
// Test fixtures over testdata/fake_server.py: a FakeServer process (RAII: started in the constructor, stopped and
// reaped in the destructor whatever the test did) and a FakeDbProbe that reads the fake's own table and counters
// (/_world, /_counts), standing in for pg_stat_statements and the World table.

#include <sys/types.h>

#include <string>

#include "verify/http_client.h"
#include "verify/verifier.h"

namespace bench::verify::testing {

// One fake TechEmpower server in a given --mode, listening on a free loopback port.
class FakeServer {
 public:
  // Starts the server and waits (up to 10 s) for its port line. Throws std::runtime_error when it does not come.
  explicit FakeServer(const std::string& mode);
  // SIGTERM, then SIGKILL if it has not exited within 2 s; always reaped.
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  // "http://127.0.0.1:<port>"
  std::string base_url() const;
  pid_t pid() const { return pid_; }

 private:
  void stop();

  pid_t pid_ = -1;
  int port_ = 0;
};

// A DbProbe over the fake server's in-memory database.
class FakeDbProbe : public DbProbe {
 public:
  explicit FakeDbProbe(std::string base_url);
  std::map<int, int> world_snapshot() override;
  QueryCounts query_counts() override;

 private:
  std::string base_url_;
  HttpClient client_;
};

}  // namespace bench::verify::testing
