// What partners see: views cut down to the categories of the agency's active agreements.
#include <algorithm>

#include "core/cad_internal.hpp"
#include "core/id_lookup.hpp"
#include "core/mh.hpp"
#include "core/partners.hpp"

namespace concordat {
using cad::Str;
using cad::StrArray;
using cad::TimeOrNull;

boost::json::object AgreementJson(const SharingAgreement& a, Timestamp now) {
  return {{"id", a.id},
          {"agency_id", a.agency_id},
          {"categories", StrArray(a.categories)},
          {"lawful_basis", {{"regime", a.regime}, {"condition", a.condition}}},
          {"purpose", a.purpose},
          {"start", FormatIso(a.start)},
          {"end", FormatIso(a.end)},
          {"review_date", FormatIso(a.review_date)},
          {"review_overdue", now > a.review_date},
          {"revoked_at", TimeOrNull(a.revoked_at)},
          {"active", a.ActiveAt(now)}};
}

boost::json::object RegisterEntryJson(const RegisterEntry& e, Timestamp now) {
  auto j = boost::json::value_from(e).as_object();
  j["review_date"] = FormatIso(e.review_date);
  j["review_overdue"] = e.status == "active" && now > e.review_date;
  return j;
}

boost::json::object MeetingJson(const LiaisonMeeting& m, Timestamp now, const RefData* ref) {
  boost::json::array actions;
  for (const auto& act : m.actions) {
    actions.push_back({{"id", act.id},
                       {"text", act.text},
                       {"owner", act.owner},
                       {"due", FormatIso(act.due)},
                       {"done_at", TimeOrNull(act.done_at)},
                       {"overdue", !act.done_at && now > act.due}});
  }
  const Agency* agency = ref != nullptr ? ref->FindAgency(m.agency_id) : nullptr;
  return {{"id", m.id},
          {"bcu", m.bcu},
          {"agency_id", m.agency_id},
          {"agency_name", agency != nullptr ? agency->name : m.agency_id},
          {"date", FormatIso(m.date)},
          {"attendees", StrArray(m.attendees)},
          {"minutes", m.minutes},
          {"actions", actions}};
}

std::vector<const Referral*> ReferralsOf(const State& s, const std::string& incident_id) {
  return ValuesOf(s.partners.referrals, IdsUnder(s.partners.referrals_by_incident, incident_id));
}

boost::json::object ReferralJson(const State& s, const Referral& r) {
  boost::json::value incident = nullptr;
  if (auto it = s.cad.incidents.find(r.incident_id); it != s.cad.incidents.end()) {
    incident = boost::json::object{{"id", it->second.id}, {"reference", it->second.reference}};
  }
  return {{"id", r.id},
          {"incident", incident},
          {"direction", r.direction},
          {"from_agency", r.from_agency},
          {"agency_id", r.agency_id},
          {"type", r.type},
          {"note", r.note},
          {"state", r.state},
          {"sent_at", FormatIso(r.sent_at)},
          {"due_at", FormatIso(r.due_at)},
          {"overdue", r.overdue_alerted && r.state == "sent"},
          {"acknowledged_at", TimeOrNull(r.acknowledged_at)},
          {"accepted_at", TimeOrNull(r.accepted_at)},
          {"accept_note", r.accept_note},
          {"declined_at", TimeOrNull(r.declined_at)},
          {"decline_reason", r.decline_reason},
          {"completed_at", TimeOrNull(r.completed_at)},
          {"outcome", r.outcome}};
}

namespace {
bool Has(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// A detention (its view, or an event's data) as a partner may have it: the record the law has
// kept, without police-internal detail (who decided, collar numbers, police alerts), and the
// person's identifiers only under person_identity.
void CutDetentionForPartner(boost::json::object& j, const std::vector<std::string>& cats) {
  for (const char* k : {"decided_by", "officer_collar", "alerts"}) j.erase(k);
  if (Has(cats, "person_identity")) return;
  if (auto* person = j.if_contains("person"); person && person->is_object()) {
    for (const char* k : {"date_of_birth", "sex", "ethnicity", "person_id"}) {
      person->as_object().erase(k);
    }
  }
}
}  // namespace

std::optional<boost::json::object> PartnerIncidentJson(const State& s, const Incident& i,
                                                       const std::string& agency_id,
                                                       const Policy& p, Timestamp now) {
  if (!s.partners.SharedWith(i.id, agency_id)) return std::nullopt;
  const auto cats = s.partners.CategoriesFor(agency_id, now);
  if (cats.empty()) return std::nullopt;  // no active agreement: nothing at all is disclosed
  boost::json::object o{{"id", i.id}, {"categories", StrArray(cats)}};
  if (Has(cats, "incident_summary")) {
    const GradePolicy* g = p.FindGrade(i.grade);
    o["reference"] = i.reference;
    o["received_at"] = FormatIso(i.received_at);
    o["type"] = i.type;
    o["grade"] = i.grade;
    o["grade_name"] = g ? g->name : i.grade;
    o["status"] = i.status;
    o["description"] = i.description;
  }
  if (Has(cats, "location")) {
    o["location"] = {{"lat", i.location.located ? boost::json::value(i.location.point.lat) : nullptr},
                     {"lon", i.location.located ? boost::json::value(i.location.point.lon) : nullptr},
                     {"address", i.location.address},
                     {"type", i.location.type}};
    o["borough"] = i.borough_code.empty()
                       ? boost::json::value(nullptr)
                       : boost::json::value(boost::json::object{{"code", i.borough_code},
                                                                {"name", i.borough_name}});
  }
  if (Has(cats, "mental_health_flags")) o["flags"] = StrArray(i.flags);
  if (Has(cats, "person_identity")) {
    o["caller"] = {{"name", i.caller.name}, {"phone", i.caller.phone}};
    o["persons"] = StrArray(i.persons);
  }
  if (Has(cats, "health_information")) {
    boost::json::array thrive;
    for (const auto& t : i.thrive) {
      thrive.push_back({{"version", t.version}, {"at", FormatIso(t.at)}, {"vulnerability",
                                                                         t.vulnerability},
                        {"harm", t.harm}, {"overall", t.overall}});
    }
    o["thrive"] = thrive;
  }
  if (Has(cats, "detention_record")) {
    // The s135/s136 record as the law has it kept, without police-internal detail (who decided,
    // collar numbers, police alerts); the person's identity only with person_identity too.
    boost::json::array detentions;
    for (const Detention* d : DetentionsOf(s, i.id)) {
      boost::json::object j = DetentionJson(s, *d, p, now);
      CutDetentionForPartner(j, cats);
      detentions.push_back(std::move(j));
    }
    o["detentions"] = detentions;
  }
  boost::json::array referrals;
  for (const Referral* r : ReferralsOf(s, i.id)) {
    if (r->agency_id == agency_id) referrals.push_back(ReferralJson(s, *r));
  }
  o["referrals"] = referrals;
  return o;
}

std::optional<boost::json::object> PartnerEventData(const State& s, const Event& e,
                                                    const std::string& agency_id, Timestamp now) {
  if (e.stream.rfind("referral/", 0) == 0) {
    auto it = s.partners.referrals.find(e.stream.substr(9));
    if (it != s.partners.referrals.end() &&
        (it->second.agency_id == agency_id || it->second.from_agency == agency_id)) {
      return e.data;  // the referral is itself the disclosure
    }
    return std::nullopt;
  }
  if (e.stream.rfind("detention/", 0) == 0) {
    // A detention's own events, for a partner the detention's incident is shared with under an
    // agreement that covers detention records (the trust running the place of safety, say).
    auto it = s.mh.detentions.find(e.stream.substr(10));
    if (it == s.mh.detentions.end() || !s.partners.SharedWith(it->second.incident_id, agency_id)) {
      return std::nullopt;
    }
    const auto cats = s.partners.CategoriesFor(agency_id, now);
    if (!Has(cats, "detention_record")) return std::nullopt;
    boost::json::object out = e.data;
    CutDetentionForPartner(out, cats);
    return out;
  }
  if (e.stream.rfind("incident/", 0) != 0) return std::nullopt;
  const std::string incident_id = e.stream.substr(9);
  if (e.type == "incident.shared" || e.type == "incident.share_withdrawn") {
    if (Str(e.data, "agency_id") != agency_id) return std::nullopt;
    return boost::json::object{{"incident_id", incident_id}, {"agency_id", agency_id}};
  }
  if (!s.partners.SharedWith(incident_id, agency_id)) return std::nullopt;
  const auto cats = s.partners.CategoriesFor(agency_id, now);
  if (cats.empty()) return std::nullopt;
  if (e.type == "incident.created") {
    boost::json::object out{{"id", incident_id}};
    if (Has(cats, "incident_summary")) {
      for (const char* k : {"reference", "received_at", "channel", "type", "grade", "description"}) {
        if (const auto* v = e.data.if_contains(k)) out[k] = *v;
      }
    }
    if (Has(cats, "location")) {
      for (const char* k : {"location", "borough_code", "borough_name"}) {
        if (const auto* v = e.data.if_contains(k)) out[k] = *v;
      }
    }
    if (Has(cats, "mental_health_flags")) {
      if (const auto* v = e.data.if_contains("flags")) out["flags"] = *v;
    }
    if (Has(cats, "person_identity")) {
      if (const auto* v = e.data.if_contains("caller")) out["caller"] = *v;
    }
    return out;
  }
  if (e.type == "incident.regraded" || e.type == "incident.closed" ||
      e.type == "incident.reopened") {
    if (Has(cats, "incident_summary")) return e.data;
    return std::nullopt;
  }
  if (e.type == "incident.person_linked") {
    if (Has(cats, "person_identity")) return e.data;
    return std::nullopt;
  }
  if (e.type.rfind("detention.", 0) == 0) {
    if (Has(cats, "detention_record")) return e.data;
    return std::nullopt;
  }
  if (e.type.rfind("triage.", 0) == 0 || e.type == "incident.thrive_assessed") {
    if (Has(cats, "health_information")) return e.data;
    return std::nullopt;
  }
  return std::nullopt;  // units, assignments, alerts and the rest stay with the police
}

}  // namespace concordat
