// bench verify URL: TechEmpower's verification of a server that is already running (or that bench starts with
// --command), without a scenario, a build or load. For developing a new variant: run it, point bench verify at it.
#include "cli/commands.h"
#include "database/connection.h"
#include "database/techempower_database.h"
#include "run/runner.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/signals.h"
#include "util/duration.h"
#include "util/errors.h"
#include "verify/database_probe.h"
#include "verify/summary.h"
#include "verify/verifier.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bench::cli {

namespace {

struct VerifyFlags {
  std::string url;
  std::vector<std::string> tests;
  std::string dsn;
  bool seed = false;
  std::string command;
  std::string ready_timeout = "30s";
  std::string timeout = "5s";
  int requests = verify::Options{}.burst_requests;
  int connections = verify::Options{}.burst_connections;
};

// TechEmpower's usual paths; --test TYPE=PATH names another.
const std::pair<verify::TestKind, const char*> kDefaults[] = {
    {verify::TestKind::json, "/json"},         {verify::TestKind::db, "/db"},
    {verify::TestKind::queries, "/queries?queries="}, {verify::TestKind::fortunes, "/fortunes"},
    {verify::TestKind::updates, "/updates?queries="}, {verify::TestKind::plaintext, "/plaintext"}};

struct Test {
  verify::TestKind kind;
  std::string path;
};

std::vector<Test> parse_tests(const std::vector<std::string>& flags) {
  std::vector<Test> tests;
  if (flags.empty()) {
    for (const auto& [kind, path] : kDefaults) tests.push_back({kind, path});
    return tests;
  }
  for (const auto& flag : flags) {
    const auto eq = flag.find('=');
    const std::string name = flag.substr(0, eq);
    const auto known = std::find_if(std::begin(kDefaults), std::end(kDefaults),
                                    [&](const auto& d) { return verify::to_string(d.first) == name; });
    if (known == std::end(kDefaults)) {
      throw UsageError(fmt::format("--test: unknown test type '{}' (json, db, queries, fortunes, updates, plaintext; "
                                   "TYPE=PATH for another path)",
                                   name));
    }
    std::string path = eq == std::string::npos ? known->second : flag.substr(eq + 1);
    if (path.empty() || path.front() != '/') throw UsageError("--test " + flag + ": the path must start with '/'");
    tests.push_back({known->first, std::move(path)});
  }
  return tests;
}

bool needs_database(const std::vector<Test>& tests) {
  return std::any_of(tests.begin(), tests.end(), [](const Test& t) {
    return t.kind != verify::TestKind::json && t.kind != verify::TestKind::plaintext;
  });
}

// The server's base URL: scheme, host and port, no path ("http://127.0.0.1:8080").
std::string base_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos || (url.compare(0, scheme, "http") != 0 && url.compare(0, scheme, "https") != 0) ||
      scheme + 3 >= url.size()) {
    throw UsageError("URL: '" + url + "' is not an http:// or https:// URL (e.g. http://127.0.0.1:8080)");
  }
  std::string base = url;
  const auto path = url.find('/', scheme + 3);
  if (path != std::string::npos) base = url.substr(0, path);
  return base;
}

// Prints one level's lines, "pass  json /json: ...".
void print_lines(const verify::Report& report, verify::Level level, const std::string& base) {
  for (const auto& line : verify::summarize(report, level, base))
    fmt::print("{:<5} {}\n", verify::to_string(level), line.text);
}

