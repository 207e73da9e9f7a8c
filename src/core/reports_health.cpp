// The mental-health and teams reports (reports.hpp): MH demand, RCRP outcomes and detentions;
// repeat demand, HIU cases and training coverage.
#include <array>
#include <map>
#include <set>

#include "core/reports_internal.hpp"
#include "core/team.hpp"

namespace concordat::reports::detail {
namespace {

// --- mental health ----------------------------------------------------------------------------

std::string DataStr(const object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Report MentalHealth(const State& s, const Context& ctx, const Request& req) {
  const Window w{req};
  struct Demand {
    long incidents = 0, attended = 0, triaged = 0, below_threshold = 0, detentions = 0;
  };
  std::map<std::string, Demand> per;
  std::array<long, 24> hours{};
  std::map<std::string, long> outcomes;
  Demand all;
  // A detention needs a constable there (s136(1), s135(1)): its incident was attended even when
  // no unit's arrival was recorded on it.
  std::set<std::string> detained_on;
  for (const auto& [did, d] : s.mh.detentions) detained_on.insert(d.incident_id);
  for (const auto& [id, i] : s.cad.incidents) {
    // Mental-health contacts: by type or flag, and any call triaged under RCRP (a concern for
    // welfare, a walk-out: the calls RCRP is about, whatever their type).
    if (!w.Takes(i) || !(IsMentalHealthContact(i) || s.mh.triage.contains(id))) continue;
    const bool attended = i.first_arrival_at.has_value() || detained_on.contains(id);
    bool triaged = false, below = false;
    if (auto t = s.mh.triage.find(id); t != s.mh.triage.end() && !t->second.empty()) {
      const object& d = t->second.back().data;
      triaged = true;
      const std::string threshold = DataStr(d, "threshold");
      below = threshold == "none";
      outcomes["triage threshold: " + (threshold.empty() ? std::string("unrecorded") : threshold)]++;
      if (below) {
        const std::string to = DataStr(d, "signposted_to");
        outcomes["triage signposted: " + (to.empty() ? std::string("unrecorded") : to)]++;
      }
    } else {
      outcomes["triage threshold: not triaged"]++;
    }
    // An open incident nobody has reached yet may still be attended: it is not yet an outcome.
    outcomes[attended             ? "police attendance: attended"
             : i.status == "open" ? "police attendance: not yet (incident open)"
                                  : "police attendance: not attended"]++;
    hours[static_cast<size_t>(ToLondon(i.received_at).hour)]++;
    for (Demand* d : {&per[BcuOf(i)], &all}) {
      d->incidents++;
      d->attended += attended;
      d->triaged += triaged;
      d->below_threshold += below;
    }
  }
  // The wait the force alerts on (mental_health.handover_alert_minutes): the column keeps its key
  // (handover_over_60, the default) for the clients built on it, and says the configured limit.
  const Timestamp handover_limit = ctx.policy->mental_health.handover_alert_after;
  const std::string limit_text = std::to_string(handover_limit / kMicrosPerMinute) + " min";
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
              {"handover_over_60", "Handover over " + limit_text, ""},
              {"police_station", "Police station used", ""},
              {"extended", "Extended", ""},
              {"status", "Status", ""}},
             {}};
  std::vector<double> durations, to_pos, waits;
  long waits_running = 0;
  long s136 = 0, s135 = 0, over60 = 0, station = 0, extended = 0, ambulance = 0, conveyed = 0;
  std::map<std::string, long> modes;
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
    boost::json::value wait_running = nullptr;  // null without a wait
    bool wait_over = false;
    if (d.handover.requested_at || d.handover.arrived_at) {
      // RULES.md D25: the wait is the officers' — from arrival until they leave (or the
      // detention ends), as the detention's own view counts it. A wait still running is in the
      // row and the over-60 count, not in the mean of finished waits.
      const Timestamp start = d.handover.arrived_at.value_or(*d.handover.requested_at);
      const std::optional<Timestamp> left =
          d.handover.officers_left_at ? d.handover.officers_left_at : d.ended_at;
      const Timestamp stop = left.value_or(ctx.now);
      wait = Round1(MinutesBetween(start, stop));
      wait_running = !left.has_value();
      if (left) {
        waits.push_back(wait.as_double());
      } else {
        waits_running++;
      }
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
         {"handover_wait_running", wait_running},  // a wait still running counts up to now
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
  // Three breakdowns, each adding up on its own: attendance and the triage threshold of all the
  // incidents, and where the callers below the threshold were signposted.
  Table rcrp{"rcrp_outcomes",
             "Right Care, Right Person outcomes: attendance, the triage threshold, and where "
             "callers below it were signposted",
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
               {"attended_pct", Share(all.attended, all.incidents)},
               {"triaged", all.triaged},
               {"below_threshold", all.below_threshold},
               {"s136", s136},
               {"s135", s135},
               // Of the detentions that have ended; the rest are still running (a median of
               // "none yet" is not a zero).
               {"median_hours_detained", Median(durations)},
               {"detentions_ended", static_cast<std::int64_t>(durations.size())},
               {"detentions_running", s136 + s135 - static_cast<long>(durations.size())},
               {"median_minutes_to_place_of_safety", Median(to_pos)},
               {"mean_handover_wait_minutes", Mean(waits)},  // finished waits
               {"handover_waits_running", waits_running},
               {"handover_waits_over_60", over60},  // over the limit below, whatever it is
               {"handover_limit_minutes", handover_limit / kMicrosPerMinute},
               {"police_station_uses", station},
               {"extensions", extended},
               {"ambulance_conveyance_pct", Share(ambulance, conveyed)}};
  r.tables = {std::move(demand), std::move(by_hour), std::move(rcrp), std::move(dets),
              std::move(conv)};
  return r;
}

namespace {

// --- teams ------------------------------------------------------------------------------------

long Int(const boost::json::value& v) {
  return v.is_int64() ? static_cast<long>(v.as_int64()) : v.is_double() ? std::lround(v.as_double()) : 0;
}
double Num(const boost::json::value& v) {
  return v.is_double() ? v.as_double() : v.is_int64() ? static_cast<double>(v.as_int64()) : 0.0;
}

}  // namespace

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
  // Every case the force holds (its demand before and after opening), whenever it opened.
  cases.empty = req.bcu.empty()
                    ? "No high-intensity-user cases have been opened."
                    : "No high-intensity-user cases have been opened in " + req.bcu + ".";
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


}  // namespace concordat::reports::detail
