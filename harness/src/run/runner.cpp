#include "run/runner.h"

#include "database/client.h"
#include "database/embedded_postgres.h"
#include "database/techempower_database.h"
#include "database/query_stats.h"
#include "database/techempower.h"
#include "fleet/launch.h"
#include "load/engine.h"
#include "load/wrk_output.h"
#include "report/summary.h"
#include "check/limits.h"
#include "report/result.h"
#include "run/cell.h"
#include "run/contention.h"
#include "verify/database_probe.h"
#include "verify/summary.h"
#include "run/environment.h"
#include "run/plan.h"
#include "run/progress.h"
#include "run/reports.h"
#include "run/results_folder.h"
#include "supervisor/adopted.h"
#include "supervisor/port_owner.h"
#include "supervisor/group_monitor.h"
#include "supervisor/guardian.h"
#include "supervisor/log_tail.h"
#include "supervisor/process.h"
#include "supervisor/readiness.h"
#include "supervisor/signals.h"
#include "topology/affinity.h"
#include "topology/placement.h"
#include "util/address.h"
#include "util/errors.h"
#include "util/utf8.h"

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
  // The server's name for the live line: with --revisions, "name@label (short hash)" where the label is no hash.
  std::string shown(const ServerSpec& server) const;
  void save();
  int finish();
  // Remembers where a Ctrl-C caught the variant (build, readiness, warmup...), for its stored reason.
  void note_interrupt(const std::string& variant);
  // After a server's group is stopped: stops what escaped it (setsid) and was adopted (supervisor/adopted.h).
  void stop_escaped(report::Variant& variant, const ServerSpec& server);
  bool report_broken_limits();  // prints each broken threshold; true when one is

  const Scenario& scenario_;
  const RunOptions& options_;
  Console& console_;
  const std::atomic<bool>& stop_;
  report::Run run_;
  std::filesystem::path dir_;
  std::filesystem::path file_;
  std::unique_ptr<database::TechEmpowerDatabase> database_;
  // Views of database_ (null or empty without one):
  database::EmbeddedPostgres* embedded_ = nullptr;
  std::optional<database::ConnectionInfo> db_info_;
  database::Client* db_ = nullptr;
  std::optional<std::string> counts_unavailable_;  // why pg_stat_statements cannot be read, when it cannot
  topology::Placement placement_;  // the scenario's placement: resolved and checked before anything starts
  int cores_ = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::string phase_;                                   // what the current pass is doing
  std::map<std::string, std::string> interrupted_in_;   // variant -> phase a Ctrl-C interrupted
  std::map<std::string, size_t> planned_cells_;         // variant -> cells the plan measures
  size_t saved_cells_ = 0;                              // cells in the last results.json that was saved whole
  std::string save_error_;                              // why the latest save failed; empty once one succeeds
};

report::Variant& Runner::variant_named(const std::string& name) {
  for (auto& v : run_.variants)
    if (v.name == name) return v;
  run_.variants.push_back({});
  run_.variants.back().name = name;
  return run_.variants.back();
}

std::string Runner::shown(const ServerSpec& server) const {
  for (const auto& revision : options_.revisions) {
    if (revision.label != server.revision) continue;
    const std::string short_hash = revision.commit.substr(0, 12);
    if (short_hash == revision.label) break;
    return fmt::format("{} ({}{})", server.name, short_hash, revision.dirty ? "+changes" : "");
  }
  return server.name;
}

// A failed save (disk full, quota, I/O error) must not end the run or leave a half file: save_atomic writes
// results.json.tmp and renames it, so the last complete results.json is still there; the partial .tmp is removed
// and the run goes on (the next save may succeed), saying what the kept file lacks.
void Runner::save() {
  try {
    report::save_atomic(run_, file_);
    saved_cells_ = run_.cells.size();
    if (!save_error_.empty()) console_.log(fmt::format("results: saved again to {}", file_.string()));
    save_error_.clear();
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(file_.string() + ".tmp", ignored);
    if (save_error_.empty()) {
      console_.log(fmt::format("results: cannot save {}: {}; the last complete version ({} cell(s)) is kept",
                               file_.string(), e.what(), saved_cells_));
    }
    save_error_ = util::valid_utf8(e.what());
  }
}

