#include "api/metrics.hpp"

#include <fmt/format.h>

namespace concordat::api {

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard lock(mu_);
  requests_[method + "|" + (route.empty() ? "unmatched" : route) + "|" + std::to_string(status)]++;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      bucket_counts_[i]++;
    }
  }
  count_++;
  sum_ += seconds;
}

void Metrics::Render(std::string& out) const {
  std::lock_guard lock(mu_);
  out += "# HELP concordat_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE concordat_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const size_t a = key.find('|');
    const size_t b = key.rfind('|');
    out += fmt::format(
        "concordat_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
        key.substr(0, a), key.substr(a + 1, b - a - 1), key.substr(b + 1), n);
  }
  out += "# HELP concordat_http_request_duration_seconds Time from request read to reply.\n";
  out += "# TYPE concordat_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format("concordat_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kBuckets[i], bucket_counts_[i]);
  }
  out += fmt::format("concordat_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count_);
  out += fmt::format("concordat_http_request_duration_seconds_sum {}\n", sum_);
  out += fmt::format("concordat_http_request_duration_seconds_count {}\n", count_);
  out += "# HELP concordat_ws_clients Connected WebSocket stream clients.\n";
  out += "# TYPE concordat_ws_clients gauge\n";
  out += fmt::format("concordat_ws_clients {}\n", ws_clients.load());
  out += "# TYPE concordat_ws_messages_sent_total counter\n";
  out += fmt::format("concordat_ws_messages_sent_total {}\n", ws_messages_sent.load());
  out += "# TYPE concordat_ws_slow_clients_closed_total counter\n";
  out += fmt::format("concordat_ws_slow_clients_closed_total {}\n", ws_slow_closed.load());
  out += "# TYPE concordat_ws_sessions_ended_total counter\n";
  out += fmt::format("concordat_ws_sessions_ended_total {}\n", ws_sessions_ended.load());
}

}  // namespace concordat::api
