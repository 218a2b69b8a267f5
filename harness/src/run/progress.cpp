#include "run/progress.h"

namespace bench::run {

Nanos expected_time(const std::vector<Pass>& plan, const scenario::LoadSpec& load, std::size_t from) {
  Nanos total{0};
  for (std::size_t i = from; i < plan.size(); ++i) {
    total += kPassAllowance + (plan[i].first ? kVerifyAllowance : Nanos(0));
    total += static_cast<Nanos::rep>(plan[i].cells.size()) * (load.warmup + load.duration);
  }
  return total;
}

}  // namespace bench::run
