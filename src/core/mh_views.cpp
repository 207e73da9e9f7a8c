// JSON views of the mental-health pathway for the API and the board.
#include <algorithm>

#include "core/id_lookup.hpp"
#include "core/mh_internal.hpp"

namespace concordat {
namespace {

using mh::StrArray;
using mh::TimeOrNull;

boost::json::array Objects(const std::vector<boost::json::object>& v) {
  boost::json::array a;
  for (const auto& o : v) a.push_back(o);
  return a;
}

boost::json::object PlaceJson(const PlaceVisit& p) {
  return {{"kind", p.kind},
          {"site_id", p.site_id},
          {"site_name", p.site_name},
          {"other_type", p.other_type},
          {"chosen_at", FormatIso(p.chosen_at)},
          {"arrived_at", TimeOrNull(p.arrived_at)},
          {"left_at", TimeOrNull(p.left_at)},
          {"transfer", p.transfer},
          {"conditions", p.conditions}};
}

boost::json::object ConveyanceJson(const Conveyance& c) {
  return {{"mode", c.mode},
          {"ambulance_requested_at", TimeOrNull(c.ambulance_requested_at)},
          {"ambulance_eta", TimeOrNull(c.ambulance_eta)},
          {"departed_at", TimeOrNull(c.departed_at)},
          {"police_vehicle_reason", c.police_vehicle_reason},
          {"reason_detail", c.reason_detail},
          {"recorded_at", FormatIso(c.recorded_at)}};
}

}  // namespace

boost::json::object DetentionJson(const State& s, const Detention& d, const Policy& /*p*/,
                                  Timestamp now) {
  const mh::AgeFacts age = mh::AgeAt(d.person, d.decided_at);
  boost::json::array places;
  for (const auto& v : d.places) places.push_back(PlaceJson(v));
  boost::json::array conveyances;
  for (const auto& c : d.conveyances) conveyances.push_back(ConveyanceJson(c));
  const auto end = d.Expiry();
  const bool live = d.Active() && end.has_value();
  boost::json::object clock{
      {"started_at", TimeOrNull(d.clock_started_at)},
      {"expires_at", TimeOrNull(d.expires_at)},
      {"extended_until", TimeOrNull(d.extended_until)},
      {"basis",
       d.clock_basis.empty() ? boost::json::value(nullptr) : boost::json::value(d.clock_basis)},
      {"ends_at", TimeOrNull(end)},
      {"remaining_seconds",
       live ? boost::json::value(std::max<Timestamp>(0, *end - now) / kMicrosPerSecond) : nullptr},
      {"expired", d.period_expired || (live && now >= *end)}};
  const Handover& h = d.handover;
  const Timestamp handover_end = h.officers_left_at.value_or(d.ended_at.value_or(now));
  boost::json::object handover{
      {"arrived_at", TimeOrNull(h.arrived_at)},
      {"requested_at", TimeOrNull(h.requested_at)},
      {"accepted_at", TimeOrNull(h.accepted_at)},
      {"accepted_by", h.accepted_by},
      {"officers_left_at", TimeOrNull(h.officers_left_at)},
      {"waited_minutes", h.arrived_at
                             ? boost::json::value((handover_end - *h.arrived_at) / kMicrosPerMinute)
                             : nullptr},
      {"alert_at", TimeOrNull(d.handover_due)},
      {"escalations", Objects(h.escalations)}};
  boost::json::array alerts;
  for (const auto& [aid, a] : s.alerts.by_id) {
    const auto* det = a.data.if_contains("detention_id");
    if (det && det->is_string() && det->as_string() == d.id) alerts.push_back(AlertToJson(a));
  }
  const PlaceVisit* cur = d.Current();
  return {{"id", d.id},
          {"incident_id", d.incident_id},
          {"incident_reference", mh::IncidentRef(s, d.incident_id)},
          {"power", d.power},
          {"status", d.status},
          {"decided_at", FormatIso(d.decided_at)},
          {"decided_by", d.decided_by},
          {"officer_collar", d.officer_collar},
          {"location_type", d.location_type},
          {"grounds", d.grounds},
          {"consultation", d.consultation},
          {"warrant", d.warrant},
          {"person",
           {{"date_of_birth", d.person.date_of_birth.empty()
                                  ? boost::json::value(nullptr)
                                  : boost::json::value(d.person.date_of_birth)},
            {"age", age.years ? boost::json::value(*age.years) : nullptr},
            {"appears_child", d.person.appears_child},
            {"treated_as_child", age.child},
            {"sex", d.person.sex},
            {"ethnicity", d.person.ethnicity},
            {"person_id", d.person.person_id}}},
          {"kept_at_location", d.kept_at_location},
          {"entered_at", TimeOrNull(d.entered_at)},
          {"searches", Objects(d.searches)},
          {"place_of_safety", cur ? boost::json::value(PlaceJson(*cur)) : nullptr},
          {"places", places},
          {"conveyances", conveyances},
          {"clock", clock},
          {"extension",
           d.extension.empty() ? boost::json::value(nullptr) : boost::json::value(d.extension)},
          {"police_station",
           {{"welfare_due", TimeOrNull(d.welfare_due)},
            {"review_due", TimeOrNull(d.review_due)},
            {"checks", Objects(d.checks)}}},
          {"handover", handover},
          {"outcome", d.outcome.empty() ? boost::json::value(nullptr)
                                        : boost::json::value(boost::json::object{
                                              {"outcome", d.outcome},
                                              {"end_reason", d.end_reason},
                                              {"notes", d.outcome_notes},
                                              {"ended_at", TimeOrNull(d.ended_at)}})},
          {"alerts", alerts}};
}

boost::json::object IncidentMentalHealthJson(const State& s, const std::string& incident_id,
                                             const Policy& p, Timestamp now) {
  boost::json::array triage;
  if (auto it = s.mh.triage.find(incident_id); it != s.mh.triage.end()) {
    for (const auto& t : it->second) {
      boost::json::object o = t.data;
      o["version"] = t.version;
      o["at"] = FormatIso(t.at);
      o["author"] = t.author;
      triage.push_back(std::move(o));
    }
  }
  boost::json::array detentions;
  for (const Detention* d : DetentionsOf(s, incident_id)) {
    detentions.push_back(DetentionJson(s, *d, p, now));
  }
  boost::json::array records;
  for (const DecisionRecord* rec :
       ValuesOf(s.mh.records, IdsUnder(s.mh.records_by_incident, incident_id))) {
    const DecisionRecord& r = *rec;
    records.push_back({{"id", r.id},
                       {"kind", r.kind},
                       {"detention_id", r.detention_id},
                       {"at", FormatIso(r.at)},
                       {"author", r.author},
                       {"data", r.data}});
  }
  return {{"incident_id", incident_id},
          {"triage", triage},
          {"detentions", detentions},
          {"records", records}};
}

}  // namespace concordat

