#include "topology/cpu_list.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <stdexcept>

namespace bench::topology {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int cpu_number(std::string_view text, std::string_view item) {
  text = trim(text);
  int value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) {
    if (error == std::errc::result_out_of_range)
      throw std::invalid_argument("CPU '" + std::string(text) + "' is above " + std::to_string(kMaxCpu));
    throw std::invalid_argument("'" + std::string(item) + "' is not a CPU number or range (expected e.g. 0-3,5)");
  }
  if (value > kMaxCpu)
    throw std::invalid_argument("CPU " + std::to_string(value) + " is above " + std::to_string(kMaxCpu));
  return value;
}

}  // namespace

CpuList parse_cpu_list(std::string_view text) {
  if (trim(text).empty()) throw std::invalid_argument("empty CPU list (expected e.g. 0-3,5)");
  CpuList cpus;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, comma - start));
    if (item.empty()) throw std::invalid_argument("empty item in CPU list '" + std::string(text) + "'");
    const size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      cpus.push_back(cpu_number(item, item));
    } else {
      const int first = cpu_number(item.substr(0, dash), item);
      const int last = cpu_number(item.substr(dash + 1), item);
      if (last < first) throw std::invalid_argument("'" + std::string(item) + "' is a descending range");
      for (int cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
    }
    start = comma + 1;
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

std::string format_cpu_list(const CpuList& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += '-' + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

CpuList cpu_union(const CpuList& a, const CpuList& b) {
  CpuList out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

CpuList cpu_intersection(const CpuList& a, const CpuList& b) {
  CpuList out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace bench::topology
