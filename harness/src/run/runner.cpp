#include "run/runner.h"

#include "database/client.h"
#include "database/embedded_postgres.h"
#include "database/query_stats.h"
#include "database/techempower.h"
#include "load/engine.h"
#include "load/wrk_output.h"
#include "report/summary.h"
#include "check/limits.h"
#include "report/result.h"
#include "run/cell.h"
#include "verify/database_probe.h"
#include "run/environment.h"
#include "run/plan.h"
#include "supervisor/group_monitor.h"
#include "supervisor/log_tail.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/signals.h"
#include "util/errors.h"

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <thread>

namespace bench::run {

namespace {

using scenario::Scenario;
using scenario::ServerSpec;
using scenario::TestType;

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

verify::TestKind kind_of(TestType type) {
  switch (type) {
    case TestType::json: return verify::TestKind::json;
    case TestType::db: return verify::TestKind::db;
    case TestType::queries: return verify::TestKind::queries;
    case TestType::fortunes: return verify::TestKind::fortunes;
    case TestType::updates: return verify::TestKind::updates;
    case TestType::plaintext: return verify::TestKind::plaintext;
  }
  return verify::TestKind::json;
}

// TechEmpower sends an Accept header matching the test; servers that negotiate content need it.
std::string accept_header(TestType type) {
  switch (type) {
    case TestType::fortunes: return "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";
    case TestType::plaintext: return "Accept: text/plain,text/html;q=0.9,*/*;q=0.8";
    default: return "Accept: application/json,text/html;q=0.9,*/*;q=0.8";
  }
}

std::string level_label(const CellPlan& cell) {
  std::string out(scenario::to_string(cell.test->type));
  if (cell.queries > 0) out += fmt::format(" q={}", cell.queries);
  out += fmt::format(" c={}", cell.connections);
  if (cell.test->pipeline > 1) out += fmt::format(" pipeline={}", cell.test->pipeline);
  return out;
}

class Runner {
 public:
  Runner(const Scenario& scenario, const RunOptions& options, Console& console)
      : scenario_(scenario), options_(options), console_(console), stop_(supervisor::stop_requested()) {}

  RunSummary execute();

 private:
  void prepare_results();
  bool start_database();
  void run_pass(const Pass& pass);
  bool build(const ServerSpec& server, report::Variant& variant);
  bool verify_variant(const ServerSpec& server, const std::string& base_url, report::Variant& variant);
  // Measures one cell; false when the variant cannot go on (its server died).
  bool measure(const Pass& pass, const CellPlan& cell, const std::string& base_url, supervisor::Process* process,
               report::Variant& variant);
  std::map<std::string, std::string> server_env(const ServerSpec& server, int port) const;
  void fail(report::Variant& variant, const std::string& reason, const std::filesystem::path& log);
  report::Variant& variant_named(const std::string& name);
  void save();
  int finish();
  bool report_broken_limits();  // prints each broken threshold; true when one is

