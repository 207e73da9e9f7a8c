// The mental-health pathway (RULES.md A–E): Right Care, Right Person triage; s136 and s135
// detentions with the 24-hour clock, extensions, transfers, the police-station gate, welfare
// checks, search, conveyance, handover and outcome; places of safety with live availability;
// National Decision Model, Mental Capacity Act and use-of-force records.
//
// Every rule the law makes absolute is a failed_precondition (HTTP 422) whose message names the
// statute, e.g. "s136A: a person under 18 may not be taken to a police station"; guidance is an
// alert or a warning in the reply, never a block. Rules that changed in law are effective-dated
// (mh_rules.hpp).
//
// Commands (type → body; `target` is the path id):
//   mh.triage              target=incident {call_type, threshold, rationale, caller_told, ...}
//   detention.create       target=incident {power, grounds{}, location_type, person{},
//                                           consultation{} | impracticable_reason, ...}
//   detention.search       {grounds{danger, concealing}, extent[], items_found, at?}
//   detention.place        {kind, site_id?, other_type?, police_station{}?, consent{}?}
//   detention.conveyance   {mode, ambulance_requested_at?, ambulance_eta?, police_vehicle_reason?}
//   detention.arrival      {at?}
//   detention.transfer     {kind, site_id?, ..., at?}
//   detention.extension    {hours, reason, clinical_reason, doctor{}, superintendent{}?, at?}
//   detention.check        {kind: welfare|custody_review, by, at?, notes?, conditions_met?}
//   detention.handover     {stage: requested|accepted|officers_left|escalated, at?, by?, notes?}
//   detention.outcome      {outcome, end_reason?, at?, notes?}
//   place_of_safety.availability target=site {suites_free, suites_total?, open?, min_age?, ...}
//   mh.record              target=incident {kind: ndm|capacity|restraint|use_of_force, ...}
//
// Alerts: s136_clock (4 h and 1 h before expiry and at expiry), welfare_check_missed,
// custody_review_due, handover_wait (with an escalation record), mou_flag.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/domain.hpp"

namespace concordat {

void RegisterMentalHealth(Domain& d);

// An incident's detentions, in id order (MhState::detentions_by_incident: no scan of them all).
std::vector<const Detention*> DetentionsOf(const State& s, const std::string& incident_id);
// The detention as the API shows it, with `clock` {started_at, expires_at, extended_until}.
boost::json::object DetentionJson(const State& s, const Detention& d, const Policy& p,
                                  Timestamp now);
// Live detentions for the board: place and clock only (no personal detail), soonest end first.
boost::json::array BoardDetentionsJson(const State& s, Timestamp now);
// Triage versions, detentions and decision records of one incident.
boost::json::object IncidentMentalHealthJson(const State& s, const std::string& incident_id,
                                             const Policy& p, Timestamp now);

// Places of safety with live availability (reference data merged with the trusts' reports).
boost::json::array PlacesOfSafetyJson(const State& s, const RefData& ref);

struct PlaceSuggestion {
  std::string site_id;
  std::string name;
  double distance_m = 0;
  Timestamp travel = 0;  // estimated travel time
  int suites_free = 0;
};
struct SuggestResult {
  std::vector<PlaceSuggestion> sites;  // best first
  std::vector<std::string> why_none;
};
// Nearest open places of safety with a free suite that take a person of `age` (nullopt: age
// unknown; `child` when treated as a child), by estimated travel time from `from`.
SuggestResult SuggestPlaceOfSafety(const State& s, const RefData& ref, const Policy& p, LatLon from,
                                   std::optional<int> age, bool child, size_t k = 3);
boost::json::object SuggestionJson(const SuggestResult& r);

// The Home Office annual data return for s136 (RULES.md A15): one row per s136 detention decided
// in the financial year starting 1 April `year` (London dates), as CSV text with a header.
std::string S136ReturnCsv(const State& s, int year);

}  // namespace concordat
