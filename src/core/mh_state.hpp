// Mental-health pathway state (DESIGN.md §4, RULES.md A–E): RCRP triage per incident, s135/s136
// detentions keyed by id (each with its incident), live place-of-safety availability kept by the
// trusts, and decision records (National Decision Model, Mental Capacity Act s5/s6, use of force).
//
// Detentions keep their lifecycle as typed fields (times, places, clock) and the free-form parts
// the law asks to be recorded (grounds, consultation, search, reg 2 conditions, ...) as JSON
// objects validated by the deciders, so the record shows exactly what the officer entered.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"

namespace concordat {

// One place of safety the person was taken to (or kept at), in order.
struct PlaceVisit {
  std::string kind;     // hbpos | emergency_department | police_station | other
  std::string site_id;  // place-of-safety id, ED ODS code, station name, or ""
  std::string site_name;
  std::string other_type;  // kind other: hospital, care_home, local_authority_residential, ...
  Timestamp chosen_at = 0;
  std::optional<Timestamp> arrived_at;
  std::optional<Timestamp> left_at;
  bool transfer = false;           // reached by a transfer from another place of safety
  boost::json::object conditions;  // police station: reg 2 conditions and authorisation
};
BOOST_DESCRIBE_STRUCT(PlaceVisit, (),
                      (kind, site_id, site_name, other_type, chosen_at, arrived_at, left_at,
                       transfer, conditions))

struct Conveyance {
  std::string mode;  // ambulance | police_vehicle | other_vehicle
  std::optional<Timestamp> ambulance_requested_at;
  std::optional<Timestamp> ambulance_eta;
  std::optional<Timestamp> departed_at;
  std::string police_vehicle_reason;  // required for a police vehicle (RULES.md A12)
  std::string reason_detail;
  Timestamp recorded_at = 0;
};
BOOST_DESCRIBE_STRUCT(Conveyance, (),
                      (mode, ambulance_requested_at, ambulance_eta, departed_at,
                       police_vehicle_reason, reason_detail, recorded_at))

// RCRP handover at the current place of safety (RULES.md D25).
struct Handover {
  std::optional<Timestamp> arrived_at;  // arrival at the place the handover is to
  std::optional<Timestamp> requested_at;
  std::optional<Timestamp> accepted_at;
  std::optional<Timestamp> officers_left_at;
  std::string accepted_by;
  std::vector<boost::json::object> escalations;  // {at, waited_minutes, alert_id, by, notes}
};
BOOST_DESCRIBE_STRUCT(Handover, (),
                      (arrived_at, requested_at, accepted_at, officers_left_at, accepted_by,
                       escalations))

struct DetainedPerson {
  std::string date_of_birth;   // YYYY-MM-DD or ""
  std::optional<int> age;      // years, when no date of birth
  bool appears_child = false;  // age unknown and signs of being a child (s136A)
  std::string sex;             // Home Office categories (optional)
  std::string ethnicity;
  std::string person_id;  // a linked person, when known
};
BOOST_DESCRIBE_STRUCT(DetainedPerson, (),
                      (date_of_birth, age, appears_child, sex, ethnicity, person_id))

struct Detention {
  std::string id;
  std::string incident_id;
  std::string power;                // s136 | s135
  std::string status = "detained";  // detained | at_place_of_safety | ended
  Timestamp decided_at = 0;
  std::string decided_by;  // user id
  std::string officer_collar;
  std::string location_type;
  boost::json::object grounds;       // s136(1): the three grounds
  boost::json::object consultation;  // s136(1C): who/role/at/advice or impracticable_reason
  boost::json::object warrant;       // s135: reference, issued_at, amhp, doctor
  DetainedPerson person;
  bool kept_at_location = false;        // s136 kept where found / s135 kept at the premises
  std::optional<Timestamp> entered_at;  // s135: first entry to the premises
  std::vector<boost::json::object> searches;
  std::vector<PlaceVisit> places;
  std::vector<Conveyance> conveyances;
  // The clock (RULES.md A4–A5).
  std::optional<Timestamp> clock_started_at;
  std::optional<Timestamp> expires_at;      // start + the period (24 h)
  std::optional<Timestamp> extended_until;  // after an s136B extension
  std::string clock_basis;                  // arrival | decision | first_entry
  boost::json::object extension;
  std::vector<std::string> clock_timers;  // ids of the scheduled clock alerts
  bool period_expired = false;
  // Detained but not yet at a place of safety (the clock not started): when the next
  // `s136_not_arrived` alert is due; cleared on arrival or at the end.
  std::optional<Timestamp> arrival_due;
  // Police station (reg 3, reg 4).
  std::vector<boost::json::object> checks;  // welfare checks and custody reviews
  std::optional<Timestamp> welfare_due;
  std::optional<Timestamp> review_due;
  Handover handover;
  std::optional<Timestamp> handover_due;
  // End (RULES.md A13).
  std::string outcome;
  std::string end_reason;
  std::string outcome_notes;
  std::optional<Timestamp> ended_at;

