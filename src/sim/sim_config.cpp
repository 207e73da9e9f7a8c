#include "sim/sim_config.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <variant>

namespace concordat::sim {
namespace {

struct Range {
  double lo;
  double hi;
};
using Target = std::variant<double*, int*, bool*>;
struct Key {
  Target target;
  Range range;
};

// Every scalar key the file may set, with its accepted range.
std::map<std::string, Key> Keys(SimConfig& c) {
  auto& d = c.demand;
  auto& f = c.fleet;
  auto& t = c.timing;
  auto& b = c.behaviour;
  auto& a = c.policy.attendance;
  constexpr double kBig = 1e9;
  return {
      {"simulation.window_days", {&c.window_days, {1, 366}}},
      {"simulation.tick_seconds", {&c.tick_seconds, {1, 3600}}},
      {"demand.contacts_per_year", {&d.contacts_per_year, {0, 1e8}}},
      {"demand.mh_contacts_per_year", {&d.mh_contacts_per_year, {0, 1e8}}},
      {"demand.mh_attended_per_year", {&d.mh_attended_per_year, {0, 1e8}}},
      {"demand.s136_per_month", {&d.s136_per_month, {0, 1e6}}},
      {"demand.rcrp", {&d.rcrp, {0, 1}}},
      {"demand.rcrp_reduction", {&d.rcrp_reduction, {0, 1}}},
      {"demand.duplicate_share", {&d.duplicate_share, {0, 0.9}}},
      {"demand.grade_i_share", {&d.grade_i_share, {0, 1}}},
      {"demand.grade_s_share", {&d.grade_s_share, {0, 1}}},
      {"demand.grade_e_share", {&d.grade_e_share, {0, 1}}},
      {"demand.mh_grade_i_share", {&d.mh_grade_i_share, {0, 1}}},
      {"demand.mh_grade_s_share", {&d.mh_grade_s_share, {0, 1}}},
      {"fleet.units_per_100k", {&f.units_per_100k, {0.1, 1000}}},
      {"fleet.crew", {&f.crew, {1, 8}}},
      {"fleet.mh_trained_share", {&f.mh_trained_share, {0, 1}}},
      {"timing.dispatch_delay_i", {&t.dispatch_delay_i, {0, kBig}}},
      {"timing.dispatch_delay_s", {&t.dispatch_delay_s, {0, kBig}}},
      {"timing.dispatch_delay_e", {&t.dispatch_delay_e, {0, kBig}}},
      {"timing.turnout", {&t.turnout, {0, 60}}},
      {"timing.detour_factor", {&t.detour_factor, {1, 5}}},
      {"timing.on_scene", {&t.on_scene, {1, 24 * 60}}},
      {"timing.on_scene_mh", {&t.on_scene_mh, {1, 24 * 60}}},
      {"timing.record_lag", {&t.record_lag, {0, 120}}},
      {"timing.unrecorded_share", {&t.unrecorded_share, {0, 1}}},
      {"timing.r_close", {&t.r_close, {1, 24 * 60}}},
      {"timing.handover_wait", {&t.handover_wait, {0, 24 * 60}}},
      {"timing.assessment", {&t.assessment, {1, 23 * 60}}},
      {"timing.ambulance_share", {&t.ambulance_share, {0, 1}}},
      {"behaviour.emergency_per_attended", {&b.emergency_per_attended, {0, 1}}},
      {"behaviour.emergency_per_mh", {&b.emergency_per_mh, {0, 1}}},
      {"behaviour.emergency_self_deploy", {&b.emergency_self_deploy, {0, 50}}},
      {"behaviour.advisory_compliance", {&b.advisory_compliance, {0, 1}}},
      {"behaviour.stand_down_on_alert", {&b.stand_down_on_alert, {0, 1}}},
      {"behaviour.emergency_on_scene", {&b.emergency_on_scene, {1, 24 * 60}}},
      {"attendance.emergency_units", {&a.emergency_units, {0, 50}}},
      {"attendance.tolerance", {&a.tolerance, {0, 50}}},
  };
}

Status Bad(const std::string& key, const std::string& msg) {
  return Error::InvalidArgument(key, key + ": " + msg);
}

template <size_t N>
Status ReadWeights(const toml::node& node, const std::string& key, std::array<double, N>& out) {
  const auto* arr = node.as_array();
  if (arr == nullptr || arr->size() != N) {
    return Bad(key, "must be a list of " + std::to_string(N) + " numbers");
  }
  double sum = 0;
  for (size_t i = 0; i < N; ++i) {
    auto v = (*arr)[i].value<double>();
    if (!v || *v < 0) {
      return Bad(key, "entries must be numbers >= 0");
    }
    out[i] = *v;
    sum += *v;
  }
  if (sum <= 0) {
    return Bad(key, "at least one entry must be positive");
  }
  return OkStatus();
}

}  // namespace

Status ValidateSimConfig(const SimConfig& cfg) {
  SimConfig copy = cfg;
  for (const auto& [name, key] : Keys(copy)) {
    double v = 0;
    if (auto* p = std::get_if<double*>(&key.target)) v = **p;
    if (auto* p = std::get_if<int*>(&key.target)) v = **p;
    if (auto* p = std::get_if<bool*>(&key.target)) v = **p ? 1 : 0;
    if (!(v >= key.range.lo && v <= key.range.hi)) {
      return Bad(name, "must be between " + std::to_string(key.range.lo) + " and " +
                           std::to_string(key.range.hi));
    }
  }
  const auto& d = cfg.demand;
  if (d.grade_i_share + d.grade_s_share + d.grade_e_share > 1.0) {
    return Bad("demand", "grade_i_share + grade_s_share + grade_e_share must not exceed 1");
  }
  if (d.mh_grade_i_share + d.mh_grade_s_share > 1.0) {
    return Bad("demand", "mh_grade_i_share + mh_grade_s_share must not exceed 1");
  }
  if (d.mh_contacts_per_year > d.contacts_per_year ||
      d.mh_attended_per_year > d.mh_contacts_per_year) {
    return Bad("demand", "need mh_attended_per_year <= mh_contacts_per_year <= contacts_per_year");
  }
  if (cfg.S136Share() > 1.0) {
    return Bad("demand.s136_per_month", "more s136 detentions than attended MH incidents");
  }
  if (auto st = StartTime(cfg); !st.ok()) {
    return st.error();
  }
  return OkStatus();
}

Status LoadSimConfig(const std::string& path, SimConfig& cfg) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error::InvalidArgument("policy", path + ": not a readable file");
  }
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error::InvalidArgument("policy", path + ": " + std::string(e.description()) +
                                                " (line " + std::to_string(e.source().begin.line) +
                                                ")");
  }
  auto keys = Keys(cfg);
  for (const auto& [section, value] : t) {
    const auto* tbl = value.as_table();
    if (tbl == nullptr) {
      return Error::InvalidArgument("policy", path + ": unknown key " + std::string(section.str()));
    }
    for (const auto& [k, v] : *tbl) {
      const std::string full = std::string(section.str()) + "." + std::string(k.str());
      if (full == "simulation.start_date") {
        auto s = v.value<std::string>();
        if (!s) return Error::InvalidArgument("policy", path + ": " + full + " must be a string");
        cfg.start_date = *s;
        continue;
      }
      if (full == "demand.hour_weights" || full == "demand.weekday_weights") {
        Status st = full == "demand.hour_weights" ? ReadWeights(v, full, cfg.demand.hour_weights)
                                                  : ReadWeights(v, full, cfg.demand.weekday_weights);
        if (!st.ok()) return Error::InvalidArgument("policy", path + ": " + st.error().message);
        continue;
      }
      auto it = keys.find(full);
      if (it == keys.end()) {
        return Error::InvalidArgument("policy", path + ": unknown key " + full);
      }
      Target target = it->second.target;
      if (auto* p = std::get_if<bool*>(&target)) {
        auto b = v.value<bool>();
        if (!b) return Error::InvalidArgument("policy", path + ": " + full + " must be true/false");
        **p = *b;
      } else {
        auto n = v.value<double>();
        if (!n) return Error::InvalidArgument("policy", path + ": " + full + " must be a number");
        if (auto* pd = std::get_if<double*>(&target)) **pd = *n;
        if (auto* pi = std::get_if<int*>(&target)) **pi = static_cast<int>(*n);
      }
    }
  }
  if (auto st = ValidateSimConfig(cfg); !st.ok()) {
    return Error::InvalidArgument("policy", path + ": " + st.error().message);
  }
  return OkStatus();
}

Result<Timestamp> StartTime(const SimConfig& cfg) {
  auto d = ParseDate(cfg.start_date, "simulation.start_date");
  if (!d.ok()) return d.error();
  const Timestamp midnight_utc = DaysFromCivil(*d) * kMicrosPerDay;
  return midnight_utc - LondonOffsetMicros(midnight_utc);
}

}  // namespace concordat::sim
