// Partners as first-class users (DESIGN.md §4 Partners and agreements, §8; RULES.md G):
// information-sharing agreements, the explicit shares of incidents with agencies, referrals, the
// register of memoranda and protocols, and liaison meetings with their actions.
#pragma once

#include <boost/describe.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"

namespace concordat {

// The data categories an agreement can cover (RULES.md G; issue: partners).
inline const std::vector<std::string>& DataCategories() {
  static const std::vector<std::string> k = {"incident_summary",  "location",
                                             "mental_health_flags", "person_identity",
                                             "detention_record",  "health_information"};
  return k;
}

struct SharingAgreement {
  std::string id;
  std::string agency_id;
  std::vector<std::string> categories;
  // Lawful basis (RULES.md 32): police processing under DPA 2018 Part 3 with a Schedule 8
  // condition, or a health partner under UK GDPR Art 9 with a Schedule 1 condition.
  std::string regime;     // dpa2018_part3 | uk_gdpr_art9
  std::string condition;  // e.g. "sch8_para4_safeguarding", "sch1_para2_health_social_care"
  std::string purpose;
  Timestamp start = 0;
  Timestamp end = 0;
  Timestamp review_date = 0;
  std::optional<Timestamp> revoked_at;
  std::string created_by;
  bool ActiveAt(Timestamp t) const { return !revoked_at && start <= t && t < end; }
};
BOOST_DESCRIBE_STRUCT(SharingAgreement, (),
                      (id, agency_id, categories, regime, condition, purpose, start, end,
                       review_date, revoked_at, created_by))

// An incident shared with an agency: an explicit, logged act (a referral makes one).
struct Share {
  std::string incident_id;
  std::string agency_id;
  std::string referral_id;
  Timestamp shared_at = 0;
  std::optional<Timestamp> withdrawn_at;
  std::string shared_by;
};
BOOST_DESCRIBE_STRUCT(Share, (),
                      (incident_id, agency_id, referral_id, shared_at, withdrawn_at, shared_by))

struct Referral {
  std::string id;
  std::string incident_id;  // "" for a partner → police referral not yet linked
  std::string direction;    // to_partner | to_police
  std::string from_agency;
  std::string agency_id;    // the receiving agency
  std::string type;         // street_triage, amhp_assessment, ambulance_conveyance, nhs111_hub,
                            // crisis_team, safeguarding, police_assistance
  std::string note;
  std::string state = "sent";  // sent, acknowledged, accepted, declined, completed
  Timestamp sent_at = 0;
  Timestamp due_at = 0;
  std::optional<Timestamp> acknowledged_at, accepted_at, declined_at, completed_at;
  std::string decline_reason;
  std::string outcome;
  std::string sent_by;
  bool overdue_alerted = false;
  std::string accept_note;  // what the receiving agency said when accepting
};
BOOST_DESCRIBE_STRUCT(Referral, (),
                      (id, incident_id, direction, from_agency, agency_id, type, note, state,
                       sent_at, due_at, acknowledged_at, accepted_at, declined_at, completed_at,
                       decline_reason, outcome, sent_by, overdue_alerted, accept_note))

struct RegisterEntry {  // a memorandum of understanding or protocol
  std::string id;
  std::string kind;  // mou | protocol | agreement
  std::string title;
  std::vector<std::string> parties;
  std::string status;  // draft | active | expired | withdrawn
  Timestamp review_date = 0;
  std::string document_link;
  bool review_alerted = false;
};
BOOST_DESCRIBE_STRUCT(RegisterEntry, (),
                      (id, kind, title, parties, status, review_date, document_link,
                       review_alerted))

struct MeetingAction {
  std::string id;
  std::string text;
  std::string owner;
  Timestamp due = 0;
  std::optional<Timestamp> done_at;
  bool overdue_alerted = false;
};
BOOST_DESCRIBE_STRUCT(MeetingAction, (), (id, text, owner, due, done_at, overdue_alerted))

struct LiaisonMeeting {
  std::string id;
  std::string bcu;
  std::string agency_id;
  Timestamp date = 0;
  std::vector<std::string> attendees;
  std::string minutes;
  std::vector<MeetingAction> actions;
};
BOOST_DESCRIBE_STRUCT(LiaisonMeeting, (), (id, bcu, agency_id, date, attendees, minutes, actions))

struct PartnersState {
  std::map<std::string, SharingAgreement> agreements;
  std::map<std::string, Share> shares;  // "incident_id|agency_id"
  std::map<std::string, Referral> referrals;
  std::map<std::string, RegisterEntry> register_entries;
  std::map<std::string, LiaisonMeeting> meetings;
  std::uint64_t next_agreement = 1, next_referral = 1, next_register = 1, next_meeting = 1;

  // Derived, not in a snapshot (Reindex rebuilds them): the referrals' ids by incident, and the
  // ids of the referrals to the police still "sent" (not answered), so that an incident's page, a
  // decline and the board do not visit every referral ever kept. Sets: the map's own order.
  std::unordered_map<std::string, std::set<std::string>> referrals_by_incident;
  std::set<std::string> unanswered_to_police;
  // Keeps them in step with a referral just stored or whose state has changed.
  void TrackReferral(const Referral& r);
  void Reindex();

  // Categories an agency may receive at `t` (union of its active agreements).
  std::vector<std::string> CategoriesFor(const std::string& agency_id, Timestamp t) const;
  bool SharedWith(const std::string& incident_id, const std::string& agency_id) const;
};
BOOST_DESCRIBE_STRUCT(PartnersState, (),
                      (agreements, shares, referrals, register_entries, meetings, next_agreement,
                       next_referral, next_register, next_meeting))

}  // namespace concordat
