#pragma once
// What `bench compare` is asked, and the constants its verdicts and renderings share.

#include <string>

namespace bench::compare {

inline constexpr double kConfidence = 0.95;

// compare's exit codes beside util/errors.h's (0 ok, 1 regression, 2 bad input).
namespace exit_code {
inline constexpr int inconclusive = 3;  // no regression, but a row beyond the threshold the samples cannot decide
}

struct Options {
  double threshold = 0.05;      // relative change, 0.05 = 5%
  std::string metric = "rps";   // rps, p50, p75, p90, p99, p999, p9999, mean
  bool threshold_only = false;  // no intervals: the threshold alone decides, nothing is inconclusive
  std::string relative_to;      // "VARIANT" or "VARIANT/TEST": compare ratios to this in-run control
  bool paired = false;          // pair samples by repeat (both sides from one interleaved run: --between)
};

}  // namespace bench::compare
