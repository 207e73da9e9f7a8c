// Helpers shared by the mental-health source files. Not part of the core's interface.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/cad_internal.hpp"
#include "core/mh.hpp"
#include "core/mh_rules.hpp"

namespace concordat::mh {

using cad::OptTime;
using cad::Str;
using cad::StrArray;
using cad::TimeOrNull;

inline std::string DetentionStream(const std::string& id) { return "detention/" + id; }

// Timer ids: one per purpose and detention, so re-scheduling replaces.
inline std::string ClockTimerId(const std::string& det, const std::string& label) {
  return "detention-clock:" + det + ":" + label;
}
inline std::string WelfareTimerId(const std::string& det) { return "detention-welfare:" + det; }
inline std::string ReviewTimerId(const std::string& det) { return "detention-review:" + det; }
inline std::string HandoverTimerId(const std::string& det) { return "detention-handover:" + det; }
inline std::string ArrivalTimerId(const std::string& det) { return "detention-arrival:" + det; }

// reg 4 of SI 2017/1036: a healthcare professional checks welfare at least every 30 minutes.
inline constexpr Timestamp kWelfareInterval = Minutes(30);

Result<const Detention*> FindDetention(const State& s, const std::string& id);
// The detention, or conflict when it has ended.
Result<const Detention*> FindActiveDetention(const State& s, const std::string& id);

// The time a step happened: body `at` (or now); never in the future, never before `not_before`.
Result<Timestamp> StepTime(const boost::json::object& body, const Context& ctx,
                           Timestamp not_before, std::string_view not_before_what,
                           const char* field = "at");

// A decision of one detention event, replying with the detention and any warnings (guidance).
Decision DetentionDecision(const std::string& det_id, const Context& ctx, std::string type,
                           boost::json::object data, std::vector<std::string> warnings = {});
// Closes (CloseAlerts) the open alerts of `types` raised about detention `d`: what a later step
// has made untrue, `note` saying why.
void CloseDetentionAlerts(const State& s, const Detention& d,
                          std::initializer_list<std::string_view> types, const std::string& note,
                          Decision& out);
std::function<boost::json::value(const State&)> DetentionReply(const std::string& det_id,
                                                               const Context& ctx,
                                                               std::vector<std::string> warnings);

// Scheduling carried in event data and applied by ApplySchedule:
//   "clock": {started_at, expires_at, basis}, "extended_until",
//   "clock_alerts": [{label, due}], "welfare_due", "review_due", "handover_due"
// (a null *_due cancels that timer).
boost::json::array ClockAlerts(Timestamp expiry, const MentalHealthPolicy& p);
void ApplySchedule(State& s, Detention& d, const boost::json::object& data);

// The place of safety named in a body ({kind, site_id, other_type, police_station{}, consent{}}),
// checked against the law in force at `at` for this person; `warnings` gets guidance (a closed
// site, no suite free, an age the site does not take). The result is the event's "place".
Result<boost::json::object> ReadPlace(const State& s, const Detention& d,
                                      const boost::json::object& body, Timestamp at,
                                      const Context& ctx, std::vector<std::string>& warnings);
// When `place` is a health-based place of safety, the trust that runs it must see the person's
// record to receive them: shares the incident with that trust (an "incident.shared" event, as a
// referral does) unless it already is. What the trust then sees is still decided by its
// information-sharing agreement (partners_views.cpp); without an agreement, nothing.
void ShareWithSiteTrust(const State& s, const Detention& d, const boost::json::object& place,
                        const Context& ctx, Decision& out);
// The police-station gate (s136A, reg 2, MHA 2025) for a place already read.
Status PoliceStationGate(const Detention& d, const boost::json::object& conditions, Timestamp at,
                         const Context& ctx);
PlaceVisit PlaceFromJson(const boost::json::object& o, Timestamp chosen_at);
// RCRP handover (RULES.md D25) applies at health settings: an HBPoS, an ED or a hospital.
inline bool HandoverApplies(const std::string& kind, const std::string& other_type) {
  return kind == "hbpos" || kind == "emergency_department" ||
         (kind == "other" && other_type == "hospital");
}
// The scheduling fields for a person now at `place` (from `at`): welfare and review timers at a
// police station, the handover timer at a health setting, the others cancelled.
void PlaceTimers(boost::json::object& data, const std::string& kind, const std::string& other_type,
                 Timestamp at, const MentalHealthPolicy& p);

// Live availability of a site: the trust's last report, else the reference data.
SiteAvailability AvailabilityOf(const State& s, const PlaceOfSafetySite& site);
// Who is at each health-based place of safety now (site id → counts), in one pass over the
// detentions: `present` in all, and `since_report` of them arrived after the site's availability
// was last reported (all of them when it never was) — each takes a suite the report counted free.
struct SiteOccupancy {
  int present = 0;
  int since_report = 0;
};
std::map<std::string, SiteOccupancy, std::less<>> OccupancyBySite(const State& s);
// The suites free now: the reported free ones less those arrivals (never below 0).
inline int FreeNow(const SiteAvailability& av, int arrived_since) {
  return av.open ? std::max(0, av.suites_free - arrived_since) : 0;
}
const PlaceOfSafetySite* FindSite(const RefData* ref, std::string_view id);
// The agency id of the trust that runs a health-based place of safety visited ("" for any other
// place, or a site no agency is known to run).
std::string SiteTrustId(const RefData* ref, const PlaceVisit& place);
const EmergencyDepartment* FindEd(const RefData* ref, std::string_view ods);

// The incident of a detention, for alert messages ("CAD 3/27NOV26").
std::string IncidentRef(const State& s, const std::string& incident_id);

void RegisterDetentions(Domain& d);
void RegisterClock(Domain& d);
void RegisterCustody(Domain& d);
void RegisterPlaces(Domain& d);
void RegisterTriage(Domain& d);
void RegisterRecords(Domain& d);

}  // namespace concordat::mh
