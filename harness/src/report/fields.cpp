#include "report/fields.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace bench::report {
namespace {

using Getter = std::function<std::optional<double>(const Cell&)>;

Field number(std::string name, std::string header, Unit unit, Better better, Getter get) {
  return Field{std::move(name), std::move(header), unit, better, std::move(get), {}};
}

Field text(std::string name, std::string header, std::function<std::string(const Cell&)> get) {
  return Field{std::move(name), std::move(header), Unit::text, Better::neither, {}, std::move(get)};
}

template <typename T>
std::optional<double> optional_double(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

// Latency fields come in a family: the corrected figures and, when present, the uncorrected ones.
void add_latency(std::vector<Field>& fields, const std::string& prefix, const std::string& label,
                 std::function<const Latency*(const Cell&)> pick) {
  const auto add = [&](const std::string& key, const std::string& header, double Latency::*member) {
    fields.push_back(number(prefix + key, label + header, Unit::microseconds, Better::lower,
                            [pick, member](const Cell& c) -> std::optional<double> {
                              const Latency* l = pick(c);
                              if (l == nullptr) return std::nullopt;
                              return l->*member;
                            }));
  };
  add("mean_us", "mean", &Latency::mean_us);
  add("stdev_us", "stdev", &Latency::stdev_us);
  add("min_us", "min", &Latency::min_us);
  add("max_us", "max", &Latency::max_us);
  add("p50_us", "p50", &Latency::p50_us);
  add("p75_us", "p75", &Latency::p75_us);
  add("p90_us", "p90", &Latency::p90_us);
  add("p99_us", "p99", &Latency::p99_us);
  add("p999_us", "p99.9", &Latency::p999_us);
  add("p9999_us", "p99.99", &Latency::p9999_us);
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::vector<Field> build_fields() {
  std::vector<Field> f;
  f.push_back(text("variant", "Variant", [](const Cell& c) { return c.variant; }));
  f.push_back(text("test", "Test", [](const Cell& c) { return c.test; }));
  f.push_back(number("connections", "Connections", Unit::integer, Better::neither,
                     [](const Cell& c) { return static_cast<double>(c.connections); }));
  f.push_back(number("queries", "Queries", Unit::integer, Better::neither,
                     [](const Cell& c) { return static_cast<double>(c.queries); }));
  f.push_back(number("repeat", "Repeat", Unit::integer, Better::neither,
                     [](const Cell& c) { return static_cast<double>(c.repeat); }));
  f.push_back(text("status", "Status", [](const Cell& c) { return c.status; }));
  f.push_back(number("duration_s", "Duration", Unit::seconds, Better::neither,
                     [](const Cell& c) { return c.duration_s; }));
  f.push_back(number("requests", "Requests", Unit::integer, Better::neither,
                     [](const Cell& c) { return static_cast<double>(c.requests); }));
  f.push_back(number("requests_per_sec", "Requests/s", Unit::per_second, Better::higher,
                     [](const Cell& c) { return c.requests_per_sec; }));
  f.push_back(number("transfer_bytes_per_sec", "Transfer/s", Unit::bytes_per_second, Better::higher,
                     [](const Cell& c) { return c.transfer_bytes_per_sec; }));
  f.push_back(number("target_rate", "Target rate", Unit::per_second, Better::neither,
                     [](const Cell& c) { return c.target_rate; }));
  add_latency(f, "latency_", "", [](const Cell& c) { return &c.latency; });
  add_latency(f, "uncorrected_", "uncorrected ", [](const Cell& c) -> const Latency* {
    return c.latency_uncorrected ? &*c.latency_uncorrected : nullptr;
  });
  const auto error = [&](const std::string& kind, uint64_t Errors::*member) {
    f.push_back(number("errors_" + kind, "Errors (" + kind + ")", Unit::integer, Better::lower,
                       [member](const Cell& c) { return static_cast<double>(c.errors.*member); }));
  };
  error("connect", &Errors::connect);
  error("read", &Errors::read);
  error("write", &Errors::write);
  error("timeout", &Errors::timeout);
  error("other", &Errors::other);
  f.push_back(number("errors_total", "Errors", Unit::integer, Better::lower,
                     [](const Cell& c) { return static_cast<double>(c.errors.total()); }));
  f.push_back(number("non_2xx_3xx", "Non-2xx/3xx", Unit::integer, Better::lower,
                     [](const Cell& c) { return static_cast<double>(c.non_2xx_3xx); }));
  f.push_back(text("status_codes", "Status codes", [](const Cell& c) {
    std::vector<std::string> parts;
    for (const auto& [code, count] : c.status_codes) parts.push_back(fmt::format("{}={}", code, count));
    return join(parts, " ");
  }));
  f.push_back(number("db_queries_per_request", "Queries/req", Unit::ratio, Better::lower,
                     [](const Cell& c) { return c.db_queries_per_request; }));
  f.push_back(number("db_rows_per_request", "Rows/req", Unit::ratio, Better::neither,
                     [](const Cell& c) { return c.db_rows_per_request; }));
  f.push_back(number("server_cpu_us_per_request", "Server CPU us/req", Unit::ratio, Better::lower,
                     [](const Cell& c) { return c.server_cpu_us_per_request; }));
  f.push_back(number("client_cpu_us_per_request", "Client CPU us/req", Unit::ratio, Better::lower,
                     [](const Cell& c) { return c.client_cpu_us_per_request; }));
  f.push_back(number("db_cpu_us_per_request", "DB CPU us/req", Unit::ratio, Better::lower,
                     [](const Cell& c) { return c.db_cpu_us_per_request; }));
  f.push_back(number("server_peak_rss_bytes", "Peak RSS", Unit::bytes, Better::lower,
                     [](const Cell& c) { return optional_double(c.server_peak_rss_bytes); }));
  f.push_back(text("warnings", "Warnings", [](const Cell& c) {
    std::vector<std::string> messages;
    for (const auto& w : c.warnings) messages.push_back(w.message);
    return join(messages, "; ");
  }));
  return f;
}


std::string grouped(double value) {
  // fmt's {:L} needs a locale that may be absent; group digits by hand instead.
  const std::string digits = fmt::format("{:.0f}", std::fabs(value));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value < 0 && digits != "0" ? "-" : "") + out;
}

std::string scaled(double value, const char* const* units, int count, double step) {
  int i = 0;
  while (i + 1 < count && std::fabs(value) >= step) {
    value /= step;
    ++i;
  }
  return i == 0 ? fmt::format("{:.0f}{}", value, units[0]) : fmt::format("{:.1f}{}", value, units[i]);
}

}  // namespace

const std::vector<Field>& cell_fields() {
  static const std::vector<Field> fields = build_fields();
  return fields;
}

const Field& field_named(std::string_view name) {
  for (const auto& field : cell_fields()) {
    if (field.name == name) return field;
  }
  throw std::out_of_range("no result field named \"" + std::string(name) + "\"");
}

std::string raw_value(const Field& field, const Cell& cell) {
  if (field.text) return field.text(cell);
  const auto value = field.number(cell);
  if (!value) return "";
  if (field.unit == Unit::integer || field.unit == Unit::bytes) return fmt::format("{:.0f}", *value);
  return fmt::format("{}", *value);  // shortest form that reads back exactly
}

std::string human_value(Unit unit, double value) {
  static const char* const kBytes[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  static const char* const kBytesPerSecond[] = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
  switch (unit) {
    case Unit::integer:
    case Unit::per_second:
      return grouped(value);
    case Unit::microseconds:
      if (value < 1000) return fmt::format("{:.0f}us", value);
      if (value < 1'000'000) return fmt::format("{:.2f}ms", value / 1000);
      return fmt::format("{:.2f}s", value / 1'000'000);
    case Unit::bytes:
      return scaled(value, kBytes, 5, 1024);
    case Unit::bytes_per_second:
      return scaled(value, kBytesPerSecond, 4, 1024);
    case Unit::seconds:
      return fmt::format("{:.1f}s", value);
    case Unit::ratio:
      return std::fabs(value) >= 100 ? grouped(value) : fmt::format("{:.1f}", value);
    case Unit::text:
      break;
  }
  return fmt::format("{}", value);
}

}  // namespace bench::report
