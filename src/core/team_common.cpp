// Shared pieces of the team domain: dates, partner leads, training standings, the derived
// indexes (rebuilt after a snapshot, fed by the CAD's events), and RegisterTeam.
#include <algorithm>

#include "core/team_internal.hpp"

namespace concordat {

bool IsMentalHealthContact(const Incident& i) {
  return i.type == "mental_health" || i.HasFlag("mental_health");
}

void PersonLookup::Add(const Person& p) {
  if (!p.date_of_birth.empty()) by_dob[p.date_of_birth].insert(p.id);
  if (!p.phone_key.empty()) by_phone[p.phone_key].insert(p.id);
  if (!p.address_key.empty()) by_address[p.address_key].insert(p.id);
}

void TeamState::Reindex(const CadState& cad) {
  demand.Clear();
  lookup = PersonLookup();
  for (const auto& [id, p] : persons) lookup.Add(p);
  // In time order: the index keeps its lists sorted by time, and an insertion into the middle
  // moves the tail (the incidents map is ordered by id, which made a restore quadratic).
  std::vector<const Incident*> contacts;
  for (const auto& [id, i] : cad.incidents) {
    if (IsMentalHealthContact(i)) contacts.push_back(&i);
  }
  std::sort(contacts.begin(), contacts.end(), [](const Incident* a, const Incident* b) {
    return a->received_at != b->received_at ? a->received_at < b->received_at : a->id < b->id;
  });
  for (const Incident* ip : contacts) {
    const Incident& i = *ip;
    demand.AddContact(i.id, i.received_at, i.bcu_code, NormaliseAddress(i.location.address));
    for (const auto& p : i.persons) demand.LinkPerson(i.id, p);
    team::RefreshAttendance(demand, cad, i);
  }
  for (const auto& [id, p] : persons) {
    if (!p.merged_into.empty()) demand.Merge(p.merged_into, id);
  }
}

}  // namespace concordat

