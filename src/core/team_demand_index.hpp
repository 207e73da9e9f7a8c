// Repeat demand (issue 6, RULES.md F30): an incremental index of mental-health-related contacts
// — incidents of type mental_health or flagged mental_health — by person and by address, kept
// sorted by time so that a rolling count is two binary searches, never a scan of all incidents.
//
// The index is derived state: the team's appliers feed it as incidents are created, persons
// linked and assignments change (team_persons.cpp), and TeamState::Reindex rebuilds it after a
// snapshot restore. It knows nothing of the CAD structs, so the benchmark feeds it directly.
//
// Persons are kept as entered (raw ids) and grouped by merges: a merged person's contacts count
// for the person it was merged into, and a split restores them exactly, because the raw links are
// never rewritten.
//
// Windows are half-open: (now − window, now]. A query walks only the contacts inside the widest
// rule window (per BCU when asked), then counts each candidate's own sorted contacts.
//
// Thread-safety: none of its own; it lives in the State (writer thread writes, readers share).
//
// Example:
//   RepeatDemandIndex ix;
//   ix.AddContact("inc-1", t, "AW", "3/12 HIGH STREET E1 6AN");
//   ix.LinkPerson("inc-1", "person-7");
//   DemandReport r = ix.Query(policy.team.repeat_rules, now, "AW", under_18);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/team_policy.hpp"
#include "core/time.hpp"

namespace concordat {

// A unit at the scene and not yet gone: `officers` people since `since`.
struct OpenAttendance {
  Timestamp since = 0;
  int officers = 1;
};

struct DemandContact {
  std::string incident_id;
  Timestamp at = 0;
  std::string bcu;
  Timestamp officer_micros = 0;  // officer-time at the scene, as of the query
};

struct DemandTotals {
  int contacts = 0;
  Timestamp officer_micros = 0;
  std::vector<DemandContact> incidents;  // filled only when asked for; oldest first
};

struct RuleHit {
  std::string rule;
  int window_days = 0;
  int threshold = 0;
  int count = 0;
};

// A person (canonical id) or an address (key) over at least one threshold.
struct DemandSubject {
  std::string id;
  std::vector<RuleHit> triggered;
  std::vector<std::pair<int, int>> counts;  // (window days, contacts) for each rule's window
  int window_days = 0;                      // the widest triggered window
  DemandTotals demand;                      // contacts, officer time and incidents in that window
};

struct DemandReport {
  std::vector<DemandSubject> persons;    // most officer time first
  std::vector<DemandSubject> addresses;  // most officer time first
  size_t contacts_scanned = 0;
};

class RepeatDemandIndex {
 public:
  // Records a mental-health-related incident once (a second call for the same id is ignored).
  // `address_key` is NormaliseAddress's key ("" when the incident has no address).
  void AddContact(const std::string& incident_id, Timestamp at, const std::string& bcu,
                  const std::string& address_key);
  bool HasContact(const std::string& incident_id) const;
  // Links a person, as entered, to a contact; ignored when the incident is not a contact.
  void LinkPerson(const std::string& incident_id, const std::string& person_id);
  // Replaces a contact's attendance: officer-time already ended, and units still at the scene.
  void SetAttendance(const std::string& incident_id, Timestamp closed_officer_micros,
                     std::vector<OpenAttendance> open);
  // `merged`'s group joins `survivor`'s group; Split undoes the merge of `merged`.
  void Merge(const std::string& survivor, const std::string& merged);
  void Split(const std::string& merged);
  std::string Canonical(const std::string& person_id) const;

  // Contacts of a person's group / an address in (from, to], officer time as of `now`.
  DemandTotals PersonDemand(const std::string& person_id, Timestamp from, Timestamp to,
                            Timestamp now, bool with_incidents) const;
  DemandTotals AddressDemand(const std::string& address_key, Timestamp from, Timestamp to,
                             Timestamp now, bool with_incidents) const;

  // Every person and address over a rule at `now`. With `bcu`, only subjects with a contact in
  // that BCU inside the widest window are listed (their counts are force-wide). `under_18` says
  // whether a canonical person id is a child today (the under_18 rules apply only then).
  DemandReport Query(const std::vector<RepeatRule>& rules, Timestamp now, const std::string& bcu,
                     const std::function<bool(const std::string&)>& under_18) const;

  size_t contact_count() const { return records_.size(); }
  void Clear() { *this = RepeatDemandIndex(); }

 private:
  using Entry = std::pair<Timestamp, std::uint32_t>;  // contact time, record
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Record {
    std::string id;
    Timestamp at = 0;
    std::uint32_t bcu = kNone;
    std::uint32_t address = kNone;
    std::vector<std::uint32_t> persons;  // raw person ids
    Timestamp closed_micros = 0;
    std::vector<OpenAttendance> open;
  };

  std::uint32_t InternPerson(const std::string& id);
  void Rebuild(std::uint32_t canonical);
  Timestamp OfficerMicros(const Record& r, Timestamp now) const;
  DemandTotals Totals(const std::vector<Entry>& v, Timestamp from, Timestamp to, Timestamp now,
                      bool with_incidents) const;
  static int Count(const std::vector<Entry>& v, Timestamp from, Timestamp to);

  std::vector<Record> records_;
  std::unordered_map<std::string, std::uint32_t> by_incident_;
  std::vector<Entry> all_;
  std::vector<std::string> bcus_;
  std::unordered_map<std::string, std::uint32_t> bcu_ids_;
  std::vector<std::vector<Entry>> by_bcu_;

  std::vector<std::string> person_names_;
  std::unordered_map<std::string, std::uint32_t> person_ids_;
  std::vector<std::uint32_t> merged_into_;  // kNone when not merged
  std::vector<std::uint32_t> canon_;
  std::vector<std::vector<std::uint32_t>> members_;    // per canonical person
  std::vector<std::vector<std::uint32_t>> raw_links_;  // records per raw person
  std::vector<std::vector<Entry>> person_contacts_;    // per canonical person, sorted

  std::vector<std::string> address_keys_;
  std::unordered_map<std::string, std::uint32_t> address_ids_;
  std::vector<std::vector<Entry>> address_contacts_;
};

}  // namespace concordat