void Runner::note_interrupt(const std::string& variant) {
  if (stop_ && interrupted_in_.count(variant) == 0) interrupted_in_[variant] = phase_;
}

void Runner::stop_escaped(report::Variant& variant, const ServerSpec& server) {
  const int escaped = supervisor::stop_adopted(server.stop_grace);
  if (escaped == 0) return;
  const std::string warning = fmt::format(
      "{} process(es) left the server's process group (setsid) and outlived it; bench stopped them", escaped);
  console_.log(fmt::format("[{}] {}", server.name, warning));
  if (std::find(variant.warnings.begin(), variant.warnings.end(), warning) == variant.warnings.end())
    variant.warnings.push_back(warning);
}

void Runner::prepare_results() {
  dir_ = create_run_folder(options_.results_root, utc_now("%Y%m%d-%H%M%S") + "-" + scenario_.name);
  file_ = dir_ / "results.json";
  run_.scenario_name = scenario_.name;
  run_.scenario = scenario::to_json(scenario_);
  if (!options_.overrides.empty()) run_.scenario["overrides"] = options_.overrides;  // what the flags changed
  run_.environment = collect_environment();
  run_.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  if (placement_.pinned()) run_.placement = topology::to_json(placement_);
  run_.status = "running";
  run_.revisions = options_.revisions;
  report::save_atomic(run_, file_);  // a bad path fails here, before anything is started
  supervisor::run_on_death(mark_interrupted_command(file_));  // still `running` when bench dies: interrupted
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
    database::DatabaseRequest request;
    if (mode == scenario::DatabaseSpec::Mode::dsn) request.dsn = database::parse_dsn(dsn);
    request.seed = seed;
    request.embedded.cpus = placement_.database;
    request.embedded.listen = scenario_.listen.address;
    database_ = database::TechEmpowerDatabase::open(request, &stop_, [&](const database::DatabaseStep& step) {
      console_.status({"database", step.name, step.detail, {}, {}, 0});
    });
    embedded_ = database_->embedded();
    db_info_ = database_->info();
    db_ = &database_->admin();
    if (embedded_)
      console_.log(fmt::format("database: embedded PostgreSQL on {}:{}{}", db_info_->host, db_info_->port,
                               embedded_->run_as_user() ? " (running as " + *embedded_->run_as_user() + ")" : ""));
    else
      console_.log(fmt::format("database: {}:{}/{}", db_info_->host, db_info_->port, db_info_->dbname));
    counts_unavailable_ = database_->counts_unavailable();
    if (counts_unavailable_) {
      run_.environment.query_counts_unavailable = *counts_unavailable_;
      console_.error(fmt::format("database: no query counts in this run ({}): cells get no queries per request and "
                                 "the verifier skips its query-count checks",
                                 *counts_unavailable_));
    }
    run_.environment.postgres_version = db_->server_version();
    return true;
  } catch (const std::exception& e) {
    if (stop_) return false;
    run_.status = "failed";
    console_.error(fmt::format("database: {}", e.what()));
    run_.variants.clear();
    for (const auto& server : scenario_.servers) {
      auto& v = variant_named(server.name);
      v.status = "skipped";
      v.reason = util::valid_utf8(std::string("the database did not start: ") + e.what());
    }
    return false;
  }
}

std::map<std::string, std::string> Runner::server_env(const ServerSpec& server, int port) const {
  std::map<std::string, std::string> env;
  env[kPortVariable] = std::to_string(port);
  env[kHostVariable] = scenario_.listen.address.text;
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
  variant.reason = util::valid_utf8(reason);  // reasons quote exceptions, server answers, commands
  if (!log.empty()) {
    variant.log_file = log.string();
    variant.log_tail = supervisor::tail(log, 30);
  }
  console_.error(fmt::format("[{}] FAILED: {}", variant.name, reason));
  if (!variant.log_tail.empty()) console_.error(fmt::format("[{}] last lines of {}:\n{}", variant.name,
                                                          log.string(), variant.log_tail));
  save();
}

