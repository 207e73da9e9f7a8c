// Partners: decide/apply for sharing agreements, referrals and shares, the register of
// memoranda and protocols, and liaison meetings; and the views that disclose only what an
// agency's active agreement covers.
//
// Commands (type → body; `target` is the path id):
//   agreement.create   {agency_id, categories[], regime, condition, purpose, start, end, review_date}
//   agreement.revoke   target=agreement {reason}
//   referral.create    target=incident {agency_id, type, note?}          (police → partner)
//   referral.raise     {type, note, location?}                           (partner → police)
//   referral.acknowledge | referral.accept | referral.decline {reason} | referral.complete {outcome}
//   register.create    {kind, title, parties[], status, review_date, document_link?}
//   meeting.create     {bcu, agency_id, date, attendees[], minutes, actions[{text, owner, due}]}
//   meeting.action_done target=meeting {action_id}
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.hpp"

namespace concordat {

void RegisterPartners(Domain& d);

// One of the types of referral (street_triage, amhp_assessment, ..., police_assistance).
bool IsReferralType(std::string_view type);

boost::json::object AgreementJson(const SharingAgreement& a, Timestamp now);
boost::json::object ReferralJson(const State& s, const Referral& r);
// An incident's referrals, in id order (PartnersState::referrals_by_incident: no scan of them all).
std::vector<const Referral*> ReferralsOf(const State& s, const std::string& incident_id);
// A register entry as GET /api/register and its POST give it (times as ISO text).
boost::json::object RegisterEntryJson(const RegisterEntry& e, Timestamp now);
// A liaison meeting as GET /api/liaison-meetings and its POSTs give it, with the agency's name.
boost::json::object MeetingJson(const LiaisonMeeting& m, Timestamp now, const RefData* ref);

// An incident as an agency may see it at `now`: only the categories of its active agreements.
// nullopt when the incident is not shared with the agency (callers answer 404).
std::optional<boost::json::object> PartnerIncidentJson(const State& s, const Incident& i,
                                                       const std::string& agency_id,
                                                       const Policy& p, Timestamp now);

// The data of `e` as the agency may receive it on the stream, or nullopt when it must not.
std::optional<boost::json::object> PartnerEventData(const State& s, const Event& e,
                                                    const std::string& agency_id, Timestamp now);

}  // namespace concordat