namespace concordat {

boost::json::array BoardDetentionsJson(const State& s, Timestamp now) {
  std::vector<const Detention*> live = ValuesOf(s.mh.detentions, s.mh.live);
  // Soonest end first; detentions whose clock has not started yet last.
  std::stable_sort(live.begin(), live.end(), [](const Detention* a, const Detention* b) {
    const auto ea = a->Expiry(), eb = b->Expiry();
    return ea && (!eb || *ea < *eb);
  });
  boost::json::array out;
  for (const Detention* d : live) {
    const PlaceVisit* cur = d->Current();
    const auto end = d->Expiry();
    out.push_back(
        {{"id", d->id},
         {"incident_id", d->incident_id},
         {"incident_reference", mh::IncidentRef(s, d->incident_id)},
         {"power", d->power},
         {"status", d->status},
         {"place", cur ? boost::json::value({{"kind", cur->kind},
                                             {"site_id", cur->site_id},
                                             {"site_name", cur->site_name},
                                             {"arrived", cur->arrived_at.has_value()}})
                       : nullptr},
         {"clock",
          {{"started_at", TimeOrNull(d->clock_started_at)},
           {"expires_at", TimeOrNull(d->expires_at)},
           {"extended_until", TimeOrNull(d->extended_until)},
           {"remaining_seconds",
            end ? boost::json::value(std::max<Timestamp>(0, *end - now) / kMicrosPerSecond)
                : nullptr},
           {"expired", d->period_expired}}},
         {"handover",
          {{"arrived_at", TimeOrNull(d->handover.arrived_at)},
           {"accepted_at", TimeOrNull(d->handover.accepted_at)},
           {"officers_left_at", TimeOrNull(d->handover.officers_left_at)}}},
         {"welfare_due", TimeOrNull(d->welfare_due)}});
  }
  return out;
}

}  // namespace concordat