int run_verify(const VerifyFlags& flags) {
  const std::string base = base_url(flags.url);
  const auto tests = parse_tests(flags.tests);
  if (flags.requests < 1) throw UsageError("--requests: must be at least 1");
  if (flags.connections < 1) throw UsageError("--connections: must be at least 1");
  if (!flags.dsn.empty() && !flags.command.empty()) throw UsageError("--dsn and --command: give one of them");
  if (flags.seed && flags.dsn.empty()) throw UsageError("--seed: only with --dsn");
  const auto duration_flag = [](const char* flag, const std::string& text) {
    try {
      return parse_duration(text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string(flag) + ": " + e.what());
    }
  };
  const Nanos ready_timeout = duration_flag("--ready-timeout", flags.ready_timeout);
  const Nanos timeout = duration_flag("--timeout", flags.timeout);
  if (timeout < std::chrono::milliseconds(1)) throw UsageError("--timeout: must be at least 1ms");

  supervisor::install_signal_handlers();
  const auto& stop = supervisor::stop_requested();
  std::unique_ptr<database::TechEmpowerDatabase> database;
  if (!flags.dsn.empty()) {
    database::DatabaseRequest request;
    try {
      request.dsn = database::parse_dsn(flags.dsn);
    } catch (const database::DatabaseError& e) {
      throw UsageError(std::string("--dsn: ") + e.what());
    }
    request.seed = flags.seed;
    database = database::TechEmpowerDatabase::open(request, &stop);
  } else if (!flags.command.empty() && needs_database(tests)) {
    fmt::print(stderr, "bench verify: starting an embedded PostgreSQL for the check\n");
    database = database::TechEmpowerDatabase::open({}, &stop);
  }
  std::optional<verify::DatabaseProbe> probe;
  if (database) probe.emplace(database->admin(), database->counts_unavailable());

  std::optional<supervisor::Process> server;
  if (!flags.command.empty()) {
    supervisor::ProcessSpec spec;
    spec.argv = supervisor::shell_command(flags.command);
    if (database) spec.env = database->info().env();
    // The port from the URL as PORT, as bench run gives it, so a scenario's run command works unchanged.
    const auto colon = base.rfind(':');
    if (colon != std::string::npos && base.find_first_not_of("0123456789", colon + 1) == std::string::npos &&
        colon + 1 < base.size())
      spec.env[run::kPortVariable] = base.substr(colon + 1);
    server = supervisor::Process::spawn(spec);
    const auto ready = supervisor::wait_ready(base + tests.front().path + (tests.front().path.back() == '=' ? "1" : ""),
                                              ready_timeout, &*server, &stop);
    if (!ready.ready) {
      fmt::print(stderr, "bench verify: the server is not ready: {}\n", ready.reason);
      return stop ? exit_code::interrupted : exit_code::failure;
    }
  }

  verify::Options options;
  options.burst_requests = flags.requests;
  options.burst_connections = flags.connections;
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  verify::Report report;
  for (const auto& test : tests) {
    if (stop) break;
    fmt::print(stderr, "bench verify: {} {}{}\n", verify::to_string(test.kind), base, test.path);
    report.append(verify::verify(test.kind, base, test.path, probe ? &*probe : nullptr, options));
  }
  if (!stop) {
    const auto& first = tests.front();
    report.append(verify::verify_date_header(base, first.path.back() == '=' ? first.path + "1" : first.path,
                                             std::chrono::milliseconds(1100), std::chrono::milliseconds(3000),
                                             options));
  }
  if (server) server->stop();
  if (database) database->stop();
  if (stop) return exit_code::interrupted;

  print_lines(report, verify::Level::pass, base);
  print_lines(report, verify::Level::warn, base);
  print_lines(report, verify::Level::fail, base);
  size_t counts[3] = {0, 0, 0};
  for (const auto& f : report.findings) ++counts[static_cast<int>(f.level)];
  fmt::print("bench verify: {} passed, {} warning{}, {} failed{}\n", counts[0], counts[1], counts[1] == 1 ? "" : "s",
             counts[2], probe ? "" : " (no database: query counts not checked; give --dsn or --command)");
  return report.failed() ? exit_code::failure : exit_code::ok;
}

}  // namespace

Command setup_verify(CLI::App& app) {
  auto flags = std::make_shared<VerifyFlags>();
  auto* sub = app.add_subcommand("verify", "Verify a running server as TechEmpower would, without load (docs/verify.md)");
  sub->add_option("url", flags->url, "The server's base URL, e.g. http://127.0.0.1:8080")->required();
  sub->add_option("-t,--test", flags->tests,
                  "A test type to verify, TYPE or TYPE=PATH (repeatable; default: all six on TechEmpower's paths)");
  sub->add_option("--dsn", flags->dsn, "The database the server uses, for the query counts (e.g. bench db's DSN)");
  sub->add_flag("--seed", flags->seed, "With --dsn: create and fill the TechEmpower tables there first");
  sub->add_option("--command", flags->command,
                  "Start the server with this shell command against an embedded, seeded PostgreSQL (its environment "
                  "as bench run gives it), verify, stop both");
  sub->add_option("--ready-timeout", flags->ready_timeout, "With --command: how long the server may take to answer");
  sub->add_option("--timeout", flags->timeout, "Per-request timeout (default 5s, as bench run's verification)");
  sub->add_option("--requests", flags->requests, "Requests in each query-count burst (default: TechEmpower's 512)");
  sub->add_option("--connections", flags->connections, "Connections the burst is spread over (default 8)");
  return {sub, [flags] { return run_verify(*flags); }};
}

}  // namespace bench::cli
