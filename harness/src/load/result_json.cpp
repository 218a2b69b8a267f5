#include "load/result_json.h"

#include "load/http1.h"
#include "load/wrk_output.h"
#include "model/describe.h"

namespace bench::stats {

// A histogram's JSON form is stats::to_json's (its buckets), not a described object.
nlohmann::json write_value(const Histogram& histogram) { return to_json(histogram); }
void read_value(const nlohmann::json& j, const std::string& where, Histogram& out) {
  if (!j.is_object()) model::wrong(where, "a histogram", j);
  try {
    out = histogram_from_json(j);
  } catch (const nlohmann::json::exception& e) {
    throw model::FormatError(where + ": not a histogram (" + e.what() + ")");
  }
}

}  // namespace bench::stats

namespace bench::load {

nlohmann::json write_value(LatencyCorrection correction) { return to_string(correction); }
void read_value(const nlohmann::json& j, const std::string& where, LatencyCorrection& out) {
  if (j == "none")
    out = LatencyCorrection::none;
  else if (j == "wrk")
    out = LatencyCorrection::wrk;
  else
    model::wrong(where, "\"none\" or \"wrk\"", j);
}

template <typename V, typename R, model::if_same<R, Request> = 0>
void describe(V& v, R& r) {
  v("url", r.url);
  v("method", r.method);
  v("headers", r.headers);
  v("body", r.body);
  v("http2", r.http2);
}

template <typename V, typename O, model::if_same<O, Options> = 0>
void describe(V& v, O& o) {
  v("request", o.request);
  v("connections", o.connections);
  v("threads", o.threads);
  v("duration_s", o.duration);
  v("warmup_s", o.warmup);
  v("rate", o.rate);
  v("timeout_s", o.timeout);
  v("connect_timeout_s", o.connect_timeout);
  v("insecure", o.insecure);
  v("libcurl_exchange", o.libcurl_exchange);
  v("libcurl_connect", o.libcurl_connect);
  v("pipeline", o.pipeline);
  v("drain", o.drain);
  v("latency_correction", o.latency_correction);
}

namespace {

// What a Result holds beyond its figures: what was asked, and the raw counters and histograms from which the
// figures follow (and from which a merge of several results recomputes them).
template <typename V, typename R>
void describe_raw(V& v, R& r) {
  v("options", r.options);
  v("interrupted", r.interrupted);
  v("drained_requests", r.drained_requests);
  v("bytes_read", r.bytes_read);
  v("client_cpu_seconds", r.client_cpu_seconds);
  v("connected", r.connected);                // connections established at least once
  v("connected_after_s", r.connected_after);  // when the last of them was up; null unless every one was
  v("latency_histogram_us", r.latency);
  v("latency_uncorrected_histogram_us", r.latency_uncorrected);
  v("thread_rps_histogram", r.thread_rps);
}

}  // namespace

model::Latency latency_from(const stats::Histogram& histogram) {
  model::Latency l;
  if (histogram.count() == 0) return l;
  const auto at = [&](double p) { return static_cast<double>(histogram.value_at_percentile(p)); };
  l.mean_us = histogram.mean();
  l.stdev_us = histogram.stdev();
  l.min_us = static_cast<double>(histogram.min());
  l.max_us = static_cast<double>(histogram.max());
  l.p50_us = at(50);
  l.p75_us = at(75);
  l.p90_us = at(90);
  l.p99_us = at(99);
  l.p999_us = at(99.9);
  l.p9999_us = at(99.99);
  for (const auto& [percentile, us] : histogram.percentile_curve()) {
    l.curve.emplace_back(percentile, static_cast<double>(us));
  }
  return l;
}

model::LoadFigures figures(const Result& result) {
  model::LoadFigures f;
  f.duration_s = to_seconds(result.elapsed);
  f.requests = result.requests;
  f.requests_per_sec = result.requests_per_second();
  f.transfer_bytes_per_sec = result.bytes_per_second();
  f.target_rate = result.options.rate;
  f.owed_unsent = result.owed.unsent;
  f.owed_unanswered = result.owed.unanswered;
  f.latency_statistics = result.options.latency_correction == LatencyCorrection::none ? "measured" : "wrk";
  f.latency = latency_from(result.latency);
  if (result.options.rate > 0) f.latency_uncorrected = latency_from(result.latency_uncorrected);
  f.errors = result.errors;
  f.status_codes = result.status_codes;
  f.non_2xx_3xx = result.non_2xx_3xx;
  return f;
}

nlohmann::json result_to_json(const Result& result) {
  model::Writer out;
  const model::LoadFigures figured = figures(result);
  describe(out, figured);
  out("warnings", warnings(result));
  describe_raw(out, result);
  out.derived("exchange", [&] { return std::string(direct_exchange_possible(result.options) ? "direct" : "libcurl"); });
  out.derived("connect", [&] { return std::string(own_connect_possible(result.options) ? "bench" : "libcurl"); });
  if (result.options.rate > 0) out.derived("rate_achieved_ratio", [&] { return result.achieved_rate_ratio(); });
  out.derived("thread_rps_avg", [&] { return result.thread_rps.mean(); });
  out.derived("thread_rps_stdev", [&] { return result.thread_rps.stdev(); });
  out.derived("thread_rps_max", [&] { return result.thread_rps.max(); });
  return std::move(out.out);
}

Result result_from_json(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object()) model::wrong(where.empty() ? std::string("the load report") : where, "an object", json);
  const auto f = model::from_json<model::LoadFigures>(json, where);
  Result result;
  model::Reader in{json, where};
  describe_raw(in, result);
  // A report without it (an older bench's): closed loop, where it equals the latency.
  if (!json.contains("latency_uncorrected_histogram_us")) result.latency_uncorrected = result.latency;
  result.elapsed = std::chrono::duration_cast<Nanos>(std::chrono::duration<double>(f.duration_s));
  result.requests = f.requests;
  result.owed = {f.owed_unsent, f.owed_unanswered};
  result.errors = f.errors;
  result.status_codes = f.status_codes;
  result.non_2xx_3xx = f.non_2xx_3xx;
  return result;
}

}  // namespace bench::load
