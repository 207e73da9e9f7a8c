// What the control room and officers do in a window: dispatch, self-deployment, arrival and
// status recording, clearing, the emergency button and its governance, s136 detentions.
#include <algorithm>
#include <cmath>

#include "sim/window.hpp"

namespace concordat::sim {
namespace {

constexpr std::uint32_t kNoUnit = 0xffffffffu;
const Actor kController{"sim-controller", "controller", "mps", ""};
const Actor kAvl{"sim-avl", "system", "mps", ""};

double Metres(LatLon a, LatLon b) {
  const double dy = (a.lat - b.lat) * 111'195.0;
  const double dx = (a.lon - b.lon) * 111'195.0 * 0.6225;
  return std::sqrt(dx * dx + dy * dy);
}

}  // namespace

std::int64_t Window::NearestFree(LatLon p, std::uint32_t bcu,
                                 const std::vector<bool>* exclude) const {
  std::int64_t best = -1;
  double best_d = 1e18;
  auto consider = [&](std::uint32_t u) {
    if (units_[u].incident >= 0 || (exclude != nullptr && (*exclude)[u])) return;
    const double d = Metres(units_[u].pos, p);
    if (d < best_d) {
      best_d = d;
      best = u;
    }
  };
  for (std::uint32_t u : units_by_bcu_[bcu]) consider(u);
  if (best < 0) {
    for (std::uint32_t u = 0; u < units_.size(); ++u) consider(u);  // a neighbouring BCU helps
  }
  return best;
}

void Window::AccrueExcess(SimIncident& i) {
  if (i.recommended > 0 && i.active > i.recommended) {
    totals_.excess_officer_hours += static_cast<double>(now_ - i.active_since) / kMicrosPerHour *
                                    (i.active - i.recommended) * cfg_.fleet.crew;
  }
  i.active_since = now_;
}

void Window::Commit(std::uint32_t inc, std::uint32_t unit) {
  SimUnit& u = units_[unit];
  SimIncident& i = incidents_[inc];
  u.incident = inc;
  u.assigned_at = now_;
  AccrueExcess(i);
  i.active++;
  i.max_active = std::max(i.max_active, i.active);
  At(now_ + Mins(cfg_.timing.turnout), kEnRoute, inc, unit);
}

void Window::Assign(std::uint32_t inc, std::uint32_t unit, bool self_deployed, bool confirm) {
  SimIncident& i = incidents_[inc];
  auto request = std::make_shared<AssignmentCreateRequest>();
  request->unit_id = units_[unit].id;
  request->mode = self_deployed ? "self_deployed" : "dispatched";
  if (confirm) {
    request->confirm = true;
    request->reason = "colleague pressed the emergency button";
  }
  SubmitRequest("assignment.create", i.id, std::move(request),
                self_deployed ? units_[unit].officer : kController);
  if (self_deployed) {
    ++totals_.self_deployments;
  } else {
    ++totals_.dispatches;
  }
  Commit(inc, unit);
}

void Window::Dispatch(std::uint32_t inc) {
  SimIncident& i = incidents_[inc];
  while (i.needed > 0 && !i.closed) {
    const std::int64_t u = NearestFree(i.point, i.bcu, nullptr);
    if (u < 0) {
      pending_.push_back(inc);  // waits for the next unit to clear
      return;
    }
    i.needed--;
    Assign(inc, static_cast<std::uint32_t>(u), false, false);
  }
}

void Window::ServePending(std::uint32_t unit) {
  // Highest grade first, then this unit's BCU, then the oldest.
  std::int64_t best = -1;
  int best_rank = 1 << 30;
  size_t best_pos = 0;
  for (size_t k = 0; k < pending_.size(); ++k) {
    const SimIncident& i = incidents_[pending_[k]];
    if (i.closed || i.needed <= 0) continue;
    const int rank = (i.grade == 'I' ? 0 : i.grade == 'S' ? 2 : 4) +
                     (i.bcu == units_[unit].bcu ? 0 : 1);
    if (rank < best_rank) {
      best_rank = rank;
      best = pending_[k];
      best_pos = k;
      if (rank == 0) break;
    }
  }
  // Drop what no longer waits.
  std::erase_if(pending_, [this](std::uint32_t k) {
    return incidents_[k].closed || incidents_[k].needed <= 0;
  });
  if (best < 0) return;
  (void)best_pos;
  SimIncident& i = incidents_[static_cast<size_t>(best)];
  i.needed--;
  Assign(static_cast<std::uint32_t>(best), unit, false, false);
  if (i.needed <= 0) {
    std::erase(pending_, static_cast<std::uint32_t>(best));
  }
}

void Window::Arrive(std::uint32_t inc, std::uint32_t unit) {
  SimIncident& i = incidents_[inc];
  SimUnit& u = units_[unit];
  u.pos = {i.point.lat + (rng_.Uniform() - 0.5) * 0.0002, i.point.lon + (rng_.Uniform() - 0.5) * 0.0003};
  auto fix = std::make_shared<UnitLocationRequest>();
  fix->lat = u.pos.lat;
  fix->lon = u.pos.lon;
  fix->accuracy_m = 8;
  SubmitRequest("unit.location", u.id, std::move(fix), kAvl);
  if (i.first_arrival == 0) {
    i.first_arrival = now_;
    const GradePolicy* g = cfg_.policy.FindGrade(std::string(1, i.grade));
    const bool met = g != nullptr && g->target > 0 && now_ - i.created <= g->target;
    if (i.grade == 'I') {
      ++totals_.i_arrivals;
      totals_.i_met += met ? 1 : 0;
    } else if (i.grade == 'S') {
      ++totals_.s_arrivals;
      totals_.s_met += met ? 1 : 0;
    }
  }
  const auto& tm = cfg_.timing;
  if (!rng_.Chance(tm.unrecorded_share)) {
    At(now_ + Mins(rng_.Exponential(std::max(tm.record_lag, 0.01))), kAtScene, inc, unit);
  }
  if (i.s136 && !i.detained) {
    i.detained = true;
    At(now_ + Mins(10 + rng_.Exponential(tm.on_scene_mh / 2)), kDetain, inc, unit);
    return;
  }
  Timestamp press_at = 0;
  if (i.emergency_planned && !i.pressed) {
    i.pressed = true;
    press_at = now_ + Mins(2 + rng_.Uniform() * 8);
    At(press_at, kPress, inc, unit);
  }
  const double stay = i.is_emergency ? cfg_.behaviour.emergency_on_scene
                      : i.mh         ? tm.on_scene_mh
                                     : tm.on_scene;
  // A unit that presses the button is still there when it does.
  At(std::max(now_ + Mins(5 + rng_.Exponential(stay)), press_at + Minutes(1)), kClear, inc, unit);
}

void Window::Release(std::uint32_t unit) {
  SimUnit& u = units_[unit];
  if (u.incident < 0) return;
  SimIncident& i = incidents_[static_cast<size_t>(u.incident)];
  AccrueExcess(i);
  i.active--;
  totals_.officer_hours += static_cast<double>(now_ - u.assigned_at) / kMicrosPerHour *
                           cfg_.fleet.crew;
  u.incident = -1;
  u.epoch++;
  ServePending(unit);
}

void Window::MaybeClose(std::uint32_t inc) {
  const SimIncident& i = incidents_[inc];
  if (!i.closed && i.active == 0 && i.needed <= 0 && !i.detention_open && !i.is_emergency) {
    Close(inc, i.mh ? "mental_health_attended" : "attended_resolved");
  }
}

void Window::Close(std::uint32_t inc, const char* result) {
  SimIncident& i = incidents_[inc];
  auto request = std::make_shared<IncidentCloseRequest>();
  request->result_code = result;
  request->summary = "Simulated closure";
  SubmitRequest("incident.close", i.id, std::move(request), kController);
  i.closed = true;
  // The closure clears whoever is still attached.
  if (i.active == 0) return;
  for (std::uint32_t u = 0; u < units_.size(); ++u) {
    if (units_[u].incident == static_cast<std::int64_t>(inc)) Release(u);
  }
}

// The emergency button: the engine creates the officer-assistance incident and dispatches the
// nearest units itself; the simulator reads which, then other officers self-deploy as configured.
void Window::Press(std::uint32_t /*inc*/, std::uint32_t unit) {
  Flush();  // the engine's view of units must be the simulator's
  Outcome o = SubmitWait("unit.emergency", units_[unit].id, {}, units_[unit].officer);
  if (!o.ok) return;
  const std::string eid = "inc-" + std::to_string(next_incident_++);
  const auto* id = o.reply.is_object() ? o.reply.as_object().if_contains("id") : nullptr;
  if (id == nullptr || !id->is_string() || id->as_string() != eid) {
    std::lock_guard lock(mu_);
    desync_ = true;
    desync_what_ = "unit.emergency created another incident than " + eid;
    return;
  }
  ++totals_.emergencies;
  ++totals_.incidents;
  SimIncident e;
  e.id = eid;
  e.created = now_;
  e.point = units_[unit].pos;
  e.bcu = units_[unit].bcu;
  e.grade = 'I';
  e.is_emergency = true;
  e.presser = unit;
  e.recommended = cfg_.policy.RecommendedUnits("officer_assistance", "I");
  e.active = 1;  // the presser, at scene on both incidents
  e.max_active = 1;
  e.active_since = now_;
  e.first_arrival = now_;
  const auto eidx = static_cast<std::uint32_t>(incidents_.size());
  incidents_.push_back(std::move(e));
  // One look at the engine's emergency: the units it dispatched, and the units already at the
  // presser's incident that it joined to the emergency as they were (policy
  // attendance.emergency_counts_units_at_scene_incident). Those are busy there in the simulator
  // too: they count towards the emergency's attendance and no one else takes them.
  std::vector<std::string> dispatched, joined;
  engine_->Read([&](const State& s) {
    auto it = s.cad.incidents.find(eid);
    if (it == s.cad.incidents.end()) return 0;
    for (const auto& [uid, a] : it->second.assignments) {
      if (!a.Active()) continue;
      if (a.dispatched_by == "system:emergency") dispatched.push_back(uid);
      if (a.dispatched_by == "system:emergency_scene") joined.push_back(uid);
    }
    return 0;
  });
  incidents_[eidx].active += static_cast<int>(joined.size());
  incidents_[eidx].max_active = std::max(incidents_[eidx].max_active, incidents_[eidx].active);
  std::vector<bool> taken(units_.size(), false);
  taken[unit] = true;
  for (const auto& uid : joined) {
    if (auto it = unit_index_.find(uid); it != unit_index_.end()) taken[it->second] = true;
  }
  for (const auto& uid : dispatched) {
    auto it = unit_index_.find(uid);
    if (it == unit_index_.end()) continue;
    taken[it->second] = true;
    if (units_[it->second].incident >= 0) {
      std::lock_guard lock(mu_);
      desync_ = true;
      desync_what_ = "the engine dispatched " + uid + " to the emergency, busy in the simulator";
      return;
    }
    ++totals_.dispatches;
    Commit(eidx, it->second);
  }
  // Officers who hear it on the radio.
  for (int k = 0; k < cfg_.behaviour.emergency_self_deploy; ++k) {
    const std::int64_t u = NearestFree(incidents_[eidx].point, incidents_[eidx].bcu, &taken);
    if (u < 0) break;
    taken[static_cast<size_t>(u)] = true;
    const bool resourced = incidents_[eidx].active >= incidents_[eidx].recommended;
    if (resourced && rng_.Chance(cfg_.behaviour.advisory_compliance)) {
      ++totals_.advisory_heeded;  // heard "sufficient resources" and stayed on patrol
      continue;
    }
    Assign(eidx, static_cast<std::uint32_t>(u), true, resourced);
  }
  if (cfg_.behaviour.stand_down_on_alert) At(now_ + Minutes(1), kGovern, eidx, kNoUnit);
  At(now_ + Mins(cfg_.behaviour.emergency_on_scene + 10), kEmergencyEnd, eidx, kNoUnit);
}

// Control acts on the over-attendance alert: stands down what the engine suggests.
void Window::Govern(std::uint32_t inc) {
  SimIncident& i = incidents_[inc];
  if (i.closed) return;
  Flush();
  const std::string alert = engine_->Read([&](const State& s) {
    // The incident's own alerts, not every alert of the window.
    const auto ids = s.alerts.by_incident.find(i.id);
    if (ids == s.alerts.by_incident.end()) return std::string();
    for (const auto& aid : ids->second) {
      const Alert& a = s.alerts.by_id.at(aid);
      if (a.type == "over_attendance" && !a.acknowledged_at) return aid;
    }
    return std::string();
  });
  if (alert.empty()) return;
  Outcome o = SubmitWait("assignment.stand_down", i.id, {{"alert_id", alert}}, kController);
  if (!o.ok) return;
  const std::vector<std::string> stood = engine_->Read([&](const State& s) {
    std::vector<std::string> out;
    auto it = s.cad.incidents.find(i.id);
    if (it == s.cad.incidents.end()) return out;
    for (const auto& [uid, a] : it->second.assignments) {
      if (a.state == "stood_down") out.push_back(uid);
    }
    return out;
  });
  for (const auto& uid : stood) {
    auto it = unit_index_.find(uid);
    if (it != unit_index_.end() && units_[it->second].incident == static_cast<std::int64_t>(inc)) {
      ++totals_.stood_down;
      Release(it->second);
    }
  }
}

// s136: the decision at the scene, the place of safety, conveyance; arrival follows.
void Window::Detain(std::uint32_t inc, std::uint32_t unit) {
  SimIncident& i = incidents_[inc];
  const SimUnit& u = units_[unit];
  const PlaceOfSafetySite* site = nullptr;
  double best = 1e18;
  for (const auto& p : ref_.places_of_safety) {
    const double d = Metres(p.location, i.point);
    if (p.open && d < best) {
      best = d;
      site = &p;
    }
  }
  if (site == nullptr) {  // no place of safety in the reference data: attend and clear
    At(now_ + Mins(cfg_.timing.on_scene_mh), kClear, inc, unit);
    return;
  }
  const int age = 18 + static_cast<int>(rng_.Uniform() * 60);
  i.detention_id = "det-" + std::to_string(next_detention_++);
  i.detention_open = true;
  i.detainer = unit;
  ++totals_.s136;
  Submit("detention.create", i.id,
         {{"power", "s136"},
          {"location_type", "public_place"},
          {"grounds",
           {{"mental_disorder", "appears to be experiencing a mental disorder"},
            {"care_or_control", "in immediate need of care or control"},
            {"necessity", "necessary for their own protection"}}},
          {"person", {{"age", age}}},
          {"consultation",
           {{"name", "Street triage nurse"},
            {"role", "registered_nurse"},
            {"advice", "a place of safety is needed"}}}},
         u.officer, i.detention_id);
  Submit("detention.place", i.detention_id, {{"kind", "hbpos"}, {"site_id", site->id}}, u.officer);
  boost::json::object conveyance{{"mode", "ambulance"}};
  if (!rng_.Chance(cfg_.timing.ambulance_share)) {
    conveyance = {{"mode", "police_vehicle"}, {"police_vehicle_reason", "ambulance_delayed"}};
  }
  Submit("detention.conveyance", i.detention_id, std::move(conveyance), u.officer);
  const double km = best * cfg_.timing.detour_factor / 1000;
  const double kmh = cfg_.policy.mental_health.conveyance_speed_kmh;
  At(now_ + Mins(5 + km / (kmh > 0 ? kmh : 30) * 60), kPosArrive, inc, unit);
}

}  // namespace concordat::sim
