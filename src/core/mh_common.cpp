// Shared pieces of the mental-health pathway: lookups, step times, replies, registration.
#include "core/id_lookup.hpp"
#include "core/mh_internal.hpp"

namespace concordat {

void MhState::TrackDetention(const Detention& d) {
  if (d.Active()) {
    live.insert(d.id);
  } else {
    live.erase(d.id);
  }
  if (!d.incident_id.empty()) detentions_by_incident[d.incident_id].insert(d.id);
}

void MhState::TrackRecord(const DecisionRecord& r) {
  if (!r.incident_id.empty()) records_by_incident[r.incident_id].insert(r.id);
}

void MhState::Reindex() {
  live.clear();
  detentions_by_incident.clear();
  records_by_incident.clear();
  for (const auto& [id, d] : detentions) TrackDetention(d);
  for (const auto& [id, r] : records) TrackRecord(r);
}

std::vector<const Detention*> DetentionsOf(const State& s, const std::string& incident_id) {
  return ValuesOf(s.mh.detentions, IdsUnder(s.mh.detentions_by_incident, incident_id));
}

namespace mh {

Result<const Detention*> FindDetention(const State& s, const std::string& id) {
  auto it = s.mh.detentions.find(id);
  if (it == s.mh.detentions.end()) {
    return Error::NotFound("no detention " + id);
  }
  return &it->second;
}

Result<const Detention*> FindActiveDetention(const State& s, const std::string& id) {
  auto d = FindDetention(s, id);
  if (!d.ok()) return d.error();
  if (!(*d)->Active()) {
    return Error::Conflict("detention " + id + " ended at " +
                           FormatIso((*d)->ended_at.value_or(0)) + " (" + (*d)->outcome + ")");
  }
  return d;
}

Result<Timestamp> StepTime(const boost::json::object& body, const Context& ctx,
                           Timestamp not_before, std::string_view not_before_what,
                           const char* field) {
  FieldReader r(body);
  const auto at = r.OptionalTime(field);
  if (!r.ok()) return r.error();
  const Timestamp t = at.value_or(ctx.now);
  // Officers record times after the event; a time in the future is a mistake (a minute of clock
  // skew between devices is allowed).
  if (t > ctx.now + Minutes(1)) {
    return Error::InvalidArgument(field, std::string(field) + " is in the future");
  }
  if (t < not_before) {
    return Error::InvalidArgument(field, std::string(field) + " " + FormatIso(t) + " is before " +
                                             std::string(not_before_what) + " (" +
                                             FormatIso(not_before) + ")");
  }
  return t;
}

std::function<boost::json::value(const State&)> DetentionReply(const std::string& det_id,
                                                               const Context& ctx,
                                                               std::vector<std::string> warnings) {
  const Policy* p = ctx.policy;
  const Timestamp now = ctx.now;
  return [det_id, p, now, warnings = std::move(warnings)](const State& st) -> boost::json::value {
    boost::json::object o = DetentionJson(st, st.mh.detentions.at(det_id), *p, now);
    o["warnings"] = StrArray(warnings);
    return o;
  };
}

Decision DetentionDecision(const std::string& det_id, const Context& ctx, std::string type,
                           boost::json::object data, std::vector<std::string> warnings) {
  data["detention_id"] = det_id;
  Decision d;
  d.events.push_back(
      NewEvent{DetentionStream(det_id), std::move(type), classification::kHealth, std::move(data)});
  d.reply = DetentionReply(det_id, ctx, std::move(warnings));
  return d;
}

void CloseDetentionAlerts(const State& s, const Detention& d,
                          std::initializer_list<std::string_view> types, const std::string& note,
                          Decision& out) {
  CloseAlerts(
      s, d.incident_id,
      [&](const Alert& a) {
        return std::find(types.begin(), types.end(), a.type) != types.end() &&
               Str(a.data, "detention_id") == d.id;
      },
      note, out.events);
}

std::string IncidentRef(const State& s, const std::string& incident_id) {
  auto it = s.cad.incidents.find(incident_id);
  return it == s.cad.incidents.end() ? incident_id : it->second.reference;
}

}  // namespace mh

void RegisterMentalHealth(Domain& d) {
  mh::RegisterTriage(d);
  mh::RegisterDetentions(d);
  mh::RegisterPlaces(d);
  mh::RegisterClock(d);
  mh::RegisterCustody(d);
  mh::RegisterRecords(d);
}

}  // namespace concordat
