// Persons (DESIGN.md §4 Repeat demand): name, date of birth, phone and address, linked to
// incidents by a user (incident.link_person). Possible matches are suggested with their evidence
// and never merged automatically; a merge and its undoing (split) are events, and a user can say
// two records are different people so they stop being suggested.
#include <algorithm>

#include "core/team_internal.hpp"

namespace concordat::team {
namespace {

Result<const Person*> FindPerson(const State& s, const std::string& id, const char* field = "") {
  auto it = s.team.persons.find(id);
  if (it == s.team.persons.end()) {
    if (*field != 0) return Error::InvalidArgument(field, "no person " + id);
    return Error::NotFound("no person " + id);
  }
  return &it->second;
}

std::function<boost::json::value(const State&)> PersonReply(const std::string& id,
                                                            const Context& ctx, bool matches) {
  const Context cx = ctx;
  return [id, cx, matches](const State& st) -> boost::json::value {
    return PersonJson(st, st.team.persons.at(id), cx, matches);
  };
}

Result<Decision> DecideCreate(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string name = r.String("name", 200);
  const auto dob = r.OptionalString("date_of_birth", 10);
  const auto phone = r.OptionalString("phone", 40);
  const auto address = r.OptionalString("address", 500);
  if (!r.ok()) return r.error();
  const std::string name_key = NormaliseName(name);
  if (name_key.empty()) return Error::InvalidArgument("name", "name must contain letters");
  if (dob && !dob->empty()) {
    auto d = ParseDate(*dob, "date_of_birth");
    if (!d.ok()) return d.error();
    const CivilDate today = LondonDate(ctx.now);
    if (DaysFromCivil(*d) > DaysFromCivil(today)) {
      return Error::InvalidArgument("date_of_birth", "date_of_birth is in the future");
    }
    if (AgeOn(*d, today) > 130) {
      return Error::InvalidArgument("date_of_birth", "date_of_birth is more than 130 years ago");
    }
  }
  const std::string id = "person-" + std::to_string(s.team.next_person);
  NewEvent e{PersonStream(id),
             "person.created",
             classification::kPersonal,
             {{"id", id},
              {"name", name},
              {"date_of_birth", dob.value_or("")},
              {"phone", phone.value_or("")},
              {"address", address.value_or("")},
              {"name_key", name_key},
              {"phone_key", NormalisePhone(phone.value_or(""))},
              {"address_key", NormaliseAddress(address.value_or(""))}}};
  return OneEvent(std::move(e), PersonReply(id, ctx, true), 201);
}

// The two records a merge, split or "not the same" names; both must exist and differ.
Result<std::pair<const Person*, const Person*>> Pair(const State& s, const Command& c,
                                                     std::string* reason) {
  auto a = FindPerson(s, c.target);
  if (!a.ok()) return a.error();
  FieldReader r(c.body);
  const std::string other = r.String("person_id", 100);
  *reason = r.String("reason", 1000);
  if (!r.ok()) return r.error();
  auto b = FindPerson(s, other, "person_id");
  if (!b.ok()) return b.error();
  if (*a == *b) return Error::InvalidArgument("person_id", "a person cannot be paired with itself");
  return std::make_pair(*a, *b);
}

Result<Decision> DecideMerge(const State& s, const Command& c, const Context& ctx) {
  std::string reason;
  auto pair = Pair(s, c, &reason);
  if (!pair.ok()) return pair.error();
  const auto [survivor, merged] = *pair;
  for (const Person* p : {survivor, merged}) {
    if (!p->merged_into.empty()) {
      return Error::Conflict(p->id + " was merged into " + p->merged_into + "; use that record");
    }
  }
  if (survivor->not_same.contains(merged->id)) {
    return Error::FailedPrecondition(
        merged->id + " was recorded as a different person from " + survivor->id, "person_id");
  }
  return OneEvent(
      NewEvent{PersonStream(survivor->id),
               "person.merged",
               classification::kPersonal,
               {{"survivor", survivor->id}, {"merged", merged->id}, {"reason", reason}}},
      PersonReply(survivor->id, ctx, false));
}

Result<Decision> DecideSplit(const State& s, const Command& c, const Context& ctx) {
  std::string reason;
  auto pair = Pair(s, c, &reason);
  if (!pair.ok()) return pair.error();
  const auto [survivor, merged] = *pair;
  if (merged->merged_into != survivor->id) {
    return Error::Conflict(merged->id + " is not merged into " + survivor->id);
  }
  return OneEvent(
      NewEvent{PersonStream(survivor->id),
               "person.split",
               classification::kPersonal,
               {{"survivor", survivor->id}, {"merged", merged->id}, {"reason", reason}}},
      PersonReply(survivor->id, ctx, false));
}

Result<Decision> DecideNotSame(const State& s, const Command& c, const Context& ctx) {
  std::string reason;
  auto pair = Pair(s, c, &reason);
  if (!pair.ok()) return pair.error();
  const auto [a, b] = *pair;
  if (b->merged_into == a->id || a->merged_into == b->id) {
    return Error::Conflict("the records are merged; split them instead");
  }
  if (a->not_same.contains(b->id)) return Error::Conflict("already recorded as different people");
  return OneEvent(NewEvent{PersonStream(a->id),
                           "person.not_same",
                           classification::kPersonal,
                           {{"person_id", a->id}, {"other", b->id}, {"reason", reason}}},
                  PersonReply(a->id, ctx, true));
}

}  // namespace

void RegisterPersons(Domain& d) {
  d.OnCommand("person.create", DecideCreate);
  d.OnCommand("person.merge", DecideMerge);
  d.OnCommand("person.split", DecideSplit);
  d.OnCommand("person.not_same", DecideNotSame);

  d.OnEvent("person.created", [](State& s, const Event& e) {
    Person p;
    p.id = Str(e.data, "id");
    p.name = Str(e.data, "name");
    p.date_of_birth = Str(e.data, "date_of_birth");
    p.phone = Str(e.data, "phone");
    p.address = Str(e.data, "address");
    p.name_key = Str(e.data, "name_key");
    p.phone_key = Str(e.data, "phone_key");
    p.address_key = Str(e.data, "address_key");
    p.created_at = e.at;
    p.created_by = e.actor.user_id;
    s.team.lookup.Add(p);
    s.team.next_person++;
    s.team.persons[p.id] = std::move(p);
  });
  d.OnEvent("person.merged", [](State& s, const Event& e) {
    const std::string survivor = Str(e.data, "survivor");
    const std::string merged = Str(e.data, "merged");
    auto a = s.team.persons.find(survivor);
    auto b = s.team.persons.find(merged);
    if (a == s.team.persons.end() || b == s.team.persons.end()) return;
    b->second.merged_into = survivor;
    a->second.merged.push_back(merged);
    s.team.demand.Merge(survivor, merged);
  });
  d.OnEvent("person.split", [](State& s, const Event& e) {
    const std::string survivor = Str(e.data, "survivor");
    const std::string merged = Str(e.data, "merged");
    auto a = s.team.persons.find(survivor);
    auto b = s.team.persons.find(merged);
    if (a == s.team.persons.end() || b == s.team.persons.end()) return;
    b->second.merged_into.clear();
    std::erase(a->second.merged, merged);
    s.team.demand.Split(merged);
  });
  d.OnEvent("person.not_same", [](State& s, const Event& e) {
    const std::string a = Str(e.data, "person_id");
    const std::string b = Str(e.data, "other");
    if (auto it = s.team.persons.find(a); it != s.team.persons.end()) it->second.not_same.insert(b);
    if (auto it = s.team.persons.find(b); it != s.team.persons.end()) it->second.not_same.insert(a);
  });
}

}  // namespace concordat::team

