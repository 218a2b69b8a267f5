#include "report/synthetic.h"

#include <random>

namespace bench::report::testing {
namespace {

Latency latency_for(double mean_us, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> jitter(0.97, 1.03);
  Latency l;
  l.mean_us = mean_us;
  l.stdev_us = mean_us * 0.35;
  l.min_us = mean_us * 0.2;
  l.p50_us = mean_us * 0.92 * jitter(rng);
  l.p75_us = mean_us * 1.15 * jitter(rng);
  l.p90_us = mean_us * 1.45 * jitter(rng);
  l.p99_us = mean_us * 2.4 * jitter(rng);
  l.p999_us = mean_us * 4.1 * jitter(rng);
  l.p9999_us = mean_us * 6.0 * jitter(rng);
  l.max_us = mean_us * 7.5;
  l.curve = {{0, l.min_us},      {50, l.p50_us},     {75, l.p75_us},       {90, l.p90_us},
             {99, l.p99_us},     {99.9, l.p999_us},  {99.99, l.p9999_us},  {100, l.max_us}};
  return l;
}

Cell cell_for(const SyntheticVariant& v, const std::string& test, int connections, int queries, int repeat,
              double rps, std::mt19937_64& rng) {
  Cell c;
  c.variant = v.name;
  c.test = test;
  c.connections = connections;
  c.queries = queries;
  c.repeat = repeat;
  c.status = "ok";
  c.duration_s = 15;
  c.requests_per_sec = rps;
  c.requests = static_cast<uint64_t>(rps * c.duration_s);
  c.transfer_bytes_per_sec = rps * (queries > 0 ? 1100 : 190);
  c.latency = latency_for(1e6 * connections / rps, rng);
  c.status_codes = {{200, c.requests}};
  c.db_queries_per_request = queries > 0 ? queries : 1;
  c.db_rows_per_request = queries > 0 ? queries : 1;
  c.server_cpu_us_per_request = 0.97e6 / rps;  // one busy server core
  c.client_cpu_us_per_request = 0.1e6 / rps;
  c.server_peak_rss_bytes = static_cast<uint64_t>(60e6 + 1e6 * static_cast<double>(v.name.size()));
  return c;
}

}  // namespace

Run synthetic_run(const SyntheticSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::uniform_real_distribution<double> noise(1.0 - spec.noise, 1.0 + spec.noise);
  Run run;
  run.scenario_name = spec.scenario_name;
  run.scenario = {{"name", spec.scenario_name}, {"load", {{"connections", spec.connections}, {"repeat", spec.repeats}}}};
  run.environment = {"Synthetic CPU @ 3.0GHz", 2, "Linux 6.1.0", "15.5", "g++ 12.2.0", "7.88.1", "0.1.0",
                     "abc1234", "testhost", {{"fastapi", "0.92.0"}}, "", "", ""};
  run.started_at = "2026-11-26T10:00:00Z";
  run.finished_at = "2026-11-26T10:30:00Z";
  run.status = "complete";
  for (const auto& v : spec.variants) {
    run.variants.push_back({v.name, "ok", "", "", "logs/" + v.name + ".log",
                            {{"db", "pass", "one object with integer id and randomNumber"},
                             {"queries", "pass", "parameter clamped to 1..500"}}, 2.0, {}, {}, "", ""});
  }
  std::uniform_real_distribution<double> drift(1.0 - spec.drift, 1.0 + spec.drift);
  for (int repeat = 0; repeat < spec.repeats; ++repeat) {
    const double moment = spec.drift > 0 ? drift(rng) : 1.0;  // shared by every cell of this repeat
    for (const auto& v : spec.variants) {
      const double scale = v.factor * spec.speed * moment;
      for (int connections : spec.connections) {
        run.cells.push_back(cell_for(v, "db", connections, 0, repeat, v.db_rps * scale * noise(rng), rng));
        run.cells.push_back(cell_for(v, "queries", connections, 20, repeat, v.db_rps / 8 * scale * noise(rng), rng));
      }
    }
  }
  for (auto& cell : run.cells) cell.latency.p99_us *= spec.p99_factor;
  return run;
}

}  // namespace bench::report::testing