bool Runner::build(const ServerSpec& server, report::Variant& variant) {
  const auto log = dir_ / (server.name + ".build.log");
  console_.log(fmt::format("[{}] build: {}", server.name, *server.build));
  console_.status({shown(server), "build", "", {}, {}, 0});
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
  if (db_) probe.emplace(*db_, counts_unavailable_);
  verify::Report all;
  for (const auto type : server.tests) {
    const auto* test = scenario_.test(type);
    if (test == nullptr || stop_) continue;
    console_.status({shown(server), "verify", std::string(scenario::to_string(type)), {}, {}, 0});
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
  for (const auto& f : all.findings) {
    // The check names its URL ("/queries?queries=0: ..."), so a report says which request gave it.
    variant.checks.push_back({f.test, std::string(verify::to_string(f.level)),
                              verify::url_path(f.url, base_url) + ": " + f.message});
    if (f.level == verify::Level::warn) ++warns;
  }
  for (const auto& line : verify::summarize(all, verify::Level::warn, base_url))
    console_.log(fmt::format("[{}] verify warn: {}", server.name, line.text));
  if (stop_) return false;
  if (all.failed()) {
    fail(variant, verify::failure_reason(all, base_url),
         server.external() ? std::filesystem::path() : dir_ / (server.name + ".log"));
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
  // The load threads inherit this thread's CPUs (placement.client); so do the probes' threads, also bench's work.
  const topology::ScopedThreadAffinity client_cpus(placement_.client);
  load::Options options;
  options.request.url = base_url + cell.path();
  options.request.headers = {accept_header(cell.test->type)};
  options.connections = cell.connections;
  options.threads = threads_for(load_spec, cell.connections, cores_);
  options.rate = load_spec.rate;
  options.timeout = load_spec.timeout;
  options.drain = true;  // the probes below must see the work of the counted requests, not of abandoned ones
  options.pipeline = cell.test->pipeline;

  // load.ranks / load.launcher: the measurement runs on an Open MPI client fleet (docs/distributed.md).
  const fleet::FleetSpec fleet_spec{load_spec.ranks, load_spec.hosts, load_spec.launcher};
  const auto fleet_log = dir_ / fmt::format("{}.fleet.log", pass.server->name);
  const auto progress = [&](const char* phase, Nanos planned) {
    return [this, &pass, &label, phase, planned](const load::Progress& p) {
      console_.status({shown(*pass.server), phase, label, p.elapsed, planned, p.recent_rps});
    };
  };
  // The warmup is its own run, so that the probes below see the measured phase only.
  if (load_spec.warmup.count() > 0) {
    phase_ = "warmup";
    load::Options warm = options;
    warm.duration = load_spec.warmup;
    const auto warm_result = fleet_spec.enabled() ? fleet::run_on_fleet(fleet_spec, warm, fleet_log, &stop_)
                                                  : load::run(warm, &stop_, progress("warmup", load_spec.warmup));
    if (warm_result.interrupted) return false;
  }

  options.duration = load_spec.duration;
  phase_ = "measure";
  ProbeFigures probes;
  std::optional<database::QueryCounts> before;
  if (db_ && !counts_unavailable_) before = database::query_counts(*db_);
  // Contention: the machine's CPU and bench's own, read around the same window as the group monitors below.
  const auto cpu_before = read_cpu_times();
  const double own_before = own_cpu_seconds();
  const auto window_start = std::chrono::steady_clock::now();
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
  const auto result = fleet_spec.enabled() ? fleet::run_on_fleet(fleet_spec, options, fleet_log, &stop_)
                                           : load::run(options, &stop_, progress("measure", load_spec.duration));
  if (monitor) probes.server = monitor->stop();
  if (database_monitor) probes.database = database_monitor->stop();
  if (const auto cpu_after = read_cpu_times(); cpu_before && cpu_after) {
    const double own = own_cpu_seconds() - own_before + (probes.server ? probes.server->cpu_seconds : 0.0) +
                       (probes.database ? probes.database->cpu_seconds : 0.0);
    probes.contention = contention(*cpu_before, *cpu_after,
                                   to_seconds(std::chrono::steady_clock::now() - window_start), cores_, own,
                                   load_average_1m());
  }
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
  // wrk's block has no line for it: a busy machine is said in every mode.
  if (options_.print_cells && probes.contention)
    if (const auto w = contention_warning(*probes.contention))
      console_.log(fmt::format("[{}] {}: warning: {}", pass.server->name, label, *w));
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
    phase_ = "build";
    if (server.build && !build(server, variant)) {
      note_interrupt(server.name);
      return;
    }
    if (server.versions) {  // what the server says it is made of, kept in the results (docs/servers.md)
      supervisor::ProcessSpec spec{supervisor::shell_command(*server.versions), server.cwd, server_env(server, 0),
                                   dir_ / (server.name + ".versions.log")};
      variant.versions = server_versions(spec, std::chrono::seconds(30), &stop_);
    }
  }
  phase_ = "start";
  if (stop_) {
    note_interrupt(server.name);
    return;
  }

  std::optional<supervisor::Process> process;
  std::string base_url = server.url;
  int port = 0;
  const auto log = dir_ / (server.name + ".log");
  if (!server.external()) {
    const auto& address = scenario_.listen.address;
    port = server.port.value_or(supervisor::free_port(address));
    base_url = fmt::format("http://{}:{}", address.url_host(), port);
    // A fixed port someone else holds would have readiness, verification and load measure that process instead.
    if (server.port && !supervisor::port_free(port, address)) {
      fail(variant, fmt::format("port {} is already in use by another process (the server's `port:`); stop that "
                                "process or use `port: auto`", port), {});
      return;
    }
    supervisor::ProcessSpec spec;
    spec.argv = supervisor::shell_command(server.command);
    spec.cwd = server.cwd;
    spec.env = server_env(server, port);
    spec.log = log;
    spec.cpus = placement_.server_cpus(server.base_name.empty() ? server.name : server.base_name);
    console_.log(fmt::format("[{}] start: {} (port {})", server.name, server.command, port));
    try {
      process.emplace(supervisor::Process::spawn(spec));
    } catch (const supervisor::SpawnError& e) {
      fail(variant, std::string("could not start: ") + e.what(), log);
      return;
    }
    variant.log_file = log.string();
  }

  phase_ = "readiness";
  console_.status({shown(server), "start", "waiting for " + server.ready.path, {}, server.ready.timeout, 0});
  auto ready = supervisor::wait_ready(base_url + server.ready.path, server.ready.timeout,
                                      process ? &*process : nullptr, &stop_);
  // The answer must come from our server: its process alive and, where /proc tells, the listening socket held by
  // its process group (not by a process that took the port first).
  if (ready.ready && process) {
    if (!process->running()) {
      ready.ready = false;
      ready.reason = "the server exited, yet the port answered: another process listens there";
    } else if (const auto ours = supervisor::group_listens_on(process->pgid(), port); ours && !*ours) {
      ready.ready = false;
      ready.reason = fmt::format("port {} is answered by a process outside the server's process group", port);
    }
  }
  if (!ready.ready) {
    if (!stop_)
      fail(variant, fmt::format("not ready: {}", ready.reason), server.external() ? std::filesystem::path() : log);
    note_interrupt(server.name);
  } else {
    console_.log(fmt::format("[{}] ready after {:.2f}s", server.name, to_seconds(ready.waited)));
    phase_ = "verify";
    const bool verified = !pass.first || verify_variant(server, base_url, variant);
    if (verified) {
      for (const auto& cell : pass.cells) {
        if (stop_) break;
        if (!measure(pass, cell, base_url, process ? &*process : nullptr, variant)) break;
      }
    }
    note_interrupt(server.name);
  }
  if (process) {
    phase_ = "stop";
    console_.status({shown(server), "stop", "", {}, {}, 0});
    process->stop(server.stop_grace);
    if (process->killed_at_stop()) {
      // A SIGKILL may cut a clean shutdown short (connections, files): said as such, never hidden.
      const std::string warning = fmt::format("did not exit within {} of SIGTERM (stop_grace): killed with SIGKILL",
                                              format_duration(server.stop_grace));
      console_.log(fmt::format("[{}] {}", server.name, warning));
      if (std::find(variant.warnings.begin(), variant.warnings.end(), warning) == variant.warnings.end())
        variant.warnings.push_back(warning);
    }
    stop_escaped(variant, server);
    save();
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
    } else if (interrupted && v.status == "ok") {
      // Ctrl-C during its build, readiness, warmup or cells: not a complete measurement of the variant.
      const auto measured = static_cast<size_t>(std::count_if(run_.cells.begin(), run_.cells.end(), [&](const auto& c) {
        return c.variant == v.name && c.status == "ok";
      }));
      const size_t planned = planned_cells_[v.name];
      if (measured < planned) {
        v.status = "interrupted";
        const auto in = interrupted_in_.find(v.name);
        v.reason = fmt::format("interrupted {}({} of {} cells measured)",
                               in != interrupted_in_.end() ? "during " + in->second + " " : "", measured, planned);
      }
    }
  }
  save();
  supervisor::forget_on_death(mark_interrupted_command(file_));
  console_.print("\n" + report::summary_table(run_));
  console_.print(fmt::format("\nresults: {}\n", file_.string()));
  const bool limits_broken = report_broken_limits();  // the scenario's thresholds (check/limits.h)
  const auto reports = write_reports(run_, dir_);  // report.md and report.html beside results.json
  for (const auto& path : reports.files) console_.print(fmt::format("report:  {}\n", path.string()));
  for (const auto& error : reports.errors) console_.error("report: " + error);
  if (!save_error_.empty()) {
    console_.error(fmt::format("results: NOT saved completely: {}\n{} is the last complete version: {} of {} cells and "
                             "status 'running'; lost: the other cells, the variants' final state and the run's "
                             "status (the summary above has them)",
                             save_error_, file_.string(), saved_cells_, run_.cells.size()));
  }
  if (interrupted) return exit_code::interrupted;
  if (!save_error_.empty()) return exit_code::failure;
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
  for (const auto& pass : plan) planned_cells_[pass.server->name] += pass.cells.size();
  placement_ = topology::resolve_placement(scenario_, topology::allowed_cpus());  // a bad CPU list: exit 2
  if (const auto problem = util::cannot_listen_on(scenario_.listen.address))  // not this machine's address: exit 2
    throw scenario::ScenarioError(scenario_.listen.where,
                                  fmt::format("listen: this machine cannot listen on {}: {}",
                                              scenario_.listen.address.text, *problem));
  supervisor::install_signal_handlers();
  // Orphans of our servers (a child that called setsid, then lost its parent) come to us, not to init: stopped
  // after each pass (stop_escaped) and at the end, so nothing outlives the run.
  if (!supervisor::become_subreaper()) console_.log("warning: cannot become a child subreaper; a server process "
                                                    "that leaves its process group (setsid) may outlive the run");
  prepare_results();
  for (const auto& pass : plan) {  // every variant appears, in scenario order
    auto& variant = variant_named(pass.server->name);
    variant.revision = pass.server->revision;
    variant.base = pass.server->base_name;
  }
  for (const auto& revision : options_.revisions)
    console_.log(fmt::format("revision {}: {}{} {}", revision.label, revision.commit,
                             revision.working_tree ? (revision.dirty ? " + uncommitted changes" : " (working tree)") : "",
                             revision.subject));
  console_.log(fmt::format("bench run {}: {} server(s), {} pass(es), results in {}", scenario_.name,
                           run_.variants.size(), plan.size(), dir_.string()));
  if (placement_.pinned()) console_.log("placement: " + topology::describe(placement_));
  for (const auto& warning : placement_.warnings) console_.log("placement: warning: " + warning);
  if (start_database()) {
    for (size_t i = 0; i < plan.size(); ++i) {
      const Pass& pass = plan[i];
      if (stop_) break;
      console_.set_progress(static_cast<int>(i + 1), static_cast<int>(plan.size()),
                            expected_time(plan, scenario_.load, i));
      try {
        run_pass(pass);
      } catch (const std::exception& e) {
        // A broken pass must not end the run: record it against the variant and go on.
        fail(variant_named(pass.server->name), std::string("internal error: ") + e.what(), {});
      } catch (...) {
        fail(variant_named(pass.server->name), "internal error: an unknown exception", {});
      }
    }
  }
  db_ = nullptr;
  if (embedded_) console_.status({"database", "stop", "", {}, {}, 0});
  if (database_) database_->stop();
  supervisor::stop_adopted(std::chrono::seconds(5));  // whatever escaped and was adopted late (e.g. from a build)
  return {finish(), file_};
}

}  // namespace

RunSummary run_scenario(const Scenario& scenario, const RunOptions& options, Console& console) {
  Runner runner(scenario, options, console);
  return runner.execute();
}

}  // namespace bench::run
