// The worker's core: the loop, the schedule and the counting, the same for every exchange (worker.h).
#include "load/worker.h"

#include "load/owed.h"
#include "load/process.h"

#include <algorithm>
#include <cmath>

namespace bench::load {

namespace {

// Min-heap order for the waiting list: earliest send time on top.
constexpr auto later = [](const auto& a, const auto& b) { return a.first > b.first; };

int64_t micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

Worker::Worker(const Options& options, int connections, int first_connection, const Target& target)
    : options_(options), open_loop_(options.rate > 0), slots_(static_cast<size_t>(connections)) {
  if (open_loop_) {
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(options.connections) * options.pipeline / options.rate));
  }
  groups_ = std::make_unique<CurlGroups>(watch_, loop_now_, transfer_slots(options, slots_.size()));
  exchange_ = make_exchange(*this, *groups_, options, target, slots_.size());
  groups_->set_exchange(exchange_.get());
  waiting_.reserve(slots_.size());
  // Stagger the first sends of rate mode evenly over one interval, across all threads' connections.
  if (open_loop_) {
    const auto step = interval_ / options.connections;
    for (size_t i = 0; i < slots_.size(); ++i)
      slots_[i].intended = Clock::time_point{} + step * (first_connection + static_cast<int>(i));
  }
}

Worker::~Worker() { tear_down(); }

void Worker::start(uint32_t c, Clock::time_point now) {
  Slot& slot = slots_[c];
  if (!open_loop_) slot.intended = now;
  slot.active = true;
  slot.on_wire = false;
  exchange_->start(c, now);
}

void Worker::request_sent(uint32_t c, Clock::time_point now) {
  Slot& slot = slots_[c];
  slot.sent = now;
  slot.on_wire = true;
  if (!open_loop_) slot.intended = now;  // closed loop: latency from the send, as wrk (not from a connect before it)
}

void Worker::connection_up(uint32_t c, Clock::time_point at) {
  Slot& slot = slots_[c];
  if (slot.was_connected) return;
  slot.was_connected = true;
  ++connected_;
  last_first_connect_ = std::max(last_first_connect_, at);
  connected_count_.store(connected_, std::memory_order_relaxed);
}

void Worker::schedule(uint32_t c, Clock::time_point at) {
  waiting_.emplace_back(at, c);
  std::push_heap(waiting_.begin(), waiting_.end(), later);
}

void Worker::start_due(Clock::time_point now) {
  while (!waiting_.empty() && waiting_.front().first <= now) {
    std::pop_heap(waiting_.begin(), waiting_.end(), later);
    const uint32_t c = waiting_.back().second;
    waiting_.pop_back();
    start(c, now);
  }
}

void Worker::record_response(uint32_t c, long status, uint64_t bytes, Clock::time_point now) {
  ++phase_requests_local_;
  ++interval_requests_;
  if (draining_) ++totals_.drained;
  if (!measuring_) return;
  const Slot& slot = slots_[c];
  ++totals_.requests;
  totals_.bytes_read += bytes;
  ++totals_.status_codes[static_cast<size_t>(std::clamp(status, 0L, 599L))];
  if (status < 200 || status > 399) ++totals_.non_2xx_3xx;
  totals_.latency.record(micros(now - slot.intended));
  if (open_loop_) totals_.latency_uncorrected.record(micros(now - slot.sent));
}

void Worker::record_error(uint32_t c, ErrorKind kind, uint32_t count) {
  slots_[c].active = false;
  if (!measuring_) return;
  count_error(kind, totals_.errors, count);
}

void Worker::next_request(uint32_t c, bool connect_failed, Clock::time_point now) {
  Slot& slot = slots_[c];
  slot.active = false;
  if (stopping_) return;
  Clock::time_point at = now;
  if (open_loop_) {
    slot.intended += interval_;
    at = slot.intended;
  }
  if (connect_failed) at = std::max(at, now + kConnectErrorBackoff);
  if (at <= now) {
    start(c, now);
  } else {
    schedule(c, at);
  }
}

void Worker::begin_measurement(Clock::time_point now) {
  const auto keep_stopped = totals_.stopped;
  totals_ = WorkerTotals{};
  totals_.stopped = keep_stopped;
  measuring_ = true;
  cpu_at_measure_start_ = thread_cpu_seconds();
  interval_start_ = now;
  interval_requests_ = 0;
  phase_requests_local_ = 0;
  phase_requests_.store(0, std::memory_order_relaxed);
}

void Worker::sample_rate(Clock::time_point now) {
  if (measuring_) {
    const double seconds = std::chrono::duration<double>(now - interval_start_).count();
    totals_.thread_rps.record(std::llround(static_cast<double>(interval_requests_) / seconds));
  }
  interval_requests_ = 0;
  interval_start_ = now;
  phase_requests_.store(phase_requests_local_, std::memory_order_relaxed);
}

Clock::time_point Worker::next_wakeup(const Phases& phases) const {
  auto next = std::min(interval_start_ + kRecordInterval, measuring_ ? phases.end : phases.measure_start);
  next = std::min({next, next_expiry_, groups_->next_deadline()});
  if (!waiting_.empty()) next = std::min(next, waiting_.front().first);
  return next;
}

