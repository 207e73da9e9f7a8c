// Shared by the report source files (reports.cpp, reports_health.cpp). Not part of the core's
// interface.
#pragma once

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "core/reports.hpp"
#include "core/state.hpp"

namespace concordat::reports::detail {

using boost::json::object;

inline double Round1(double x) { return std::round(x * 10.0) / 10.0; }
inline double MinutesBetween(Timestamp a, Timestamp b) {
  return static_cast<double>(b - a) / static_cast<double>(kMicrosPerMinute);
}
inline double Pct(long part, long whole) {
  return whole > 0 ? Round1(100.0 * static_cast<double>(part) / static_cast<double>(whole)) : 0.0;
}
// A share in per cent, or JSON null (shown as "—", not 0%) when there is nothing to share out.
inline boost::json::value Share(long part, long whole) {
  if (whole <= 0) return nullptr;
  return Pct(part, whole);
}
// Median of a sample, or JSON null when there is none.
inline boost::json::value Median(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return Round1(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0);
}
inline boost::json::value Mean(const std::vector<double>& v) {
  if (v.empty()) return nullptr;
  double t = 0;
  for (double x : v) t += x;
  return Round1(t / static_cast<double>(v.size()));
}
inline boost::json::value Percentile90(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const size_t k = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1;
  return Round1(v[std::min(k, v.size() - 1)]);
}

struct Window {
  const Request& req;
  bool Has(Timestamp t) const { return t >= req.from && t < req.to; }
  bool Bcu(const std::string& code) const { return req.bcu.empty() || req.bcu == code; }
  bool Takes(const Incident& i) const { return Has(i.received_at) && Bcu(i.bcu_code); }
};

inline std::string BcuOf(const Incident& i) { return i.bcu_code.empty() ? "unknown" : i.bcu_code; }

// The BCU codes to show one row for: every reference BCU (so a BCU with nothing shows zeros),
// narrowed by the filter, plus any code met in the data that the reference lacks.
inline std::vector<std::string> BcuRows(const Context& ctx, const Request& req,
                                 const std::set<std::string>& seen) {
  std::vector<std::string> out;
  std::set<std::string> have;
  if (ctx.ref != nullptr) {
    for (const auto& b : ctx.ref->bcus) {
      if (req.bcu.empty() || req.bcu == b.code) {
        out.push_back(b.code);
        have.insert(b.code);
      }
    }
  }
  for (const auto& c : seen) {
    if (!have.contains(c)) out.push_back(c);
  }
  return out;
}


Report MentalHealth(const State& s, const Context& ctx, const Request& req);
Report Teams(const State& s, const Context& ctx, const Request& req);

}  // namespace concordat::reports::detail
