#pragma once
// Rate mode's owed requests (engine.h OwedCounts), counted arithmetically. A connection whose schedule ran ahead of
// it owes one send every `interval` from its current request's intended time to the end of the measured phase: at a
// huge rate that is billions of sends, so they are counted by division and their latencies recorded a histogram
// slot at a time (Histogram::record_n), never one send at a time.

#include "stats/histogram.h"

#include <chrono>
#include <cstdint>

namespace bench::load {

// How many sends a schedule owes from `intended` (included) every `interval` (> 0) until `end` (excluded): 0 when
// intended is not before end.
uint64_t sends_owed(std::chrono::steady_clock::time_point intended, std::chrono::steady_clock::duration interval,
                    std::chrono::steady_clock::time_point end);

// Records `sends` latencies, `weight` times each, in microseconds (truncated, as the worker records): oldest,
// oldest - interval, oldest - 2 * interval, ... Values that share a slot of the histogram go in together, so the
// work is bounded by the slots the series crosses (a few thousand), whatever `sends` is. Count, min, max and every
// percentile are those of recording each value; the sum (the mean) is within the slots' resolution (1/1024).
void record_owed_latencies(stats::Histogram& histogram, std::chrono::steady_clock::duration oldest,
                           std::chrono::steady_clock::duration interval, uint64_t sends, uint64_t weight);

}  // namespace bench::load