namespace concordat {
using team::StrArray;
using team::TimeOrNull;

boost::json::array PossibleMatchesJson(const State& s, const Person& p) {
  struct Match {
    const Person* other;
    int score;
    boost::json::array evidence;
  };
  std::set<std::string> candidates;
  auto collect = [&](const std::map<std::string, std::set<std::string>>& m, const std::string& k) {
    if (k.empty()) return;
    if (auto it = m.find(k); it != m.end()) candidates.insert(it->second.begin(), it->second.end());
  };
  collect(s.team.lookup.by_dob, p.date_of_birth);
  collect(s.team.lookup.by_phone, p.phone_key);
  collect(s.team.lookup.by_address, p.address_key);
  std::vector<Match> found;
  for (const auto& id : candidates) {
    auto it = s.team.persons.find(id);
    if (id == p.id || it == s.team.persons.end()) continue;
    const Person& o = it->second;
    if (!o.merged_into.empty() || p.not_same.contains(o.id) || o.merged_into == p.id) continue;
    const std::string similarity = NameSimilarity(p.name_key, o.name_key);
    if (similarity.empty()) continue;  // a shared identifier alone is a household, not a match
    Match m{&o, similarity == "same" ? 3 : 2, {}};
    m.evidence.emplace_back(similarity == "same"
                                ? "same name: " + o.name_key
                                : "similar name: " + p.name_key + " / " + o.name_key);
    if (!p.date_of_birth.empty() && !o.date_of_birth.empty()) {
      if (p.date_of_birth == o.date_of_birth) {
        m.score += 3;
        m.evidence.emplace_back("same date of birth: " + o.date_of_birth);
      } else {
        m.score -= 3;
        m.evidence.emplace_back("different date of birth: " + p.date_of_birth + " / " +
                                o.date_of_birth);
      }
    }
    if (!p.phone_key.empty() && p.phone_key == o.phone_key) {
      m.score += 3;
      m.evidence.emplace_back("same phone: " + o.phone_key);
    }
    if (!p.address_key.empty() && p.address_key == o.address_key) {
      m.score += 2;
      m.evidence.emplace_back("same address: " + o.address_key);
    }
    if (m.score >= 4) found.push_back(std::move(m));
  }
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    return a.score != b.score ? a.score > b.score : a.other->id < b.other->id;
  });
  boost::json::array out;
  for (auto& m : found) {
    out.push_back({{"person_id", m.other->id},
                   {"name", m.other->name},
                   {"date_of_birth", m.other->date_of_birth},
                   {"phone", m.other->phone},
                   {"address", m.other->address},
                   {"score", m.score},
                   {"evidence", std::move(m.evidence)}});
  }
  return out;
}

