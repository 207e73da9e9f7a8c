// Repeat demand for the API: persons and addresses over the policy thresholds (RULES.md F30),
// most officer time first, with the contributing incidents. The counting is the index's
// (team_demand_index.hpp); this file names the subjects and renders them.
#include "core/team_demand.hpp"

#include <cmath>

#include "core/team_internal.hpp"

namespace concordat::team {

double Hours2(Timestamp micros) {
  return std::round(static_cast<double>(micros) / static_cast<double>(kMicrosPerHour) * 100.0) /
         100.0;
}

bool IsUnder18(const State& s, const std::string& person_id, Timestamp now) {
  auto it = s.team.persons.find(person_id);
  if (it == s.team.persons.end()) return false;
  std::string dob = it->second.date_of_birth;
  for (const auto& m : it->second.merged) {
    if (!dob.empty()) break;
    if (auto mt = s.team.persons.find(m); mt != s.team.persons.end())
      dob = mt->second.date_of_birth;
  }
  return !dob.empty() && AgeOn(DateOf(dob), LondonDate(now)) < 18;
}

std::optional<DemandSubject> EvaluateSubject(const State& s, const Context& ctx,
                                             const std::string& type, const std::string& id) {
  DemandSubject subj;
  subj.id = type == "person" ? s.team.demand.Canonical(id) : id;
  const bool child = type == "person" && IsUnder18(s, subj.id, ctx.now);
  for (const auto& rule : ctx.policy->team.repeat_rules) {
    const bool applies = type == "person"
                             ? rule.subject == "person" || (rule.subject == "under_18" && child)
                             : rule.subject == "address";
    if (!applies) continue;
    const Timestamp from = ctx.now - DaysMicros(rule.window_days);
    const int n =
        type == "person"
            ? s.team.demand.PersonDemand(subj.id, from, ctx.now, ctx.now, false).contacts
            : s.team.demand.AddressDemand(subj.id, from, ctx.now, ctx.now, false).contacts;
    subj.counts.emplace_back(rule.window_days, n);
    if (n >= rule.threshold) {
      subj.triggered.push_back(RuleHit{rule.name, rule.window_days, rule.threshold, n});
      subj.window_days = std::max(subj.window_days, rule.window_days);
    }
  }
  if (subj.triggered.empty()) return std::nullopt;
  const Timestamp from = ctx.now - DaysMicros(subj.window_days);
  subj.demand = type == "person"
                    ? s.team.demand.PersonDemand(subj.id, from, ctx.now, ctx.now, true)
                    : s.team.demand.AddressDemand(subj.id, from, ctx.now, ctx.now, true);
  return subj;
}

boost::json::array IncidentsJson(const State& s, const std::vector<DemandContact>& v) {
  boost::json::array a;
  for (const auto& c : v) {
    boost::json::object o{{"incident_id", c.incident_id},
                          {"received_at", FormatIso(c.at)},
                          {"bcu", c.bcu},
                          {"officer_hours", Hours2(c.officer_micros)}};
    if (auto it = s.cad.incidents.find(c.incident_id); it != s.cad.incidents.end()) {
      o["reference"] = it->second.reference;
      o["type"] = it->second.type;
      o["address"] = it->second.location.address;
      o["status"] = it->second.status;
    }
    a.push_back(std::move(o));
  }
  return a;
}

boost::json::object SubjectDemandJson(const State& s, const DemandSubject& d) {
  boost::json::array triggered;
  for (const auto& h : d.triggered) {
    triggered.push_back({{"rule", h.rule},
                         {"window_days", h.window_days},
                         {"threshold", h.threshold},
                         {"count", h.count}});
  }
  boost::json::object counts;
  for (const auto& [days, n] : d.counts) counts[std::to_string(days) + "d"] = n;
  // The subject's BCU: where most of its contacts in the window were (the latest on a tie), for
  // reports that group subjects by BCU.
  std::map<std::string, std::pair<int, Timestamp>> by_bcu;
  for (const auto& c : d.demand.incidents) {
    auto& [n, last] = by_bcu[c.bcu];
    ++n;
    last = std::max(last, c.at);
  }
  std::string bcu;
  std::pair<int, Timestamp> best{0, 0};
  for (const auto& [code, score] : by_bcu) {
    if (!code.empty() && score > best) {
      best = score;
      bcu = code;
    }
  }
  return {{"bcu", bcu.empty() ? boost::json::value(nullptr) : boost::json::value(bcu)},
          {"contacts", d.demand.contacts},
          {"officer_hours", Hours2(d.demand.officer_micros)},
          {"window_days", d.window_days},
          {"triggered", triggered},
          {"counts", counts},
          {"incidents", IncidentsJson(s, d.demand.incidents)}};
}

}  // namespace concordat::team

namespace concordat {

boost::json::object RepeatDemandJson(const State& s, const Context& ctx, const std::string& bcu) {
  const auto report =
      s.team.demand.Query(ctx.policy->team.repeat_rules, ctx.now, bcu,
                          [&](const std::string& id) { return team::IsUnder18(s, id, ctx.now); });
  std::map<std::pair<std::string, std::string>, std::string> open_flags;
  for (const auto& [id, f] : s.team.flags) {
    if (f.Open()) open_flags[{f.subject_type, f.subject_id}] = id;
  }
  auto flag_of = [&](const char* type, const std::string& id) -> boost::json::value {
    auto it = open_flags.find({type, id});
    return it == open_flags.end() ? boost::json::value(nullptr) : boost::json::value(it->second);
  };
  boost::json::array persons;
  for (const auto& d : report.persons) {
    boost::json::object o = team::SubjectDemandJson(s, d);
    o["person_id"] = d.id;
    if (auto it = s.team.persons.find(d.id); it != s.team.persons.end()) {
      const Person& p = it->second;
      o["name"] = p.name;
      o["date_of_birth"] = p.date_of_birth;
      o["address"] = p.address;
      o["under_18"] = team::IsUnder18(s, p.id, ctx.now);
    }
    o["flag_id"] = flag_of("person", d.id);
    persons.push_back(std::move(o));
  }
  boost::json::array addresses;
  for (const auto& d : report.addresses) {
    boost::json::object o = team::SubjectDemandJson(s, d);
    o["address_key"] = d.id;
    o["postcode"] = PostcodeOf(d.id);
    o["flag_id"] = flag_of("address", d.id);
    addresses.push_back(std::move(o));
  }
  boost::json::array rules;
  for (const auto& r : ctx.policy->team.repeat_rules) {
    rules.push_back({{"rule", r.name},
                     {"subject", r.subject},
                     {"window_days", r.window_days},
                     {"threshold", r.threshold}});
  }
  return {{"at", FormatIso(ctx.now)},
          {"bcu", bcu.empty() ? boost::json::value(nullptr) : boost::json::value(bcu)},
          {"rules", rules},
          {"persons", persons},
          {"addresses", addresses},
          {"contacts_scanned", report.contacts_scanned}};
}

}  // namespace concordat
