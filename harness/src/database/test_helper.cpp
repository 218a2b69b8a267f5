// A stand-in for bench in the database tests: starts an embedded cluster in WORKDIR, opens a connection, prints
// "<postmaster pid> <backend pid> <cluster folder>" and waits to be killed, so a test can check that PostgreSQL
// does not outlive a harness that dies without cleaning up.
#include <unistd.h>

#include <iostream>
#include <string>

#include "database/client.h"
#include "database/embedded_postgres.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: database_test_helper WORKDIR\n";
    return 2;
  }
  auto postgres = bench::database::EmbeddedPostgres::start(argv[1]);
  bench::database::Client client(postgres->info());
  const auto backend = client.query("SELECT pg_backend_pid()").at(0).at(0).value_or("0");
  std::cout << postgres->pid() << ' ' << backend << ' ' << postgres->folder().string() << std::endl;
  while (true) ::pause();
}