  bool Active() const { return status != "ended"; }
  // The end of the period: the extension when there is one.
  std::optional<Timestamp> Expiry() const { return extended_until ? extended_until : expires_at; }
  const PlaceVisit* Current() const { return places.empty() ? nullptr : &places.back(); }
  bool AtPoliceStation() const {
    const PlaceVisit* p = Current();
    return status == "at_place_of_safety" && p && p->arrived_at && p->kind == "police_station";
  }
};
BOOST_DESCRIBE_STRUCT(Detention, (),
                      (id, incident_id, power, status, decided_at, decided_by, officer_collar,
                       location_type, grounds, consultation, warrant, person, kept_at_location,
                       entered_at, searches, places, conveyances, clock_started_at, expires_at,
                       extended_until, clock_basis, extension, clock_timers, period_expired,
                       arrival_due, checks, welfare_due, review_due, handover, handover_due,
                       outcome, end_reason, outcome_notes, ended_at))

// Live availability of one place of safety, as last reported by its trust.
struct SiteAvailability {
  std::string site_id;
  int suites_total = 0;
  int suites_free = 0;
  bool open = true;
  int min_age = 0;    // youngest age the site takes
  int max_age = 150;  // oldest
  std::string note;
  Timestamp updated_at = 0;
  std::string updated_by;
  std::string updated_by_agency;
};
BOOST_DESCRIBE_STRUCT(SiteAvailability, (),
                      (site_id, suites_total, suites_free, open, min_age, max_age, note, updated_at,
                       updated_by, updated_by_agency))

// An RCRP triage of an incident; each one is a new version (circumstances change).
struct Triage {
  int version = 0;
  Timestamp at = 0;
  std::string author;
  boost::json::object data;
};
BOOST_DESCRIBE_STRUCT(Triage, (), (version, at, author, data))

// A decision record attached to an incident (and optionally a detention).
struct DecisionRecord {
  std::string id;
  std::string kind;  // ndm | capacity | restraint | use_of_force
  std::string incident_id;
  std::string detention_id;
  Timestamp at = 0;
  std::string author;
  boost::json::object data;
};
BOOST_DESCRIBE_STRUCT(DecisionRecord, (), (id, kind, incident_id, detention_id, at, author, data))

struct MhState {
  std::map<std::string, Detention> detentions;
  std::uint64_t next_detention = 1;
  std::map<std::string, std::vector<Triage>> triage;     // incident id → versions
  std::map<std::string, SiteAvailability> availability;  // site id → last report
  std::map<std::string, DecisionRecord> records;
  std::uint64_t next_record = 1;

  // Derived, not in a snapshot (Reindex rebuilds them from the maps above), so that closing an
  // incident, the board and an incident's page do not visit every detention and record ever kept
  // (a force makes thousands a year): the ids of the detentions not ended, and the detentions'
  // and the records' ids by incident. Sets of ids, so that they list in the maps' own order.
  std::set<std::string> live;
  std::unordered_map<std::string, std::set<std::string>> detentions_by_incident;
  std::unordered_map<std::string, std::set<std::string>> records_by_incident;

  // Keeps the derived sets in step with a detention just stored or whose status has changed.
  void TrackDetention(const Detention& d);
  void TrackRecord(const DecisionRecord& r);
  void Reindex();
};
BOOST_DESCRIBE_STRUCT(MhState, (),
                      (detentions, next_detention, triage, availability, records, next_record))

}  // namespace concordat