  const Scenario& scenario_;
  const RunOptions& options_;
  Console& console_;
  const std::atomic<bool>& stop_;
  report::Run run_;
  std::filesystem::path dir_;
  std::filesystem::path file_;
  std::unique_ptr<database::EmbeddedPostgres> embedded_;
  std::optional<database::ConnectionInfo> db_info_;
  std::optional<database::Client> db_;
  int cores_ = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
};

report::Variant& Runner::variant_named(const std::string& name) {
  for (auto& v : run_.variants)
    if (v.name == name) return v;
  run_.variants.push_back({});
  run_.variants.back().name = name;
  return run_.variants.back();
}

void Runner::save() { report::save_atomic(run_, file_); }

void Runner::prepare_results() {
  dir_ = options_.results_root / (utc_now("%Y%m%d-%H%M%S") + "-" + scenario_.name);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw UsageError(fmt::format("--results-dir: cannot create {}: {}", dir_.string(), ec.message()));
  file_ = dir_ / "results.json";
  run_.scenario_name = scenario_.name;
  run_.scenario = scenario::to_json(scenario_);
  run_.environment = collect_environment();
  run_.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run_.status = "running";
  save();  // a bad path fails here, before anything is started
}

bool Runner::start_database() {
  auto mode = scenario_.database.mode;
  bool seed = scenario_.database.seed;
  std::string dsn = scenario_.database.dsn;
  if (options_.dsn) {
    mode = scenario::DatabaseSpec::Mode::dsn;
    dsn = *options_.dsn;
    seed = options_.seed;
  }
  // The parser already refused database tests with `database: none`.
  if (mode == scenario::DatabaseSpec::Mode::none) return true;
  try {
    if (mode == scenario::DatabaseSpec::Mode::embedded) {
      console_.status({"database", "start", "embedded PostgreSQL 15", {}, {}, 0});
      embedded_ = database::EmbeddedPostgres::start(std::filesystem::temp_directory_path(), &stop_);
      db_info_ = embedded_->info();
      seed = true;
      console_.log(fmt::format("database: embedded PostgreSQL on {}:{}{}", db_info_->host, db_info_->port,
                               embedded_->run_as_user() ? " (running as " + *embedded_->run_as_user() + ")" : ""));
    } else {
      db_info_ = database::parse_dsn(dsn);
      console_.log(fmt::format("database: {}:{}/{}", db_info_->host, db_info_->port, db_info_->dbname));
    }
    db_.emplace(*db_info_);
    if (seed) {
      console_.status({"database", "seed", "World 10,000 rows, Fortune 12 rows", {}, {}, 0});
      database::seed_techempower(*db_);
    }
    run_.environment.postgres_version = db_->server_version();
    return true;
  } catch (const std::exception& e) {
    if (stop_) return false;
    run_.status = "failed";
    console_.log(fmt::format("database: {}", e.what()));
    run_.variants.clear();
    for (const auto& server : scenario_.servers) {
      auto& v = variant_named(server.name);
      v.status = "skipped";
      v.reason = std::string("the database did not start: ") + e.what();
    }
    return false;
  }
}

std::map<std::string, std::string> Runner::server_env(const ServerSpec& server, int port) const {
  std::map<std::string, std::string> env;
  env[kPortVariable] = std::to_string(port);
  env[kVariantVariable] = server.name;
  // The seed's closing tip: a pool larger than the number of concurrent connections.
  env[kPoolSizeVariable] = std::to_string(scenario::max_connections(scenario_) + 8);
  if (db_info_)
    for (const auto& [k, v] : db_info_->env()) env[k] = v;
  for (const auto& [k, v] : server.env) env[k] = v;
  return env;
}

void Runner::fail(report::Variant& variant, const std::string& reason, const std::filesystem::path& log) {
  variant.status = "failed";
  variant.reason = reason;
  if (!log.empty()) {
    variant.log_file = log.string();
    variant.log_tail = supervisor::tail(log, 30);
  }
  console_.log(fmt::format("[{}] FAILED: {}", variant.name, reason));
  if (!variant.log_tail.empty()) console_.log(fmt::format("[{}] last lines of {}:\n{}", variant.name,
                                                          log.string(), variant.log_tail));
  save();
}

bool Runner::build(const ServerSpec& server, report::Variant& variant) {
  const auto log = dir_ / (server.name + ".build.log");
  console_.log(fmt::format("[{}] build: {}", server.name, *server.build));
  console_.status({server.name, "build", "", {}, {}, 0});
  supervisor::ProcessSpec spec;
  spec.argv = supervisor::shell_command(*server.build);
  spec.cwd = server.cwd;
  spec.env = server_env(server, 0);
  spec.log = log;
  try {
    const auto outcome = supervisor::run_to_completion(spec, kBuildTimeout, &stop_);
    variant.build_seconds = to_seconds(outcome.elapsed);
    if (outcome.interrupted) return false;
    if (outcome.timed_out) {
      fail(variant, fmt::format("build timed out after {}", format_duration(kBuildTimeout)), log);
      return false;
    }
    if (outcome.exit_code != 0) {
      fail(variant, fmt::format("build failed with exit code {}", outcome.exit_code), log);
      return false;
    }
  } catch (const supervisor::SpawnError& e) {
    fail(variant, std::string("build could not start: ") + e.what(), log);
    return false;
  }
  return true;
}

bool Runner::verify_variant(const ServerSpec& server, const std::string& base_url, report::Variant& variant) {
  std::optional<verify::DatabaseProbe> probe;
  if (db_) probe.emplace(*db_);
  verify::Report all;
  for (const auto type : server.tests) {
    const auto* test = scenario_.test(type);
    if (test == nullptr || stop_) continue;
    console_.status({server.name, "verify", std::string(scenario::to_string(type)), {}, {}, 0});
    all.append(verify::verify(kind_of(type), base_url, test->path, probe ? &*probe : nullptr));
  }
  if (!server.tests.empty() && !stop_) {
    const auto* first = scenario_.test(server.tests.front());
    if (first != nullptr) {
      const std::string path = scenario::takes_query_levels(first->type) ? first->path + "1" : first->path;
      all.append(verify::verify_date_header(base_url, path));
    }
  }
  int warns = 0;
  std::vector<std::string> fails;
  for (const auto& f : all.findings) {
    variant.checks.push_back({f.test, std::string(verify::to_string(f.level)), f.message});
    if (f.level == verify::Level::fail) fails.push_back(f.test + ": " + f.message);
    if (f.level == verify::Level::warn) {
      ++warns;
      console_.log(fmt::format("[{}] verify warn: {}: {}", server.name, f.test, f.message));
    }
  }
  if (stop_) return false;
  if (!fails.empty()) {
    std::string reason = fmt::format("verification failed ({} check{})", fails.size(), fails.size() == 1 ? "" : "s");
    for (size_t i = 0; i < std::min<size_t>(fails.size(), 5); ++i) reason += "\n  " + fails[i];
    fail(variant, reason, server.external() ? std::filesystem::path() : dir_ / (server.name + ".log"));
    return false;
  }
  console_.log(fmt::format("[{}] verified: {} checks passed, {} warnings", server.name,
                           all.findings.size() - static_cast<size_t>(warns), warns));
  return true;
}

bool Runner::measure(const Pass& pass, const CellPlan& cell, const std::string& base_url,
                     supervisor::Process* process, report::Variant& variant) {
  const auto& load_spec = scenario_.load;
  const std::string label = level_label(cell);
  load::Options options;
  options.request.url = base_url + cell.path();
  options.request.headers = {accept_header(cell.test->type)};
  options.connections = cell.connections;
  options.threads = threads_for(load_spec, cell.connections, cores_);
  options.rate = load_spec.rate;
  options.timeout = load_spec.timeout;
  options.drain = true;  // the probes below must see the work of the counted requests, not of abandoned ones
  options.pipeline = cell.test->pipeline;

  const auto progress = [&](const char* phase, Nanos planned) {
    return [this, &pass, &label, phase, planned](const load::Progress& p) {
      console_.status({pass.server->name, phase, label, p.elapsed, planned, p.recent_rps});
    };
  };
  // The warmup is its own run, so that the probes below see the measured phase only.
  if (load_spec.warmup.count() > 0) {
    load::Options warm = options;
    warm.duration = load_spec.warmup;
    const auto warm_result = load::run(warm, &stop_, progress("warmup", load_spec.warmup));
    if (warm_result.interrupted) return false;
  }

  options.duration = load_spec.duration;
  ProbeFigures probes;
  std::optional<database::QueryCounts> before;
  if (db_) before = database::query_counts(*db_);
  std::optional<supervisor::GroupMonitor> monitor;
  if (process != nullptr) {
    monitor.emplace(process->pgid());
    monitor->start();
  }
  // PostgreSQL's backends each start a session of their own: follow the postmaster's children instead.
  std::optional<supervisor::GroupMonitor> database_monitor;
  if (embedded_) {
    database_monitor.emplace(embedded_->pid(), supervisor::GroupMonitor::Match::children);
    database_monitor->start();
  }
  const auto result = load::run(options, &stop_, progress("measure", load_spec.duration));
  if (monitor) probes.server = monitor->stop();
  if (database_monitor) probes.database = database_monitor->stop();
  if (db_ && before) {
    try {
      probes.queries = database::query_counts(*db_) - *before;
    } catch (const std::exception& e) {
      console_.log(fmt::format("[{}] database statistics unavailable: {}", pass.server->name, e.what()));
    }
  }
  probes.server_exited = process != nullptr && !process->running();

  auto stored = make_cell({pass.server->name, std::string(scenario::to_string(cell.test->type)), cell.connections,
                           cell.queries, cell.repeat},
                          result, probes);
  run_.cells.push_back(stored);
  save();
  if (options_.print_cells) {
    console_.print(fmt::format("\n[{}] {}{}\n{}", pass.server->name, label,
                               pass.repeat > 0 ? fmt::format(" (repeat {})", pass.repeat + 1) : "",
                               load::format_wrk(result, true)));
  } else {
    console_.log(fmt::format("[{}] {}: {:.0f} req/s, p99 {:.2f}ms", pass.server->name, label,
                             stored.requests_per_sec, stored.latency.p99_us / 1000.0));
  }
  for (const auto& w : stored.warnings)
    if (!options_.print_cells) console_.log(fmt::format("[{}] {}: warning: {}", pass.server->name, label, w));
  if (probes.server_exited) {
    const auto code = process->exit_code();
    fail(variant,
         fmt::format("the server exited during {} (exit code {})", label, code ? std::to_string(*code) : "unknown"),
         process->log());
    return false;
  }
  return !result.interrupted;
}

void Runner::run_pass(const Pass& pass) {
  const ServerSpec& server = *pass.server;
  auto& variant = variant_named(server.name);
  if (variant.status == "failed") return;
  if (pass.first) {
    variant.status = "ok";
    if (server.build && !build(server, variant)) return;
  }
  if (stop_) return;

  std::optional<supervisor::Process> process;
  std::string base_url = server.url;
  const auto log = dir_ / (server.name + ".log");
  if (!server.external()) {
    const int port = server.port.value_or(supervisor::free_port());
    base_url = fmt::format("http://127.0.0.1:{}", port);
    supervisor::ProcessSpec spec;
    spec.argv = supervisor::shell_command(server.command);
    spec.cwd = server.cwd;
    spec.env = server_env(server, port);
    spec.log = log;
    console_.log(fmt::format("[{}] start: {} (port {})", server.name, server.command, port));
    try {
      process.emplace(supervisor::Process::spawn(spec));
    } catch (const supervisor::SpawnError& e) {
      fail(variant, std::string("could not start: ") + e.what(), log);
      return;
    }
    variant.log_file = log.string();
  }

  console_.status({server.name, "start", "waiting for " + server.ready.path, {}, server.ready.timeout, 0});
  const auto ready = supervisor::wait_ready(base_url + server.ready.path, server.ready.timeout,
                                            process ? &*process : nullptr, &stop_);
  if (!ready.ready) {
    if (!stop_)
      fail(variant, fmt::format("not ready: {}", ready.reason), server.external() ? std::filesystem::path() : log);
  } else {
    console_.log(fmt::format("[{}] ready after {:.2f}s", server.name, to_seconds(ready.waited)));
    const bool verified = !pass.first || verify_variant(server, base_url, variant);
    if (verified) {
      for (const auto& cell : pass.cells) {
        if (stop_) break;
        if (!measure(pass, cell, base_url, process ? &*process : nullptr, variant)) break;
      }
    }
  }
  if (process) {
    console_.status({server.name, "stop", "", {}, {}, 0});
    process->stop(kStopGrace);
  }
}

bool Runner::report_broken_limits() {
  const auto outcome = check::check(run_);
  for (const auto& line : outcome.broken) console_.print("threshold broken: " + line + "\n");
  if (outcome.limits > 0 && outcome.broken.empty()) {
    console_.print(fmt::format("thresholds: {} limit(s) hold\n", outcome.limits));
  }
  return !outcome.broken.empty();
}

int Runner::finish() {
  console_.clear();
  const bool interrupted = stop_.load();
  run_.finished_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  if (run_.status != "failed") run_.status = interrupted ? "interrupted" : "complete";
  for (auto& v : run_.variants) {
    if (v.status.empty()) {
      v.status = "skipped";
      v.reason = interrupted ? "the run was interrupted before it started" : "not run";
    }
  }
  save();
  console_.print("\n" + report::summary_table(run_));
  console_.print(fmt::format("\nresults: {}\n", file_.string()));
  const bool limits_broken = report_broken_limits();  // the scenario's thresholds (check/limits.h)
  if (interrupted) return exit_code::interrupted;
  const bool failed = run_.status == "failed" ||
                      std::any_of(run_.variants.begin(), run_.variants.end(),
                                  [](const report::Variant& v) { return v.status != "ok"; }) ||
                      std::any_of(run_.cells.begin(), run_.cells.end(),
                                  [](const report::Cell& c) { return c.status != "ok"; });
  return failed || limits_broken ? exit_code::failure : exit_code::ok;
}

RunSummary Runner::execute() {
  const auto unknown = unknown_servers(scenario_, options_.only);
  if (!unknown.empty()) throw UsageError(fmt::format("--server: no server named '{}' in {}", unknown.front(),
                                                     scenario_.file.string()));
  const auto plan = make_plan(scenario_, options_.repeat, options_.only);
  supervisor::install_signal_handlers();
  prepare_results();
  for (const auto& pass : plan) variant_named(pass.server->name);  // every variant appears, in scenario order
  console_.log(fmt::format("bench run {}: {} server(s), {} pass(es), results in {}", scenario_.name,
                           run_.variants.size(), plan.size(), dir_.string()));
  if (start_database()) {
    for (const auto& pass : plan) {
      if (stop_) break;
      try {
        run_pass(pass);
      } catch (const std::exception& e) {
        // A broken pass must not end the run: record it against the variant and go on.
        fail(variant_named(pass.server->name), std::string("internal error: ") + e.what(), {});
      }
    }
  }
  db_.reset();
  if (embedded_) {
    console_.status({"database", "stop", "", {}, {}, 0});
    embedded_->stop();
  }
  return {finish(), file_};
}

}  // namespace

RunSummary run_scenario(const Scenario& scenario, const RunOptions& options, Console& console) {
  Runner runner(scenario, options, console);
  return runner.execute();
}

}  // namespace bench::run