boost::json::object PersonJson(const State& s, const Person& p, const Context& ctx, bool matches) {
  const CivilDate today = LondonDate(ctx.now);
  boost::json::value age = nullptr;
  bool under_18 = false;
  if (!p.date_of_birth.empty()) {
    const int a = AgeOn(team::DateOf(p.date_of_birth), today);
    age = a;
    under_18 = a < 18;
  }
  boost::json::object counts;
  for (int days : {30, 90, 180, 365}) {
    counts[std::to_string(days) + "d"] =
        s.team.demand.PersonDemand(p.id, ctx.now - team::DaysMicros(days), ctx.now, ctx.now, false)
            .contacts;
  }
  const auto recent =
      s.team.demand.PersonDemand(p.id, ctx.now - team::DaysMicros(365), ctx.now, ctx.now, true);
  boost::json::array contacts;
  for (auto it = recent.incidents.rbegin(); it != recent.incidents.rend(); ++it) {
    contacts.push_back({{"incident_id", it->incident_id},
                        {"at", FormatIso(it->at)},
                        {"bcu", it->bcu},
                        {"officer_hours", static_cast<double>(it->officer_micros) /
                                              static_cast<double>(kMicrosPerHour)}});
  }
  boost::json::array flags;
  for (const auto& [fid, f] : s.team.flags) {
    if (f.subject_type == "person" && f.subject_id == p.id && f.Open()) flags.emplace_back(fid);
  }
  boost::json::object o{
      {"id", p.id},
      {"name", p.name},
      {"date_of_birth",
       p.date_of_birth.empty() ? boost::json::value(nullptr) : boost::json::value(p.date_of_birth)},
      {"age", age},
      {"under_18", under_18},
      {"phone", p.phone},
      {"address", p.address},
      {"address_key", p.address_key},
      {"created_at", FormatIso(p.created_at)},
      {"merged_into",
       p.merged_into.empty() ? boost::json::value(nullptr) : boost::json::value(p.merged_into)},
      {"merged", StrArray(p.merged)},
      {"canonical_id", s.team.demand.Canonical(p.id)},
      {"mental_health_contacts", counts},
      {"recent_contacts", contacts},
      {"open_flags", flags}};
  if (matches) o["possible_matches"] = PossibleMatchesJson(s, p);
  return o;
}

}  // namespace concordat
