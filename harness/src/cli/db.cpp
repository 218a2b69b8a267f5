// bench db: an embedded PostgreSQL seeded with TechEmpower's tables, for developing a new variant against the same
// database bench run gives it. Prints the DSN and the environment a server gets, then waits for Ctrl-C and removes
// the cluster (no postgres process or folder is left behind).
#include "cli/commands.h"
#include "database/techempower_database.h"
#include "supervisor/signals.h"
#include "util/address.h"
#include "util/errors.h"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace bench::cli {

namespace {

// A value in single quotes for a POSIX shell ('it'\''s').
std::string shell_quoted(const std::string& value) {
  std::string out = "'";
  for (const char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct DbFlags {
  std::string listen = "127.0.0.1";
};

int run_db(const DbFlags& flags) {
  database::DatabaseRequest request;  // embedded, seeded, pg_stat_statements ready (so a server's statements count)
  try {
    request.embedded.listen = util::parse_listen_address(flags.listen);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--listen: ") + e.what());
  }
  if (const auto problem = util::cannot_listen_on(request.embedded.listen))
    throw UsageError("--listen: this machine cannot listen on " + request.embedded.listen.text + ": " + *problem);
  supervisor::install_signal_handlers();
  const auto& stop = supervisor::stop_requested();
  fmt::print(stderr, "bench db: starting an embedded PostgreSQL\n");
  auto database = database::TechEmpowerDatabase::open(request, &stop);
  const auto* postgres = database->embedded();
  const auto& info = database->info();
  // stdout carries only what a developer copies: the DSN and the export lines (eval-able).
  fmt::print("# bench db: PostgreSQL on {}:{}, database {}, seeded with TechEmpower's World (10,000 rows) and Fortune "
             "(12 rows) tables\n",
             info.host, info.port, info.dbname);
  fmt::print("# DSN (for bench verify --dsn and bench run --dsn):\n# {}\n", info.url());
  fmt::print("# The environment bench run gives a server (paste into the server's shell):\n");
  for (const auto& [name, value] : info.env()) fmt::print("export {}={}\n", name, shell_quoted(value));
  fmt::print("# postmaster pid {}, cluster folder {} (removed on exit). Ctrl-C stops it.\n", postgres->pid(),
             postgres->folder().string());
  std::fflush(stdout);
  // Polls the flag the signal handlers set: nothing else to wait for, and PostgreSQL runs on its own.
  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  database->stop();
  fmt::print(stderr, "bench db: stopped, cluster removed\n");
  return exit_code::ok;
}

}  // namespace

Command setup_db(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "db", "Start a seeded embedded PostgreSQL, print its DSN and server environment, stop it on Ctrl-C");
  auto flags = std::make_shared<DbFlags>();
  sub->add_option("--listen", flags->listen,
                  "The address PostgreSQL listens on (default 127.0.0.1); another of this machine's addresses lets "
                  "servers on other hosts use it, with the printed password");
  return {sub, [flags] { return run_db(*flags); }};
}

}  // namespace bench::cli
