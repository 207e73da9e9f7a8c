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
#include "core/reports_internal.hpp"

namespace concordat::reports {
namespace {

using namespace detail;

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
    if (i.IsPresser(u)) continue;  // the unit being helped (AttendingCount)
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
      if (i.IsPresser(u)) continue;  // its own press, not a deployment to help
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
  // Incidents where officers were evidently there — a detention or a use of force is on record —
  // but no unit's arrival was (the incomplete CAD log of IOPC PC/2334/19).
  long attended_not_recorded = 0;
};

object QualityRow(const Quality& q) {
  return {{"assignments", q.assignments},
          {"arrivals_recorded", q.recorded},
          {"avl_arrivals", q.avl},
          {"arrivals_not_recorded", q.unrecorded_arrival},
          {"median_lag_minutes", Median(q.lags)},
          {"p90_lag_minutes", Percentile90(q.lags)},
          {"unrecorded_attendances", q.unrecorded_attendance},
          {"attended_not_recorded", q.attended_not_recorded},
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
          {"attended_not_recorded", "Detention or force on record, no arrival recorded", "count"},
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
  // Incidents received in the window with a detention or a use of force on record and no unit
  // recorded at the scene.
  std::set<std::string> evidenced;
  for (const auto& [id, d] : s.mh.detentions) evidenced.insert(d.incident_id);
  for (const auto& [id, r] : s.mh.records) {
    if (r.kind == "use_of_force") evidenced.insert(r.incident_id);
  }
  for (const auto& incident_id : evidenced) {
    auto it = s.cad.incidents.find(incident_id);
    if (it == s.cad.incidents.end()) continue;
    const Incident& i = it->second;
    if (!w.Has(i.received_at) || !w.Bcu(i.bcu_code)) continue;
    const bool arrival =
        std::any_of(i.assignments.begin(), i.assignments.end(),
                    [](const auto& kv) { return kv.second.at_scene_at.has_value(); });
    if (arrival) continue;
    for (Quality* q : {&bcu[BcuOf(i)], &shift[shift_of(i.received_at)], &all}) {
      q->attended_not_recorded++;
    }
  }
  for (const auto& [id, a] : s.alerts.by_id) {
    if (!w.Has(a.raised_at)) continue;
    // Record quality is about incidents: alerts on no incident (organisation, registers) are
    // counted by the reports they belong to, not here.
    auto inc = s.cad.incidents.find(a.incident_id);
    if (inc == s.cad.incidents.end()) continue;
    const std::string code = BcuOf(inc->second);
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
  r.summary["arrivals_recorded_pct"] = Share(all.recorded, all.assignments);
  r.tables = {std::move(t1), std::move(t2)};
  return r;
}

// --- response ---------------------------------------------------------------------------------

struct Met {
  long incidents = 0, met = 0, missed = 0, no_arrival = 0, pending = 0;
  std::vector<double> minutes;
};

// Whether the incident met its grade's target: met (arrived in time), missed (arrived late), no
// arrival recorded (past the target, or closed, with none), or pending (no arrival, open and
// still inside the target). An incident with no arrival recorded is not counted as met or
// missed: nobody may have been sent (resolved by phone, referred to a partner), or the
// arrival may not have been recorded (an imported export has no arrivals at all); the report
// shows how many there are instead of reading them as late.
enum class Outcome { kMet, kMissed, kNoArrival, kPending };
Outcome Judge(const Incident& i, Timestamp now) {
  if (i.first_arrival_at && i.target_at && *i.first_arrival_at <= *i.target_at) {
    return Outcome::kMet;
  }
  if (i.first_arrival_at) return Outcome::kMissed;
  if (i.target_at && now < *i.target_at && i.status == "open") return Outcome::kPending;
  return Outcome::kNoArrival;
}

// Met share of the incidents with an arrival recorded; null (not 0%) when there is none yet.
boost::json::value MetPct(const Met& m) {
  const long judged = m.met + m.missed;
  return Share(m.met, judged);
}

object MetRow(const Met& m) {
  return {{"incidents", m.incidents},
          {"met", m.met},
          {"missed", m.missed},
          {"no_arrival", m.no_arrival},
          {"pending", m.pending},
          {"met_pct", MetPct(m)},
          {"median_minutes_to_arrival", Median(m.minutes)}};
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
      m->no_arrival += o == Outcome::kNoArrival;
      m->pending += o == Outcome::kPending;
      if (i.first_arrival_at) m->minutes.push_back(MinutesBetween(i.received_at, *i.first_arrival_at));
    }
  }
  std::vector<Column> cols = {{"incidents", "Incidents", "count"},
                              {"met", "Target met", "count"},
                              {"missed", "Arrived late", "count"},
                              {"no_arrival", "No arrival recorded", "count"},
                              {"pending", "Still inside target", "count"},
                              {"met_pct", "Met (of arrivals)", "percent"},
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
    r.summary[g + "_met_pct"] = MetPct(m);
    r.summary[g + "_no_arrival"] = m.no_arrival;
  }
  r.tables = {std::move(t1), std::move(t2)};
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
    Error e = Error::NotFound("no report '" + req.name + "'; one of: " + names);
    e.field = "report";
    return e;
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
    tables.push_back(object{{"name", t.name},
                            {"title", t.title},
                            {"columns", cols},
                            {"rows", rows},
                            {"empty", t.empty}});
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
