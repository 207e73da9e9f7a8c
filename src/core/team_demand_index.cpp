#include "core/team_demand_index.hpp"

#include <algorithm>

namespace concordat {
namespace {

template <class E>
void InsertSorted(std::vector<E>& v, const E& e) {
  if (v.empty() || !(e < v.back())) {
    v.push_back(e);
  } else {
    v.insert(std::upper_bound(v.begin(), v.end(), e), e);
  }
}

constexpr Timestamp Days(int d) { return static_cast<Timestamp>(d) * kMicrosPerDay; }

}  // namespace

void RepeatDemandIndex::AddContact(const std::string& incident_id, Timestamp at,
                                   const std::string& bcu, const std::string& address_key) {
  const auto idx = static_cast<std::uint32_t>(records_.size());
  // One look-up for the test and the insert (the map holds every contact ever indexed).
  if (!by_incident_.try_emplace(incident_id, idx).second) return;
  Record r;
  r.id = incident_id;
  r.at = at;
  if (!bcu.empty()) {
    auto [it, added] = bcu_ids_.try_emplace(bcu, static_cast<std::uint32_t>(bcus_.size()));
    if (added) {
      bcus_.push_back(bcu);
      by_bcu_.emplace_back();
    }
    r.bcu = it->second;
    InsertSorted(by_bcu_[r.bcu], Entry{at, idx});
  }
  if (!address_key.empty()) {
    auto [it, added] =
        address_ids_.try_emplace(address_key, static_cast<std::uint32_t>(address_keys_.size()));
    if (added) {
      address_keys_.push_back(address_key);
      address_contacts_.emplace_back();
    }
    r.address = it->second;
    InsertSorted(address_contacts_[r.address], Entry{at, idx});
  }
  InsertSorted(all_, Entry{at, idx});
  records_.push_back(std::move(r));
}

bool RepeatDemandIndex::HasContact(const std::string& incident_id) const {
  return by_incident_.contains(incident_id);
}

std::uint32_t RepeatDemandIndex::InternPerson(const std::string& id) {
  auto [it, added] = person_ids_.try_emplace(id, static_cast<std::uint32_t>(person_names_.size()));
  if (added) {
    person_names_.push_back(id);
    merged_into_.push_back(kNone);
    canon_.push_back(it->second);
    members_.push_back({it->second});
    raw_links_.emplace_back();
    person_contacts_.emplace_back();
  }
  return it->second;
}

void RepeatDemandIndex::LinkPerson(const std::string& incident_id, const std::string& person_id) {
  auto rit = by_incident_.find(incident_id);
  if (rit == by_incident_.end()) return;
  const std::uint32_t p = InternPerson(person_id);
  Record& r = records_[rit->second];
  if (std::find(r.persons.begin(), r.persons.end(), p) != r.persons.end()) return;
  r.persons.push_back(p);
  raw_links_[p].push_back(rit->second);
  auto& v = person_contacts_[canon_[p]];
  const Entry e{r.at, rit->second};
  if (!std::binary_search(v.begin(), v.end(), e)) InsertSorted(v, e);
}

void RepeatDemandIndex::SetAttendance(const std::string& incident_id,
                                      Timestamp closed_officer_micros,
                                      std::vector<OpenAttendance> open) {
  auto it = by_incident_.find(incident_id);
  if (it == by_incident_.end()) return;
  records_[it->second].closed_micros = closed_officer_micros;
  records_[it->second].open = std::move(open);
}

void RepeatDemandIndex::Merge(const std::string& survivor, const std::string& merged) {
  const std::uint32_t s = InternPerson(survivor);
  const std::uint32_t m = InternPerson(merged);
  const std::uint32_t cs = canon_[s];
  const std::uint32_t cm = canon_[m];
  if (cs == cm) return;
  merged_into_[m] = s;
  for (std::uint32_t x : members_[cm]) {
    canon_[x] = cs;
    members_[cs].push_back(x);
  }
  members_[cm].clear();
  std::vector<Entry> joined;
  std::set_union(person_contacts_[cs].begin(), person_contacts_[cs].end(),
                 person_contacts_[cm].begin(), person_contacts_[cm].end(),
                 std::back_inserter(joined));
  person_contacts_[cs] = std::move(joined);
  person_contacts_[cm].clear();
}

void RepeatDemandIndex::Rebuild(std::uint32_t c) {
  std::vector<Entry> v;
  for (std::uint32_t x : members_[c]) {
    for (std::uint32_t rec : raw_links_[x]) v.emplace_back(records_[rec].at, rec);
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  person_contacts_[c] = std::move(v);
}

void RepeatDemandIndex::Split(const std::string& merged) {
  auto it = person_ids_.find(merged);
  if (it == person_ids_.end() || merged_into_[it->second] == kNone) return;
  const std::uint32_t old = canon_[it->second];
  merged_into_[it->second] = kNone;
  const std::vector<std::uint32_t> group = std::move(members_[old]);
  members_[old].clear();
  person_contacts_[old].clear();
  std::vector<std::uint32_t> roots;
  for (std::uint32_t x : group) {
    std::uint32_t r = x;
    while (merged_into_[r] != kNone) r = merged_into_[r];
    canon_[x] = r;
    members_[r].push_back(x);
    if (std::find(roots.begin(), roots.end(), r) == roots.end()) roots.push_back(r);
  }
  for (std::uint32_t r : roots) Rebuild(r);
}

std::string RepeatDemandIndex::Canonical(const std::string& person_id) const {
  auto it = person_ids_.find(person_id);
  return it == person_ids_.end() ? person_id : person_names_[canon_[it->second]];
}

Timestamp RepeatDemandIndex::OfficerMicros(const Record& r, Timestamp now) const {
  Timestamp t = r.closed_micros;
  for (const auto& o : r.open) {
    if (now > o.since) t += (now - o.since) * std::max(o.officers, 1);
  }
  return t;
}

int RepeatDemandIndex::Count(const std::vector<Entry>& v, Timestamp from, Timestamp to) {
  auto lo = std::upper_bound(v.begin(), v.end(), Entry{from, kNone});
  auto hi = std::upper_bound(v.begin(), v.end(), Entry{to, kNone});
  return hi > lo ? static_cast<int>(hi - lo) : 0;
}

DemandTotals RepeatDemandIndex::Totals(const std::vector<Entry>& v, Timestamp from, Timestamp to,
                                       Timestamp now, bool with_incidents) const {
  DemandTotals t;
  auto lo = std::upper_bound(v.begin(), v.end(), Entry{from, kNone});
  auto hi = std::upper_bound(v.begin(), v.end(), Entry{to, kNone});
  for (auto it = lo; it < hi; ++it) {
    const Record& r = records_[it->second];
    const Timestamp m = OfficerMicros(r, now);
    t.contacts++;
    t.officer_micros += m;
    if (with_incidents) {
      t.incidents.push_back(
          DemandContact{r.id, r.at, r.bcu == kNone ? std::string() : bcus_[r.bcu], m});
    }
  }
  return t;
}

DemandTotals RepeatDemandIndex::PersonDemand(const std::string& person_id, Timestamp from,
                                             Timestamp to, Timestamp now,
                                             bool with_incidents) const {
  auto it = person_ids_.find(person_id);
  if (it == person_ids_.end()) return {};
  return Totals(person_contacts_[canon_[it->second]], from, to, now, with_incidents);
}

DemandTotals RepeatDemandIndex::AddressDemand(const std::string& address_key, Timestamp from,
                                              Timestamp to, Timestamp now,
                                              bool with_incidents) const {
  auto it = address_ids_.find(address_key);
  if (it == address_ids_.end()) return {};
  return Totals(address_contacts_[it->second], from, to, now, with_incidents);
}

DemandReport RepeatDemandIndex::Query(
    const std::vector<RepeatRule>& rules, Timestamp now, const std::string& bcu,
    const std::function<bool(const std::string&)>& under_18) const {
  DemandReport out;
  int widest = 0;
  for (const auto& r : rules) widest = std::max(widest, r.window_days);
  const std::vector<Entry>* scan = &all_;
  if (!bcu.empty()) {
    auto it = bcu_ids_.find(bcu);
    if (it == bcu_ids_.end()) return out;
    scan = &by_bcu_[it->second];
  }
  // Candidates: everyone and everywhere with a contact in the widest window, each once. They are
  // collected with repeats, sorted, and each run's length is how many scanned contacts name the
  // subject (at least its contacts in the widest window: a merged person may be named twice by one
  // incident). Force-wide, the scan is every contact in that window, so a subject named fewer times
  // than the lowest threshold that applies to it cannot reach any rule (no window is wider) and is
  // settled without reading its own contacts: at force scale most are named once, and reading each
  // one's list is a cache miss that dominated the query. Per BCU the scan sees only that BCU's
  // contacts while counts are force-wide, so every candidate is evaluated.
  std::vector<std::uint32_t> persons;
  std::vector<std::uint32_t> addresses;
  auto lo = std::upper_bound(scan->begin(), scan->end(), Entry{now - Days(widest), kNone});
  auto hi = std::upper_bound(scan->begin(), scan->end(), Entry{now, kNone});
  for (auto it = lo; it < hi; ++it) {
    const Record& r = records_[it->second];
    for (std::uint32_t p : r.persons) persons.push_back(canon_[p]);
    if (r.address != kNone) addresses.push_back(r.address);
    out.contacts_scanned++;
  }
  auto lowest = [&](bool is_person) {
    int t = -1;
    for (const auto& rule : rules) {
      const bool applies = is_person ? (rule.subject == "person" || rule.subject == "under_18")
                                     : rule.subject == "address";
      if (applies && (t < 0 || rule.threshold < t)) t = rule.threshold;
    }
    return t;
  };
  auto settle = [&](std::vector<std::uint32_t>& v, int lowest_threshold) {
    std::sort(v.begin(), v.end());
    const bool prune = bcu.empty() && lowest_threshold > 1;
    size_t out_n = 0;
    for (size_t i = 0; i < v.size();) {
      size_t j = i + 1;
      while (j < v.size() && v[j] == v[i]) ++j;
      if (lowest_threshold >= 0 &&
          (!prune || static_cast<long long>(j - i) >= static_cast<long long>(lowest_threshold))) {
        v[out_n++] = v[i];
      }
      i = j;
    }
    v.resize(out_n);
  };
  settle(persons, lowest(true));
  settle(addresses, lowest(false));

  auto evaluate = [&](const std::vector<Entry>& v, const std::string& id, bool is_person,
                      std::vector<DemandSubject>& into) {
    // Most subjects in the window are under every threshold; settle those on their counts alone,
    // before asking `under_18` (a person lookup and a date calculation in the engine), which
    // otherwise ran for every person with a contact in the widest window.
    bool candidate = false;
    for (const auto& rule : rules) {
      const bool applies = is_person ? (rule.subject == "person" || rule.subject == "under_18")
                                     : rule.subject == "address";
      if (applies && Count(v, now - Days(rule.window_days), now) >= rule.threshold) {
        candidate = true;
        break;
      }
    }
    if (!candidate) return;
    DemandSubject subj;
    bool child = false;
    bool child_known = false;
    for (const auto& rule : rules) {
      const bool applies = is_person ? (rule.subject == "person" || rule.subject == "under_18")
                                     : rule.subject == "address";
      if (!applies) continue;
      if (rule.subject == "under_18") {
        if (!child_known) {
          child = under_18 && under_18(id);
          child_known = true;
        }
        if (!child) continue;
      }
      const int n = Count(v, now - Days(rule.window_days), now);
      subj.counts.emplace_back(rule.window_days, n);
      if (n >= rule.threshold) {
        subj.triggered.push_back(RuleHit{rule.name, rule.window_days, rule.threshold, n});
        subj.window_days = std::max(subj.window_days, rule.window_days);
      }
    }
    if (subj.triggered.empty()) return;
    subj.id = id;
    subj.demand = Totals(v, now - Days(subj.window_days), now, now, true);
    into.push_back(std::move(subj));
  };
  for (std::uint32_t p : persons) {
    evaluate(person_contacts_[p], person_names_[p], true, out.persons);
  }
  for (std::uint32_t a : addresses) {
    evaluate(address_contacts_[a], address_keys_[a], false, out.addresses);
  }
  auto by_demand = [](const DemandSubject& a, const DemandSubject& b) {
    if (a.demand.officer_micros != b.demand.officer_micros) {
      return a.demand.officer_micros > b.demand.officer_micros;
    }
    if (a.demand.contacts != b.demand.contacts) return a.demand.contacts > b.demand.contacts;
    return a.id < b.id;
  };
  std::sort(out.persons.begin(), out.persons.end(), by_demand);
  std::sort(out.addresses.begin(), out.addresses.end(), by_demand);
  return out;
}

}  // namespace concordat
