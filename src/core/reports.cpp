// Reports computed from the domain state for a window (reports.hpp). Every figure is derived
// from recorded facts (incident and assignment times, alerts, triage, detentions, the team's
// records); nothing is estimated. Incidents belong to a window by the time they were received,
// alerts by when they were raised, detentions by the decision time.
#include "core/reports.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "core/csv.hpp"
#include "core/state.hpp"
#include "core/team.hpp"

namespace concordat::reports {
namespace {

using boost::json::object;

double Round1(double x) { return std::round(x * 10.0) / 10.0; }
double MinutesBetween(Timestamp a, Timestamp b) {
  return static_cast<double>(b - a) / static_cast<double>(kMicrosPerMinute);
}
double Pct(long part, long whole) {
  return whole > 0 ? Round1(100.0 * static_cast<double>(part) / static_cast<double>(whole)) : 0.0;
}
// Median of a sample, or JSON null when there is none.
boost::json::value Median(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return Round1(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0);
}
boost::json::value Mean(const std::vector<double>& v) {
  if (v.empty()) return nullptr;
  double t = 0;
  for (double x : v) t += x;
  return Round1(t / static_cast<double>(v.size()));
}
boost::json::value Percentile90(std::vector<double> v) {
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

std::string BcuOf(const Incident& i) { return i.bcu_code.empty() ? "unknown" : i.bcu_code; }

// The BCU codes to show one row for: every reference BCU (so a BCU with nothing shows zeros),
// narrowed by the filter, plus any code met in the data that the reference lacks.
std::vector<std::string> BcuRows(const Context& ctx, const Request& req,
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

// The end of an assignment's attendance: when it stood down, cleared or left; else the
// incident's closure; else now.
Timestamp AttendanceEnd(const Incident& i, const Assignment& a, Timestamp now) {
  for (const auto& t : {a.stood_down_at, a.left_scene_at, a.cleared_at}) {
    if (t) return *t;
  }
  if (i.closed_at) return *i.closed_at;
  return now;
}

// Peak concurrent attendance and the time spent above `limit`, by a sweep over assignments.
struct Sweep {
  int peak = 0;
  Timestamp over = 0;
};
Sweep SweepAttendance(const Incident& i, int limit, Timestamp now) {
  std::vector<std::pair<Timestamp, int>> edges;
  for (const auto& [u, a] : i.assignments) {
    const Timestamp end = std::max(a.assigned_at, AttendanceEnd(i, a, now));
    edges.emplace_back(a.assigned_at, +1);
    edges.emplace_back(end, -1);
  }
  std::sort(edges.begin(), edges.end());  // ends (-1) before starts (+1) at the same instant
  Sweep s;
  int n = 0;
  Timestamp prev = 0;
  for (const auto& [t, d] : edges) {
    if (n > limit) s.over += t - prev;
    n += d;
    prev = t;
    s.peak = std::max(s.peak, n);
  }
  return s;
}

// --- attendance ----------------------------------------------------------------------------

Report Attendance(const State& s, const Context& ctx, const Request& req) {
  const Window w{req};
  Report r;
  Table over{"over_attendance",
             "Incidents attended beyond the recommendation",
             {{"reference", "Incident", ""},
              {"bcu", "BCU", ""},
              {"type", "Type", ""},
              {"grade", "Grade", ""},
              {"received_at", "Received", ""},
              {"recommended", "Recommended units", "count"},
              {"peak_units", "Peak units attending", "count"},
              {"excess", "Units over", "count"},
              {"minutes_over", "Minutes over the recommendation", "minutes"},
              {"over_attendance_alert", "Alerted", ""}},
             {}};
  Table by_bcu{"by_bcu",
               "Self-deployment and stand-down by BCU",
               {{"bcu", "BCU", ""},
                {"incidents", "Incidents", "count"},
                {"over_recommendation", "Over the recommendation", "count"},
                {"self_deployed", "Self-deployments", "count"},
                {"after_advisory", "Self-deployed after the advisory", "count"},
                {"stood_down", "Stand-downs", "count"},
                {"unit_minutes_over", "Unit-minutes over", "minutes"}},
               {}};
  std::set<std::string> alerted;
  for (const auto& [id, a] : s.alerts.by_id) {
    if (a.type == "over_attendance") alerted.insert(a.incident_id);
  }
  struct Counts {
    long incidents = 0, over = 0, self = 0, advisory = 0, stood = 0;
    double unit_minutes = 0;
  };
  std::map<std::string, Counts> per;
  Counts all;
  for (const auto& [id, i] : s.cad.incidents) {
    if (!w.Takes(i)) continue;
    Counts& c = per[BcuOf(i)];
    const int rec = ctx.policy->RecommendedUnits(i.type, i.grade);
    const Sweep sw = SweepAttendance(i, rec, ctx.now);
    long self = 0, advisory = 0, stood = 0;
    for (const auto& [u, a] : i.assignments) {
      self += a.mode == "self_deployed";
      advisory += a.after_advisory;
      stood += a.stood_down_at.has_value();
    }
    const bool is_over = sw.peak > rec && !i.assignments.empty();
    for (Counts* k : {&c, &all}) {
      k->incidents++;
      k->over += is_over;
      k->self += self;
      k->advisory += advisory;
      k->stood += stood;
    }
    if (!is_over) continue;
    // Unit-minutes beyond the recommendation: the time over times the mean excess is not
    // recorded; the honest lower bound is minutes over × 1 unit, the upper peak excess.
    const double minutes = Round1(MinutesBetween(0, sw.over));
    c.unit_minutes += minutes * (sw.peak - rec);
    all.unit_minutes += minutes * (sw.peak - rec);
    over.rows.push_back({{"incident_id", i.id},
                         {"reference", i.reference},
                         {"bcu", BcuOf(i)},
                         {"type", i.type},
                         {"grade", i.grade},
                         {"received_at", FormatIso(i.received_at)},
                         {"recommended", rec},
                         {"peak_units", sw.peak},
                         {"excess", sw.peak - rec},
                         {"minutes_over", minutes},
                         {"over_attendance_alert", alerted.contains(i.id) ? "yes" : "no"}});
  }
  std::sort(over.rows.begin(), over.rows.end(), [](const object& a, const object& b) {
    return a.at("excess").as_int64() != b.at("excess").as_int64()
               ? a.at("excess").as_int64() > b.at("excess").as_int64()
               : a.at("received_at").as_string() < b.at("received_at").as_string();
  });
  std::set<std::string> seen;
  for (const auto& [b, c] : per) seen.insert(b);
  for (const auto& b : BcuRows(ctx, req, seen)) {
    const Counts c = per.contains(b) ? per.at(b) : Counts{};
    by_bcu.rows.push_back({{"bcu", b},
                           {"incidents", c.incidents},
                           {"over_recommendation", c.over},
                           {"self_deployed", c.self},
                           {"after_advisory", c.advisory},
                           {"stood_down", c.stood},
                           {"unit_minutes_over", Round1(c.unit_minutes)}});
  }
  r.summary = {{"incidents", all.incidents},
               {"over_recommendation", all.over},
               {"self_deployed", all.self},
               {"self_deployed_after_advisory", all.advisory},
               {"stood_down", all.stood},
               {"unit_minutes_over", Round1(all.unit_minutes)}};
  r.tables = {std::move(over), std::move(by_bcu)};
  return r;
}

// --- record quality --------------------------------------------------------------------------

struct Quality {
  long assignments = 0, recorded = 0, avl = 0, unrecorded_arrival = 0;
  std::vector<double> lags;
  long unrecorded_attendance = 0, prompts = 0, not_updated = 0, alerts = 0, acknowledged = 0;
};

object QualityRow(const Quality& q) {
  return {{"assignments", q.assignments},
          {"arrivals_recorded", q.recorded},
          {"avl_arrivals", q.avl},
          {"arrivals_not_recorded", q.unrecorded_arrival},
          {"median_lag_minutes", Median(q.lags)},
          {"p90_lag_minutes", Percentile90(q.lags)},
          {"unrecorded_attendances", q.unrecorded_attendance},
          {"status_prompts", q.prompts},
          {"status_not_updated", q.not_updated},
          {"alerts", q.alerts},
          {"alerts_acknowledged", q.acknowledged}};
}

std::vector<Column> QualityColumns(Column first) {
  return {std::move(first),
          {"assignments", "Assignments", "count"},
          {"arrivals_recorded", "Arrivals recorded", "count"},
          {"avl_arrivals", "Arrivals by AVL", "count"},
          {"arrivals_not_recorded", "AVL arrivals never recorded", "count"},
          {"median_lag_minutes", "Median status lag", "minutes"},
          {"p90_lag_minutes", "90th percentile status lag", "minutes"},
          {"unrecorded_attendances", "Unrecorded attendances", "count"},
          {"status_prompts", "Status prompts", "count"},
          {"status_not_updated", "Not updated after prompt", "count"},
          {"alerts", "Alerts", "count"},
          {"alerts_acknowledged", "Alerts acknowledged", "count"}};
}

Report RecordQuality(const State& s, const Context& ctx, const Request& req) {
  const Window w{req};
  std::map<std::string, Quality> bcu, shift;
  Quality all;
  auto shift_of = [&](Timestamp t) { return ctx.policy->reports.ShiftOf(ToLondon(t).hour); };
  for (const auto& [id, i] : s.cad.incidents) {
    if (!w.Bcu(i.bcu_code)) continue;
    for (const auto& [u, a] : i.assignments) {
      if (!w.Has(a.assigned_at)) continue;
      for (Quality* q : {&bcu[BcuOf(i)], &shift[shift_of(a.assigned_at)], &all}) {
        q->assignments++;
        q->recorded += a.at_scene_at.has_value();
        q->avl += a.avl_arrived_at.has_value();
        if (a.avl_arrived_at && !a.at_scene_at) q->unrecorded_arrival++;
        // Lag: recorded arrival after the fixes put the unit there (never negative: a unit
        // that pressed "at scene" early has no lag to report).
        if (a.avl_arrived_at && a.at_scene_at) {
          q->lags.push_back(std::max(0.0, MinutesBetween(*a.avl_arrived_at, *a.at_scene_at)));
        }
      }
    }
  }
  for (const auto& [id, a] : s.alerts.by_id) {
    if (!w.Has(a.raised_at)) continue;
    std::string code = "unknown";
    if (auto i = s.cad.incidents.find(a.incident_id); i != s.cad.incidents.end()) {
      code = BcuOf(i->second);
    }
    if (!w.Bcu(code)) continue;
    for (Quality* q : {&bcu[code], &shift[shift_of(a.raised_at)], &all}) {
      q->alerts++;
      q->acknowledged += a.acknowledged_at.has_value();
      q->unrecorded_attendance += a.type == "unrecorded_attendance";
      q->prompts += a.type == "status_prompt";
      q->not_updated += a.type == "status_not_updated";
    }
  }
  Report r;
  Table t1{"by_bcu", "Record quality by BCU", QualityColumns({"bcu", "BCU", ""}), {}};
  std::set<std::string> seen;
  for (const auto& [b, q] : bcu) seen.insert(b);
  for (const auto& b : BcuRows(ctx, req, seen)) {
    object row = QualityRow(bcu.contains(b) ? bcu.at(b) : Quality{});
    row.emplace("bcu", b);
    t1.rows.push_back(std::move(row));
  }
  Table t2{"by_shift", "Record quality by shift (Europe/London)",
           QualityColumns({"shift", "Shift", ""}), {}};
  for (const auto& [name, start] : ctx.policy->reports.shifts) {
    object row = QualityRow(shift.contains(name) ? shift.at(name) : Quality{});
    row.emplace("shift", name);
    row.emplace("starts_at_hour", start);
    t2.rows.push_back(std::move(row));
  }
  r.summary = QualityRow(all);
  r.summary["arrivals_recorded_pct"] = Pct(all.recorded, all.assignments);
  r.tables = {std::move(t1), std::move(t2)};
  return r;
}

// --- response ---------------------------------------------------------------------------------

struct Met {
  long incidents = 0, met = 0, missed = 0, pending = 0;
  std::vector<double> minutes;
};

// Whether the incident met its grade's target: met, missed, or pending (no arrival, still inside
// the target).
enum class Outcome { kMet, kMissed, kPending };
Outcome Judge(const Incident& i, Timestamp now) {
  if (i.first_arrival_at && i.target_at && *i.first_arrival_at <= *i.target_at) {
    return Outcome::kMet;
  }
  if (!i.first_arrival_at && i.target_at && now < *i.target_at && i.status == "open") {
    return Outcome::kPending;
  }
  return Outcome::kMissed;
}

object MetRow(const Met& m) {
  const long judged = m.met + m.missed;
  return {{"incidents", m.incidents},  {"met", m.met},
          {"missed", m.missed},        {"pending", m.pending},
          {"met_pct", Pct(m.met, judged)}, {"median_minutes_to_arrival", Median(m.minutes)}};
}

Report Response(const State& s, const Context& ctx, const Request& req) {
  const Window w{req};
  std::vector<std::string> grades;
  for (const auto& g : ctx.policy->grades) {
    if (g.deploys && g.target > 0) grades.push_back(g.code);
  }
  std::map<std::pair<std::string, std::string>, Met> by_bcu;  // (bcu, grade)
  std::map<std::pair<int, std::string>, Met> by_hour;         // (local hour, grade)
  std::map<std::string, Met> totals;
  for (const auto& [id, i] : s.cad.incidents) {
    if (!w.Takes(i) || std::find(grades.begin(), grades.end(), i.grade) == grades.end()) continue;
    const Outcome o = Judge(i, ctx.now);
    for (Met* m : {&by_bcu[{BcuOf(i), i.grade}], &by_hour[{ToLondon(i.received_at).hour, i.grade}],
                   &totals[i.grade]}) {
      m->incidents++;
      m->met += o == Outcome::kMet;
      m->missed += o == Outcome::kMissed;
      m->pending += o == Outcome::kPending;
      if (i.first_arrival_at) m->minutes.push_back(MinutesBetween(i.received_at, *i.first_arrival_at));
    }
  }
  std::vector<Column> cols = {{"incidents", "Incidents", "count"},
                              {"met", "Target met", "count"},
                              {"missed", "Target missed", "count"},
                              {"pending", "Still inside target", "count"},
                              {"met_pct", "Met", "percent"},
                              {"median_minutes_to_arrival", "Median to first arrival", "minutes"}};
  Report r;
  Table t1{"by_bcu", "Grade targets met by BCU", {{"bcu", "BCU", ""}, {"grade", "Grade", ""}}, {}};
  t1.columns.insert(t1.columns.end(), cols.begin(), cols.end());
  std::set<std::string> seen;
  for (const auto& [k, m] : by_bcu) seen.insert(k.first);
  for (const auto& b : BcuRows(ctx, req, seen)) {
    for (const auto& g : grades) {
      auto it = by_bcu.find({b, g});
      object row = MetRow(it == by_bcu.end() ? Met{} : it->second);
      row.emplace("bcu", b);
      row.emplace("grade", g);
      t1.rows.push_back(std::move(row));
    }
  }
  Table t2{"by_hour", "Grade targets met by hour of day received (Europe/London)",
           {{"hour", "Hour", ""}, {"grade", "Grade", ""}}, {}};
  t2.columns.insert(t2.columns.end(), cols.begin(), cols.end());
  for (int h = 0; h < 24; ++h) {
    for (const auto& g : grades) {
      auto it = by_hour.find({h, g});
      object row = MetRow(it == by_hour.end() ? Met{} : it->second);
      row.emplace("hour", (h < 10 ? "0" : "") + std::to_string(h) + ":00");
      row.emplace("grade", g);
      t2.rows.push_back(std::move(row));
    }
  }
  for (const auto& g : grades) {
    const Met m = totals.contains(g) ? totals.at(g) : Met{};
    r.summary[g + "_incidents"] = m.incidents;
    r.summary[g + "_met_pct"] = Pct(m.met, m.met + m.missed);
  }
  r.tables = {std::move(t1), std::move(t2)};
  return r;
}

// --- mental health ----------------------------------------------------------------------------

std::string DataStr(const object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Report MentalHealth(const State& s, const Context& ctx, const Request& req) {
  const Window w{req};
  struct Demand {
    long incidents = 0, attended = 0, triaged = 0, below_threshold = 0, detentions = 0;
  };
  std::map<std::string, Demand> per;
  std::array<long, 24> hours{};
  std::map<std::string, long> outcomes;
  Demand all;
  for (const auto& [id, i] : s.cad.incidents) {
    if (!w.Takes(i) || !IsMentalHealthContact(i)) continue;
    const bool attended = i.first_arrival_at.has_value();
    bool triaged = false, below = false;
    if (auto t = s.mh.triage.find(id); t != s.mh.triage.end() && !t->second.empty()) {
      const object& d = t->second.back().data;
      triaged = true;
      const std::string threshold = DataStr(d, "threshold");
      below = threshold == "none";
      outcomes["threshold: " + (threshold.empty() ? std::string("unrecorded") : threshold)]++;
      if (below) {
        const std::string to = DataStr(d, "signposted_to");
        outcomes["signposted: " + (to.empty() ? std::string("unrecorded") : to)]++;
      }
    } else {
      outcomes["not triaged"]++;
    }
    outcomes[attended ? "attended" : "not attended"]++;
    hours[static_cast<size_t>(ToLondon(i.received_at).hour)]++;
    for (Demand* d : {&per[BcuOf(i)], &all}) {
      d->incidents++;
      d->attended += attended;
      d->triaged += triaged;
      d->below_threshold += below;
    }
  }
  Table dets{"detentions",
             "s136 and s135 detentions",
             {{"detention_id", "Detention", ""},
              {"power", "Power", ""},
              {"bcu", "BCU", ""},
              {"decided_at", "Detained", ""},
              {"hours_detained", "Duration", "hours"},
              {"minutes_to_place_of_safety", "To place of safety", "minutes"},
              {"first_place_of_safety", "First place of safety", ""},
              {"conveyance", "Conveyance", ""},
              {"handover_wait_minutes", "Handover wait", "minutes"},
              {"handover_over_60", "Handover over 60 min", ""},
              {"police_station", "Police station used", ""},
              {"extended", "Extended", ""},
              {"status", "Status", ""}},
             {}};
  std::vector<double> durations, to_pos, waits;
  long s136 = 0, s135 = 0, over60 = 0, station = 0, extended = 0, ambulance = 0, conveyed = 0;
  std::map<std::string, long> modes;
  const Timestamp handover_limit = ctx.policy->mental_health.handover_alert_after;
  for (const auto& [id, d] : s.mh.detentions) {
    if (!w.Has(d.decided_at)) continue;
    std::string code = "unknown";
    if (auto i = s.cad.incidents.find(d.incident_id); i != s.cad.incidents.end()) {
      code = BcuOf(i->second);
    }
    if (!w.Bcu(code)) continue;
    (d.power == "s135" ? s135 : s136)++;
    per[code].detentions++;
    all.detentions++;
    const Timestamp end = d.ended_at.value_or(ctx.now);
    const double hours = Round1(static_cast<double>(end - d.decided_at) / kMicrosPerHour);
    if (d.ended_at) durations.push_back(hours);
    boost::json::value to_place = nullptr;
    for (const auto& p : d.places) {
      if (p.arrived_at) {
        to_place = Round1(MinutesBetween(d.decided_at, *p.arrived_at));
        to_pos.push_back(to_place.as_double());
        break;
      }
    }
    boost::json::value wait = nullptr;
    bool wait_over = false;
    if (d.handover.requested_at || d.handover.arrived_at) {
      const Timestamp start = d.handover.arrived_at.value_or(*d.handover.requested_at);
      const Timestamp stop = d.handover.accepted_at.value_or(d.ended_at.value_or(ctx.now));
      wait = Round1(MinutesBetween(start, stop));
      waits.push_back(wait.as_double());
      wait_over = stop - start > handover_limit;
      over60 += wait_over;
    }
    const bool at_station = std::any_of(d.places.begin(), d.places.end(), [](const PlaceVisit& p) {
      return p.kind == "police_station" && p.arrived_at;
    });
    station += at_station;
    extended += d.extended_until.has_value();
    const std::string mode = d.conveyances.empty() ? "" : d.conveyances.front().mode;
    if (!mode.empty()) {
      conveyed++;
      ambulance += mode == "ambulance";
      modes[mode]++;
    }
    dets.rows.push_back(
        {{"detention_id", d.id},
         {"power", d.power},
         {"bcu", code},
         {"decided_at", FormatIso(d.decided_at)},
         {"hours_detained", hours},
         {"minutes_to_place_of_safety", to_place},
         {"first_place_of_safety", d.places.empty() ? std::string() : d.places.front().kind},
         {"conveyance", mode},
         {"handover_wait_minutes", wait},
         {"handover_over_60", wait_over ? "yes" : "no"},
         {"police_station", at_station ? "yes" : "no"},
         {"extended", d.extended_until ? "yes" : "no"},
         {"status", d.status}});
  }
  Report r;
  Table demand{"demand_by_bcu",
               "Mental-health demand by BCU",
               {{"bcu", "BCU", ""},
                {"incidents", "Mental-health incidents", "count"},
                {"attended", "Attended", "count"},
                {"triaged", "RCRP triaged", "count"},
                {"below_threshold", "Below the police threshold", "count"},
                {"detentions", "Detentions", "count"}},
               {}};
  std::set<std::string> seen;
  for (const auto& [b, d] : per) seen.insert(b);
  for (const auto& b : BcuRows(ctx, req, seen)) {
    const Demand d = per.contains(b) ? per.at(b) : Demand{};
    demand.rows.push_back({{"bcu", b},
                           {"incidents", d.incidents},
                           {"attended", d.attended},
                           {"triaged", d.triaged},
                           {"below_threshold", d.below_threshold},
                           {"detentions", d.detentions}});
  }
  Table by_hour{"demand_by_hour",
                "Mental-health demand by hour received (Europe/London)",
                {{"hour", "Hour", ""}, {"incidents", "Incidents", "count"}},
                {}};
  for (int h = 0; h < 24; ++h) {
    by_hour.rows.push_back({{"hour", (h < 10 ? "0" : "") + std::to_string(h) + ":00"},
                            {"incidents", hours[static_cast<size_t>(h)]}});
  }
  Table rcrp{"rcrp_outcomes",
             "Right Care, Right Person outcomes",
             {{"outcome", "Outcome", ""}, {"incidents", "Incidents", "count"}},
             {}};
  for (const auto& [k, n] : outcomes) rcrp.rows.push_back({{"outcome", k}, {"incidents", n}});
  Table conv{"conveyance",
             "Conveyance to the first place of safety",
             {{"mode", "Mode", ""}, {"detentions", "Detentions", "count"}},
             {}};
  for (const auto& [k, n] : modes) conv.rows.push_back({{"mode", k}, {"detentions", n}});
  r.summary = {{"incidents", all.incidents},
               {"attended", all.attended},
               {"attended_pct", Pct(all.attended, all.incidents)},
               {"triaged", all.triaged},
               {"below_threshold", all.below_threshold},
               {"s136", s136},
               {"s135", s135},
               {"median_hours_detained", Median(durations)},
               {"median_minutes_to_place_of_safety", Median(to_pos)},
               {"mean_handover_wait_minutes", Mean(waits)},
               {"handover_waits_over_60", over60},
               {"police_station_uses", station},
               {"extensions", extended},
               {"ambulance_conveyance_pct", Pct(ambulance, conveyed)}};
  r.tables = {std::move(demand), std::move(by_hour), std::move(rcrp), std::move(dets),
              std::move(conv)};
  return r;
}

// --- teams ------------------------------------------------------------------------------------

long Int(const boost::json::value& v) {
  return v.is_int64() ? static_cast<long>(v.as_int64()) : v.is_double() ? std::lround(v.as_double()) : 0;
}
double Num(const boost::json::value& v) {
  return v.is_double() ? v.as_double() : v.is_int64() ? static_cast<double>(v.as_int64()) : 0.0;
}

Report Teams(const State& s, const Context& ctx, const Request& req) {
  Report r;
  // Repeat demand is a rolling count as at now (RULES.md F30), not a windowed one.
  const object demand = RepeatDemandJson(s, ctx, req.bcu);
  struct Rd {
    long persons = 0, addresses = 0;
    double hours = 0;
  };
  std::map<std::string, Rd> per;
  Rd all;
  auto bcu_of = [](const object& o) {
    const auto* v = o.if_contains("bcu");
    return v && v->is_string() ? std::string(v->as_string()) : std::string("unknown");
  };
  for (const char* kind : {"persons", "addresses"}) {
    for (const auto& v : demand.at(kind).as_array()) {
      const object& o = v.as_object();
      const double hours = o.contains("officer_hours") ? Num(o.at("officer_hours")) : 0.0;
      for (Rd* d : {&per[bcu_of(o)], &all}) {
        (kind[0] == 'p' ? d->persons : d->addresses)++;
        d->hours += hours;
      }
    }
  }
  Table rd{"repeat_demand",
           "Repeat demand over the thresholds (rolling, as at the report time)",
           {{"bcu", "BCU", ""},
            {"persons", "Persons over threshold", "count"},
            {"addresses", "Addresses over threshold", "count"},
            {"officer_hours", "Officer-hours", "hours"}},
           {}};
  std::set<std::string> seen;
  for (const auto& [b, d] : per) seen.insert(b);
  for (const auto& b : BcuRows(ctx, req, seen)) {
    const Rd d = per.contains(b) ? per.at(b) : Rd{};
    rd.rows.push_back({{"bcu", b},
                       {"persons", d.persons},
                       {"addresses", d.addresses},
                       {"officer_hours", Round1(d.hours)}});
  }
  Table cases{"hiu_cases",
              "High-intensity-user cases: demand before and after opening",
              {{"case_id", "Case", ""},
               {"bcu", "BCU", ""},
               {"status", "Status", ""},
               {"opened_at", "Opened", ""},
               {"contacts_before", "Contacts before", "count"},
               {"contacts_after", "Contacts after", "count"},
               {"officer_hours_before", "Officer-hours before", "hours"},
               {"officer_hours_after", "Officer-hours after", "hours"}},
              {}};
  long open_cases = 0;
  long change = 0;
  for (const auto& [id, c] : s.team.cases) {
    if (!req.bcu.empty() && c.bcu != req.bcu) continue;
    const object j = CaseJson(s, c, ctx);
    const auto* dm = j.if_contains("demand");
    object before, after;
    if (dm != nullptr && dm->is_object()) {
      if (const auto* b = dm->as_object().if_contains("before"); b && b->is_object()) {
        before = b->as_object();
      }
      if (const auto* a = dm->as_object().if_contains("after"); a && a->is_object()) {
        after = a->as_object();
      }
    }
    auto get = [](const object& o, const char* k) {
      return o.contains(k) ? o.at(k) : boost::json::value(0);
    };
    open_cases += c.status == "open";
    change += Int(get(after, "contacts")) - Int(get(before, "contacts"));
    cases.rows.push_back({{"case_id", c.id},
                          {"bcu", c.bcu},
                          {"status", c.status},
                          {"opened_at", FormatIso(c.opened_at)},
                          {"contacts_before", Int(get(before, "contacts"))},
                          {"contacts_after", Int(get(after, "contacts"))},
                          {"officer_hours_before", Num(get(before, "officer_hours"))},
                          {"officer_hours_after", Num(get(after, "officer_hours"))}});
  }
  Table training{"training_coverage",
                 "Mental-health training coverage against target",
                 {{"bcu", "BCU", ""},
                  {"trained", "Trained (in date)", "count"},
                  {"refresher_due", "Refresher due", "count"},
                  {"lapsed", "Lapsed", "count"},
                  {"target", "Target", "count"},
                  {"percent_of_target", "Of target", "percent"}},
                 {}};
  object force;
  if (ctx.ref != nullptr) {
    const object cov = TrainingCoverageJson(s, ctx);
    force = cov.at("force").as_object();
    for (const auto& v : cov.at("bcus").as_array()) {
      const object& b = v.as_object();
      const std::string code(b.at("code").as_string());
      if (!req.bcu.empty() && code != req.bcu) continue;
      training.rows.push_back({{"bcu", code},
                               {"trained", b.at("trained")},
                               {"refresher_due", b.at("refresher_due")},
                               {"lapsed", b.at("lapsed")},
                               {"target", b.at("target")},
                               {"percent_of_target", b.at("percent_of_target")}});
    }
  }
  r.summary = {{"repeat_persons", all.persons},
               {"repeat_addresses", all.addresses},
               {"repeat_officer_hours", Round1(all.hours)},
               {"hiu_cases", static_cast<long>(cases.rows.size())},
               {"hiu_cases_open", open_cases},
               {"hiu_contacts_change", change}};
  for (const auto& [k, v] : force) r.summary["training_force_" + std::string(k)] = v;
  r.tables = {std::move(rd), std::move(cases), std::move(training)};
  return r;
}

}  // namespace

const Table* Report::Find(std::string_view table) const {
  for (const auto& t : tables) {
    if (t.name == table) return &t;
  }
  return nullptr;
}

const std::vector<std::pair<std::string, std::string>>& Catalogue() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"attendance", "Attendance beyond the recommendation"},
      {"record-quality", "Control-room record quality"},
      {"response", "Response: grade targets met"},
      {"mental-health", "Mental health: demand, RCRP and detentions"},
      {"teams", "Mental Health Teams: repeat demand, HIU cases, training"}};
  return k;
}

Result<Report> Build(const State& s, const Context& ctx, const Request& req) {
  if (ctx.policy == nullptr) return Error::Internal("reports need the policy");
  if (req.to <= req.from) {
    return Error::InvalidArgument("to", "the report window must end after it starts");
  }
  if (!req.bcu.empty() && ctx.ref != nullptr && ctx.ref->FindBcu(req.bcu) == nullptr) {
    return Error::InvalidArgument("bcu", "no BCU '" + req.bcu + "'");
  }
  Report r;
  if (req.name == "attendance") {
    r = Attendance(s, ctx, req);
  } else if (req.name == "record-quality") {
    r = RecordQuality(s, ctx, req);
  } else if (req.name == "response") {
    r = Response(s, ctx, req);
  } else if (req.name == "mental-health") {
    r = MentalHealth(s, ctx, req);
  } else if (req.name == "teams") {
    r = Teams(s, ctx, req);
  } else {
    std::string names;
    for (const auto& [n, t] : Catalogue()) names += (names.empty() ? "" : ", ") + n;
    return Error::InvalidArgument("report", "no report '" + req.name + "'; one of: " + names);
  }
  r.name = req.name;
  for (const auto& [n, t] : Catalogue()) {
    if (n == req.name) r.title = t;
  }
  r.from = req.from;
  r.to = req.to;
  r.generated_at = ctx.now;
  return r;
}

boost::json::object ToJson(const Report& r) {
  boost::json::array tables;
  for (const auto& t : r.tables) {
    boost::json::array cols, rows;
    for (const auto& c : t.columns) {
      object o{{"key", c.key}, {"label", c.label}};
      if (!c.unit.empty()) o["unit"] = c.unit;
      cols.push_back(std::move(o));
    }
    for (const auto& row : t.rows) rows.push_back(row);
    tables.push_back(object{{"name", t.name}, {"title", t.title}, {"columns", cols}, {"rows", rows}});
  }
  return {{"report", r.name},       {"title", r.title},
          {"from", FormatIso(r.from)}, {"to", FormatIso(r.to)},
          {"generated_at", FormatIso(r.generated_at)}, {"summary", r.summary},
          {"tables", tables}};
}

namespace {
std::string CsvCell(const boost::json::value& v) {
  std::string s;
  if (v.is_string()) {
    s = std::string(v.as_string());
  } else if (v.is_null()) {
    s = "";
  } else if (v.is_double()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v.as_double());
    s = buf;
  } else {
    s = boost::json::serialize(v);
  }
  return CsvQuote(s);
}
}  // namespace

std::string TableCsv(const Table& t) {
  std::string out;
  for (size_t k = 0; k < t.columns.size(); ++k) out += (k ? "," : "") + CsvCell(boost::json::value(t.columns[k].key));
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (size_t k = 0; k < t.columns.size(); ++k) {
      if (k) out += ',';
      if (const auto* v = row.if_contains(t.columns[k].key)) out += CsvCell(*v);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace concordat::reports
