// bench db: an embedded PostgreSQL seeded with TechEmpower's tables, for developing a new variant against the same
// database bench run gives it. Prints the DSN and the environment a server gets, then waits for Ctrl-C and removes
// the cluster (no postgres process or folder is left behind).
#include "cli/commands.h"
#include "database/client.h"
#include "database/embedded_postgres.h"
#include "database/query_stats.h"
#include "database/techempower.h"
#include "supervisor/signals.h"
#include "util/address.h"
#include "util/errors.h"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
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
  database::EmbeddedOptions options;
  const auto address = util::parse_ip(flags.listen);
  if (!address) throw UsageError("--listen: expected an IP address of this machine (e.g. 10.0.0.5), got '" + flags.listen + "'");
  if (address->wildcard())
    throw UsageError("--listen: '" + flags.listen + "' listens on every interface; give one address of this machine");
  if (const auto problem = util::cannot_listen_on(*address))
    throw UsageError("--listen: this machine cannot listen on " + address->text + ": " + *problem);
  options.listen = *address;
  supervisor::install_signal_handlers();
  const auto& stop = supervisor::stop_requested();
  fmt::print(stderr, "bench db: starting an embedded PostgreSQL\n");
  auto postgres = database::EmbeddedPostgres::start(std::filesystem::temp_directory_path(), &stop, options);
  {
    database::Client client(postgres->admin_info());  // the admin seeds; servers get info()'s role
    database::seed_techempower(client);
    database::prepare_query_stats(client);  // so a server's statements can be counted while developing it
  }
  const auto info = postgres->info();
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
  postgres->stop();
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
