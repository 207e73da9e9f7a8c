// Prometheus text-format metrics for the HTTP layer, rendered together with the engine's and the
// stream hub's counters at GET /metrics. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace concordat::api {

class Metrics {
 public:
  // Records one finished request. `route` is the matched pattern ("" when none matched).
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  std::atomic<long> ws_clients{0};
  std::atomic<std::uint64_t> ws_messages_sent{0};
  std::atomic<std::uint64_t> ws_slow_closed{0};
  std::atomic<std::uint64_t> ws_sessions_ended{0};  // streams closed as their session ended

  // Appends this object's families to `out`.
  void Render(std::string& out) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    5};
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> requests_;  // "method|route|status" → count
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace concordat::api