namespace concordat::team {

CivilDate AddMonths(CivilDate d, int months) {
  const int m0 = d.year * 12 + (d.month - 1) + months;
  CivilDate r{m0 / 12, m0 % 12 + 1, 1};
  const CivilDate next =
      r.month == 12 ? CivilDate{r.year + 1, 1, 1} : CivilDate{r.year, r.month + 1, 1};
  const int days_in_month = static_cast<int>(DaysFromCivil(next) - DaysFromCivil(r));
  r.day = std::min(d.day, days_in_month);
  return r;
}

Timestamp LondonMidnight(CivilDate d) {
  const Timestamp t0 = DaysFromCivil(d) * kMicrosPerDay;
  // London's midnight is never inside a clock change (those happen at 01:00 UTC).
  return t0 - LondonOffsetMicros(t0 - Hours(1));
}

CivilDate DateOf(const std::string& s) {
  auto d = ParseDate(s);
  return d.ok() ? *d : CivilDate{};
}

std::int64_t DayNumber(const std::string& s) { return DaysFromCivil(DateOf(s)); }

Decision OneEvent(NewEvent e, std::function<boost::json::value(const State&)> reply, int status) {
  Decision d;
  d.events.push_back(std::move(e));
  d.reply = std::move(reply);
  d.status = status;
  return d;
}

boost::json::value PartnerLeadsJson(const std::vector<PartnerLead>& v) {
  boost::json::array a;
  for (const auto& p : v) {
    a.push_back({{"name", p.name}, {"organisation", p.organisation}, {"role", p.role}});
  }
  return a;
}

std::vector<PartnerLead> ReadPartnerLeads(FieldReader& r, const boost::json::object& body,
                                          std::string_view path, size_t max_items) {
  std::vector<PartnerLead> out;
  const auto* v = FindPath(body, path);
  if (v == nullptr) return out;
  if (!v->is_array() || v->as_array().size() > max_items) {
    r.Fail(path, std::string(path) + " must be a list of at most " + std::to_string(max_items) +
                     " {name, organisation, role}");
    return out;
  }
  size_t n = 0;
  for (const auto& item : v->as_array()) {
    const std::string at = std::string(path) + "[" + std::to_string(n++) + "]";
    if (!item.is_object()) {
      r.Fail(at, at + " must be {name, organisation, role}");
      return {};
    }
    FieldReader ir(item.as_object());
    PartnerLead p;
    p.name = ir.String("name", 200);
    p.organisation = ir.String("organisation", 200);
    p.role = ir.OptionalString("role", 200).value_or("");
    if (!ir.ok()) {
      r.Fail(at + "." + ir.error().field, at + ": " + ir.error().message);
      return {};
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<PartnerLead> PartnerLeadsFrom(const boost::json::object& data, std::string_view key) {
  std::vector<PartnerLead> out;
  if (const auto* v = data.if_contains(key); v && v->is_array()) {
    for (const auto& item : v->as_array()) {
      if (!item.is_object()) continue;
      const auto& o = item.as_object();
      out.push_back({Str(o, "name"), Str(o, "organisation"), Str(o, "role")});
    }
  }
  return out;
}

std::vector<CourseStanding> Standings(const State& s, const TrainedOfficer& o, Timestamp now,
                                      int due_soon_days) {
  std::map<std::string, const Completion*> last;
  for (const auto& c : o.completions) {
    auto& l = last[c.course_id];
    if (l == nullptr || l->completed_on < c.completed_on) l = &c;
  }
  const std::int64_t today = DaysFromCivil(LondonDate(now));
  std::vector<CourseStanding> out;
  for (const auto& [course_id, c] : last) {
    auto cit = s.team.training.courses.find(course_id);
    if (cit == s.team.training.courses.end()) continue;
    CourseStanding st{&cit->second, c, "", "current"};
    if (cit->second.refresh_months > 0) {
      const CivilDate due = AddMonths(DateOf(c->completed_on), cit->second.refresh_months);
      st.due_on = FormatDate(due);
      const std::int64_t due_day = DaysFromCivil(due);
      if (today > due_day) {
        st.status = "overdue";
      } else if (today >= due_day - due_soon_days) {
        st.status = "due";
      }
    }
    out.push_back(st);
  }
  return out;
}

void RefreshAttendance(RepeatDemandIndex& ix, const CadState& cad, const Incident& i) {
  Timestamp closed = 0;
  std::vector<OpenAttendance> open;
  for (const auto& [uid, a] : i.assignments) {
    if (!a.at_scene_at) continue;
    int officers = 1;
    if (auto u = cad.units.find(uid); u != cad.units.end() && !u->second.crew.empty()) {
      officers = static_cast<int>(u->second.crew.size());
    }
    std::optional<Timestamp> end = a.left_scene_at;
    if (!end) end = a.cleared_at;
    if (!end) end = a.stood_down_at;
    if (end) {
      closed += std::max<Timestamp>(0, *end - *a.at_scene_at) * officers;
    } else if (a.Active()) {
      open.push_back(OpenAttendance{*a.at_scene_at, officers});
    }
  }
  ix.SetAttendance(i.id, closed, std::move(open));
}

void RegisterDemandIndexing(Domain& d) {
  // These run after the CAD's own appliers (RegisterCad comes first), so the incident is current.
  d.OnEvent("incident.created", [](State& s, const Event& e) {
    // The incident by its stream ("incident/<id>"): live, the event's data is a typed body.
    const Incident* found = cad::IncidentOfStream(s, e);
    if (found == nullptr || !IsMentalHealthContact(*found)) return;
    const Incident& i = *found;
    s.team.demand.AddContact(i.id, i.received_at, i.bcu_code, NormaliseAddress(i.location.address));
  });
  d.OnEvent("incident.person_linked", [](State& s, const Event& e) {
    s.team.demand.LinkPerson(Str(e.data, "incident_id"), Str(e.data, "person_id"));
  });
  auto attendance = [](State& s, const Event& e) {
    // By the stream, as above: a state change's data is a typed body.
    const Incident* i = cad::IncidentOfStream(s, e);
    if (i != nullptr && s.team.demand.HasContact(i->id)) {
      RefreshAttendance(s.team.demand, s.cad, *i);
    }
  };
  d.OnEvent("assignment.created", attendance);
  d.OnEvent("assignment.state_changed", attendance);
  d.OnEvent("assignment.stood_down", attendance);
}

}  // namespace concordat::team

namespace concordat {

void RegisterTeam(Domain& d) {
  team::RegisterDemandIndexing(d);
  team::RegisterOrganisation(d);
  team::RegisterPersons(d);
  team::RegisterHiu(d);
  team::RegisterTraining(d);
  team::RegisterLearning(d);
}

}  // namespace concordat