void Worker::run(const Phases& phases, const std::atomic<bool>& stop) {
  interval_start_ = phases.start;
  if (phases.measure_start <= phases.start) begin_measurement(phases.start);
  loop_now_ = Clock::now();
  next_expiry_ = loop_now_;
  for (uint32_t c = 0; c < slots_.size(); ++c) {
    if (open_loop_) {
      slots_[c].intended = phases.start + (slots_[c].intended - Clock::time_point{});
      schedule(c, slots_[c].intended);
    } else {
      start(c, loop_now_);
    }
  }

  while (!stop.load(std::memory_order_relaxed) && loop_now_ < phases.end) {
    const auto now = loop_now_;
    if (!measuring_ && now >= phases.measure_start) begin_measurement(now);
    if (now - interval_start_ >= kRecordInterval) sample_rate(now);
    if (now >= next_expiry_) next_expiry_ = exchange_->expire(now);
    start_due(now);
    poll(next_wakeup(phases));
  }
  stopping_ = true;
  totals_.stopped = loop_now_;  // responses are counted up to here (a little past phases.end, as wrk does)
  if (measuring_) totals_.cpu_seconds = thread_cpu_seconds() - cpu_at_measure_start_;
  if (measuring_ && open_loop_ && !stop.load(std::memory_order_relaxed)) count_owed(phases.end, stop);
  if (options_.drain) drain(stop);
  if (!open_loop_) totals_.latency_uncorrected = totals_.latency;
  phase_requests_.store(phase_requests_local_, std::memory_order_relaxed);
  tear_down();
}

void Worker::poll(Clock::time_point wake_at) {
  // While the exchange holds requests back for connects (Exchange::holding), only look for what is ready; when
  // nothing is, the loop would go idle: release them instead.
  const bool holding = exchange_->holding();
  const auto& events = watch_.wait(holding ? Clock::duration::zero() : wake_at - loop_now_);
  if (holding && events.empty()) exchange_->release_held(Clock::now());
  for (const auto& ready : events) {
    if (ready.owner & kClaimedOwner) {
      exchange_->ready(ready.owner & ~kClaimedOwner, ready.mask);
    } else {
      groups_->act(ready.owner, ready.fd, ready.mask);
    }
  }
  loop_now_ = Clock::now();
  groups_->run_due_timers(loop_now_);
  groups_->read_completions();
}

void Worker::count_owed(Clock::time_point end, const std::atomic<bool>& stop) {
  // Every send the schedule asked for before `end` that has no answer: the one under way on each connection (sent
  // or not), and the later ones its connection would have sent had it been free. Each is recorded with the latency
  // it had at least, from its intended time to the end, so that a stall at the end of the window shows in the
  // percentiles instead of vanishing (wrk2 drops them). Counted arithmetically (owed.h): at a huge rate a
  // connection owes billions.
  const auto pipeline = static_cast<uint64_t>(options_.pipeline);
  const auto owe = [&](Clock::time_point intended, bool sent) {
    const uint64_t sends = sends_owed(intended, interval_, end);
    if (sends == 0) return;
    const uint64_t answered_late = sent ? 1 : 0;
    totals_.owed.unanswered += answered_late * pipeline;
    totals_.owed.unsent += (sends - answered_late) * pipeline;
    record_owed_latencies(totals_.latency, end - intended, interval_, sends, pipeline);
  };
  for (const Slot& slot : slots_) {
    if (stop.load(std::memory_order_relaxed)) return;
    if (slot.active) owe(slot.intended, slot.on_wire);
  }
  for (const auto& [at, c] : waiting_) {
    if (stop.load(std::memory_order_relaxed)) return;
    owe(slots_[c].intended, false);
  }
}

void Worker::drain(const std::atomic<bool>& stop) {
  measuring_ = false;
  draining_ = true;
  waiting_.clear();  // scheduled sends and connect retries never happen
  exchange_->cancel_waiting();
  const auto timeout = std::chrono::duration_cast<Clock::duration>(options_.timeout + options_.connect_timeout);
  // Every request in flight ends within its timeouts; the direct exchange notices within one expiry scan.
  const auto deadline = loop_now_ + timeout + kRecordInterval + std::chrono::milliseconds(10);
  const auto in_flight = [this] {
    return std::any_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.active; });
  };
  while (!stop.load(std::memory_order_relaxed) && loop_now_ < deadline && in_flight()) {
    if (loop_now_ >= next_expiry_) next_expiry_ = exchange_->expire(loop_now_);
    poll(std::min({deadline, next_expiry_, groups_->next_deadline()}));
  }
  draining_ = false;
}

void Worker::tear_down() {
  if (!groups_) return;
  exchange_->close_all();
  for (auto& slot : slots_) slot.active = false;
  exchange_.reset();
  groups_.reset();  // closes libcurl's cached connections (through its close callback, while watch_ still exists)
}

}  // namespace bench::load
