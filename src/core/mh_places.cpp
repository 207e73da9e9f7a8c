// Places of safety (RULES.md A6–A7, A10, A14): choosing one for a detention with the
// police-station gate, live availability kept by the trusts, and the nearest-suitable suggestion.
#include <algorithm>
#include <map>

#include "core/id_lookup.hpp"
#include "core/mh_internal.hpp"

namespace concordat::mh {

const PlaceOfSafetySite* FindSite(const RefData* ref, std::string_view id) {
  if (ref == nullptr) return nullptr;
  for (const auto& p : ref->places_of_safety) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const EmergencyDepartment* FindEd(const RefData* ref, std::string_view ods) {
  if (ref == nullptr) return nullptr;
  for (const auto& e : ref->emergency_departments) {
    if (e.ods_code == ods) return &e;
  }
  return nullptr;
}

SiteAvailability AvailabilityOf(const State& s, const PlaceOfSafetySite& site) {
  if (auto it = s.mh.availability.find(site.id); it != s.mh.availability.end()) {
    return it->second;
  }
  SiteAvailability a;
  a.site_id = site.id;
  a.suites_total = site.suites;
  a.suites_free = site.open ? site.suites : 0;
  a.open = site.open;
  return a;
}

std::map<std::string, SiteOccupancy, std::less<>> OccupancyBySite(const State& s) {
  std::map<std::string, SiteOccupancy, std::less<>> out;
  for (const Detention* d : ValuesOf(s.mh.detentions, s.mh.live)) {
    const PlaceVisit* p = d->Current();
    if (p == nullptr || p->kind != "hbpos" || !p->arrived_at) continue;
    SiteOccupancy& o = out[p->site_id];
    ++o.present;
    const auto report = s.mh.availability.find(p->site_id);
    if (report == s.mh.availability.end() || *p->arrived_at > report->second.updated_at) {
      ++o.since_report;
    }
  }
  return out;
}

namespace {
int SinceReport(const std::map<std::string, SiteOccupancy, std::less<>>& occupancy,
                std::string_view site_id) {
  const auto it = occupancy.find(site_id);
  return it == occupancy.end() ? 0 : it->second.since_report;
}
}  // namespace

PlaceVisit PlaceFromJson(const boost::json::object& o, Timestamp chosen_at) {
  PlaceVisit v;
  v.kind = Str(o, "kind");
  v.site_id = Str(o, "site_id");
  v.site_name = Str(o, "site_name");
  v.other_type = Str(o, "other_type");
  v.chosen_at = chosen_at;
  if (const auto* c = o.if_contains("conditions"); c && c->is_object()) {
    v.conditions = c->as_object();
  }
  return v;
}

Status PoliceStationGate(const Detention& d, const boost::json::object& conditions, Timestamp at,
                         const Context& ctx) {
  const MhaRules rules = RulesOn(at, ctx.policy->mental_health);
  if (!rules.police_stations) {
    return Error::FailedPrecondition(
        "Mental Health Act 2025: police stations are no longer places of safety (in force from " +
            FormatDate(LondonDate(*ctx.policy->mental_health.police_stations_removed_from)) + ")",
        "kind");
  }
  const AgeFacts age = AgeAt(d.person, at);
  if (rules.child_station_ban && age.child) {
    return Error::FailedPrecondition(
        std::string("s136A: a person under 18 may not be taken to a police station or kept at "
                    "one as a place of safety") +
            (age.known ? "" : " (age unknown with signs of being a child: treated as a child)"),
        "kind");
  }
  if (!rules.adult_station_conditions) {
    return OkStatus();
  }
  std::string missing;
  for (const char* k : {"imminent_risk", "no_other_place", "healthcare_professional"}) {
    if (Str(conditions, k).empty()) {
      missing += (missing.empty() ? "police_station." : ", police_station.") + std::string(k);
    }
  }
  if (!missing.empty()) {
    return Error::FailedPrecondition(
        "reg 2 (SI 2017/1036): an adult may be taken to a police station only if their "
        "behaviour poses an imminent risk of serious injury or death, because of that no other "
        "place of safety in the police area can reasonably be expected to take them, and a "
        "healthcare professional will be present — missing " +
            missing,
        missing.substr(0, missing.find(',')));
  }
  const std::string rank = Str(conditions, "decision_maker_rank");
  if (!InspectorOrAbove(rank)) {
    const auto* auth = conditions.if_contains("inspector_authorisation");
    const auto* ao = auth ? auth->if_object() : nullptr;
    if (ao == nullptr || Str(*ao, "name").empty() || Str(*ao, "reason").empty() ||
        Str(*ao, "at").empty() || !InspectorOrAbove(Str(*ao, "rank"))) {
      return Error::FailedPrecondition(
          "reg 2 (SI 2017/1036): a decision by an officer below inspector to use a police "
          "station needs an inspector's authorisation (name, rank inspector or above, time, "
          "reason)",
          "police_station.inspector_authorisation");
    }
  }
  return OkStatus();
}

namespace {

// Reads police_station{...} into the conditions object (validated types, ranks known).
Result<boost::json::object> ReadConditions(FieldReader& r, Timestamp at) {
  boost::json::object c;
  for (const char* k : {"imminent_risk", "no_other_place", "healthcare_professional"}) {
    if (auto v = r.OptionalString(std::string("police_station.") + k, 2000); v && !v->empty()) {
      c[k] = *v;
    }
  }
  const auto rank = r.OptionalString("police_station.decision_maker_rank", 40);
  const auto a_name = r.OptionalString("police_station.inspector_authorisation.name", 200);
  const auto a_rank = r.OptionalString("police_station.inspector_authorisation.rank", 40);
  const auto a_at = r.OptionalTime("police_station.inspector_authorisation.at");
  const auto a_reason = r.OptionalString("police_station.inspector_authorisation.reason", 2000);
  if (!r.ok()) return r.error();
  for (const auto& [field, v] :
       {std::pair{"police_station.decision_maker_rank", rank},
        std::pair{"police_station.inspector_authorisation.rank", a_rank}}) {
    if (v && RankOrder(*v) < 0) {
      return Error::InvalidArgument(field, std::string(field) + " must be one of: " + RankList());
    }
  }
  if (!rank) {
    return Error::InvalidArgument("police_station.decision_maker_rank",
                                  "police_station.decision_maker_rank is required for a police "
                                  "station (reg 2 needs to know whether an inspector authorised)");
  }
  c["decision_maker_rank"] = *rank;
  if (a_name || a_rank || a_at || a_reason) {
    if (a_at && *a_at > at) {
      return Error::InvalidArgument("police_station.inspector_authorisation.at",
                                    "the authorisation is after the person was taken there");
    }
    c["inspector_authorisation"] = {{"name", a_name.value_or("")},
                                    {"rank", a_rank.value_or("")},
                                    {"at", a_at ? FormatIso(*a_at) : std::string()},
                                    {"reason", a_reason.value_or("")}};
  }
  return c;
}

void AgeWarnings(const SiteAvailability& av, const AgeFacts& age, const std::string& name,
                 std::vector<std::string>& warnings) {
  if (age.years && (*age.years < av.min_age || *age.years > av.max_age)) {
    warnings.push_back(name + " takes ages " + std::to_string(av.min_age) + "–" +
                       std::to_string(av.max_age));
  } else if (!age.years && age.child && av.min_age >= 18) {
    warnings.push_back(name + " does not take children");
  }
}

}  // namespace

Result<boost::json::object> ReadPlace(const State& s, const Detention& d,
                                      const boost::json::object& body, Timestamp at,
                                      const Context& ctx, std::vector<std::string>& warnings) {
  FieldReader r(body);
  const std::string kind =
      r.Enum("kind", {"hbpos", "emergency_department", "police_station", "other"});
  const auto site_id = r.OptionalString("site_id", 200);
  const auto other_type = r.OptionalEnum(
      "other_type", {"hospital", "care_home", "local_authority_residential", "private_home",
                     "other_suitable_place", "premises_under_warrant", "place_where_found"});
  const auto description = r.OptionalString("description", 500);
  const auto person_consent = r.OptionalBool("consent.person");
  const auto occupier_consent = r.OptionalBool("consent.occupier");
  if (!r.ok()) return r.error();
  boost::json::object out{{"kind", kind}, {"site_id", site_id.value_or("")}};
  const AgeFacts age = AgeAt(d.person, at);
  if (kind == "hbpos") {
    const PlaceOfSafetySite* site = site_id ? FindSite(ctx.ref, *site_id) : nullptr;
    if (site == nullptr) {
      return Error::InvalidArgument("site_id", site_id ? "no place of safety " + *site_id
                                                       : "site_id names the place of safety");
    }
    out["site_name"] = site->name + ", " + site->host_hospital;
    const SiteAvailability av = AvailabilityOf(s, *site);
    if (!av.open) warnings.push_back(site->host_hospital + " is closed");
    if (av.open && FreeNow(av, SinceReport(OccupancyBySite(s), site->id)) <= 0)
      warnings.push_back(site->host_hospital + " has no free suite");
    AgeWarnings(av, age, site->host_hospital, warnings);
  } else if (kind == "emergency_department") {
    const EmergencyDepartment* ed = site_id ? FindEd(ctx.ref, *site_id) : nullptr;
    if (ed == nullptr) {
      return Error::InvalidArgument("site_id", site_id ? "no emergency department " + *site_id
                                                       : "site_id is the ED's ODS code");
    }
    out["site_name"] = ed->hospital;
  } else if (kind == "police_station") {
    out["site_name"] = site_id.value_or("police station");
    // Absolute bars (s136A for children; MHA 2025 once in force) come before reg 2's questions.
    if (auto bar = PoliceStationGate(d, boost::json::object{}, at, ctx);
        !bar.ok() && (bar.error().message.rfind("s136A:", 0) == 0 ||
                      bar.error().message.rfind("Mental Health Act 2025", 0) == 0)) {
      return bar.error();
    }
    auto conditions = ReadConditions(r, at);
    if (!conditions.ok()) return conditions.error();
    if (auto gate = PoliceStationGate(d, *conditions, at, ctx); !gate.ok()) return gate.error();
    out["conditions"] = std::move(*conditions);
  } else {
    if (!other_type) {
      return Error::InvalidArgument("other_type", "other_type is required for kind other");
    }
    out["other_type"] = *other_type;
    out["site_name"] = description.value_or(*other_type);
    // s135(6)–(7): any other suitable place only if its occupier is willing; a house, flat or
    // room where a person lives only if the person and an occupier agree.
    if (*other_type == "private_home" &&
        (!person_consent.value_or(false) || !occupier_consent.value_or(false))) {
      return Error::FailedPrecondition(
          "s135(7): a private home is a place of safety only if the person and an occupier "
          "agree (consent.person, consent.occupier)",
          "consent");
    }
    if (*other_type == "other_suitable_place" && !occupier_consent.value_or(false)) {
      return Error::FailedPrecondition(
          "s135(6): any other suitable place is a place of safety only if its occupier is "
          "willing to receive the person (consent.occupier)",
          "consent.occupier");
    }
  }
  return out;
}

namespace {
// The partner agency that runs a site: its name or an alias exactly, else the mental-health trust
// whose name matches as SameTrust reads names ("… NHS FT (formerly …)").
const Agency* TrustRunning(const RefData& ref, const PlaceOfSafetySite& site) {
  if (const Agency* a = ref.AgencyByName(site.trust)) return a;
  for (const auto& a : ref.agencies) {
    if (a.kind != "mental_health_trust" || a.status == "merged") continue;
    bool match = SameTrust(a.name, site.trust);
    for (const auto& alias : a.aliases) match = match || SameTrust(alias, site.trust);
    if (match) return &a;
  }
  return nullptr;
}
}  // namespace

std::string SiteTrustId(const RefData* ref, const PlaceVisit& place) {
  if (place.kind != "hbpos" || ref == nullptr) return "";
  const PlaceOfSafetySite* site = FindSite(ref, place.site_id);
  const Agency* trust = site ? TrustRunning(*ref, *site) : nullptr;
  return trust ? trust->id : "";
}

void ShareWithSiteTrust(const State& s, const Detention& d, const boost::json::object& place,
                        const Context& ctx, Decision& out) {
  if (Str(place, "kind") != "hbpos" || ctx.ref == nullptr) return;
  const PlaceOfSafetySite* site = FindSite(ctx.ref, Str(place, "site_id"));
  const Agency* trust = site ? TrustRunning(*ctx.ref, *site) : nullptr;
  if (trust == nullptr || s.partners.SharedWith(d.incident_id, trust->id)) return;
  out.events.push_back(NewEvent{cad::IncidentStream(d.incident_id),
                                "incident.shared",
                                classification::kOperational,
                                {{"incident_id", d.incident_id},
                                 {"agency_id", trust->id},
                                 {"referral_id", ""},
                                 {"detention_id", d.id},
                                 {"reason", "place_of_safety"}}});
}

namespace {

Result<Decision> DecidePlace(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  const PlaceVisit* cur = (*det)->Current();
  if (cur && cur->arrived_at) {
    return Error::FailedPrecondition("the person is already at " + cur->site_name +
                                     "; record a transfer to move them");
  }
  auto at = StepTime(c.body, ctx, (*det)->decided_at, "the decision to detain");
  if (!at.ok()) return at.error();
  std::vector<std::string> warnings;
  auto place = ReadPlace(s, **det, c.body, *at, ctx, warnings);
  if (!place.ok()) return place.error();
  Decision d = DetentionDecision(c.target, ctx, "detention.place_chosen",
                                 {{"at", FormatIso(*at)}, {"place", *place}}, warnings);
  ShareWithSiteTrust(s, **det, *place, ctx, d);
  return d;
}

Result<Decision> DecideAvailability(const State& s, const Command& c, const Context& ctx) {
  const PlaceOfSafetySite* site = FindSite(ctx.ref, c.target);
  if (site == nullptr) return Error::NotFound("no place of safety " + c.target);
  // The trust that runs the site keeps its availability; supervisors and admins may correct it.
  const bool own_trust = SameTrust(c.actor.agency_name, site->trust);
  if (!own_trust && c.actor.role != "supervisor" && c.actor.role != "admin") {
    return Error::PermissionDenied(
        site->host_hospital + " is run by " + site->trust + "; " +
        (c.actor.agency_name.empty() ? c.actor.agency_id : c.actor.agency_name) +
        " may not update its availability");
  }
  FieldReader r(c.body);
  const auto free = r.Integer("suites_free", 0, 50);
  const auto total = r.OptionalInteger("suites_total", 0, 50);
  const auto open = r.OptionalBool("open");
  const auto min_age = r.OptionalInteger("min_age", 0, 150);
  const auto max_age = r.OptionalInteger("max_age", 0, 150);
  const auto note = r.OptionalString("note", 1000);
  if (!r.ok()) return r.error();
  const SiteAvailability cur = AvailabilityOf(s, *site);
  const std::int64_t t = total.value_or(cur.suites_total);
  if (free > t) {
    return Error::InvalidArgument("suites_free", "suites_free (" + std::to_string(free) +
                                                     ") is more than suites_total (" +
                                                     std::to_string(t) + ")");
  }
  const std::int64_t lo = min_age.value_or(cur.min_age);
  const std::int64_t hi = max_age.value_or(cur.max_age);
  if (lo > hi) return Error::InvalidArgument("min_age", "min_age is above max_age");
  Decision d;
  d.events.push_back(NewEvent{
      "place-of-safety/" + site->id,
      "place_of_safety.availability_updated",
      classification::kOperational,
      {{"site_id", site->id},
       {"suites_total", t},
       {"suites_free", free},
       {"open", open.value_or(cur.open)},
       {"min_age", lo},
       {"max_age", hi},
       {"note", note.value_or("")},
       {"agency", c.actor.agency_name.empty() ? c.actor.agency_id : c.actor.agency_name}}});
  const std::string id = site->id;
  const RefData* ref = ctx.ref;
  d.reply = [id, ref](const State& st) -> boost::json::value {
    for (const auto& v : PlacesOfSafetyJson(st, *ref)) {
      if (v.at("id") == boost::json::value(id)) return v;
    }
    return nullptr;
  };
  return d;
}

}  // namespace

void RegisterPlaces(Domain& d) {
  d.OnCommand("detention.place", DecidePlace);
  d.OnCommand("place_of_safety.availability", DecideAvailability);
  d.OnEvent("detention.place_chosen", [](State& s, const Event& e) {
    auto it = s.mh.detentions.find(Str(e.data, "detention_id"));
    if (it == s.mh.detentions.end()) return;
    Detention& det = it->second;
    PlaceVisit v =
        PlaceFromJson(e.data.at("place").as_object(), OptTime(e.data, "at").value_or(e.at));
    if (!det.places.empty() && !det.places.back().arrived_at) {
      det.places.back() = std::move(v);  // a change of plan before arrival
    } else {
      det.places.push_back(std::move(v));
    }
  });
  d.OnEvent("place_of_safety.availability_updated", [](State& s, const Event& e) {
    SiteAvailability a;
    a.site_id = Str(e.data, "site_id");
    a.suites_total = static_cast<int>(e.data.at("suites_total").to_number<std::int64_t>());
    a.suites_free = static_cast<int>(e.data.at("suites_free").to_number<std::int64_t>());
    a.open = e.data.at("open").as_bool();
    a.min_age = static_cast<int>(e.data.at("min_age").to_number<std::int64_t>());
    a.max_age = static_cast<int>(e.data.at("max_age").to_number<std::int64_t>());
    a.note = Str(e.data, "note");
    a.updated_at = e.at;
    a.updated_by = e.actor.user_id;
    a.updated_by_agency = Str(e.data, "agency");
    s.mh.availability[a.site_id] = std::move(a);
  });
}

}  // namespace concordat::mh

namespace concordat {

SuggestResult SuggestPlaceOfSafety(const State& s, const RefData& ref, const Policy& p, LatLon from,
                                   std::optional<int> age, bool child, size_t k) {
  SuggestResult out;
  int closed = 0, full = 0, age_limited = 0;
  const auto occupancy = mh::OccupancyBySite(s);
  for (const auto& site : ref.places_of_safety) {
    const SiteAvailability av = mh::AvailabilityOf(s, site);
    if (!av.open) {
      ++closed;
      continue;
    }
    const int free_now = mh::FreeNow(av, mh::SinceReport(occupancy, site.id));
    if (free_now <= 0) {
      ++full;
      continue;
    }
    if ((age && (*age < av.min_age || *age > av.max_age)) || (!age && child && av.min_age >= 18)) {
      ++age_limited;
      continue;
    }
    PlaceSuggestion ps;
    ps.site_id = site.id;
    ps.name = site.name + ", " + site.host_hospital;
    ps.distance_m = DistanceMetres(from, site.location);
    const double metres = ps.distance_m * p.recommend.detour_factor;
    ps.travel = static_cast<Timestamp>(metres / (p.mental_health.conveyance_speed_kmh / 3.6) *
                                       kMicrosPerSecond);
    ps.suites_free = free_now;
    out.sites.push_back(std::move(ps));
  }
  std::sort(out.sites.begin(), out.sites.end(),
            [](const PlaceSuggestion& a, const PlaceSuggestion& b) { return a.travel < b.travel; });
  if (out.sites.size() > k) out.sites.resize(k);
  if (out.sites.empty()) {
    if (closed) out.why_none.push_back(std::to_string(closed) + " closed");
    if (full) out.why_none.push_back(std::to_string(full) + " with no free suite");
    if (age_limited) out.why_none.push_back(std::to_string(age_limited) + " not taking this age");
    const EmergencyDepartment* nearest = nullptr;
    for (const auto& ed : ref.emergency_departments) {
      if (!nearest || DistanceMetres(from, ed.location) < DistanceMetres(from, nearest->location)) {
        nearest = &ed;
      }
    }
    if (nearest) {
      out.why_none.push_back("nearest emergency department: " + nearest->hospital + " (" +
                             nearest->ods_code + ")");
    }
  }
  return out;
}

boost::json::object SuggestionJson(const SuggestResult& r) {
  boost::json::array sites;
  for (const auto& p : r.sites) {
    sites.push_back({{"site_id", p.site_id},
                     {"name", p.name},
                     {"distance_m", static_cast<std::int64_t>(p.distance_m)},
                     {"travel_minutes", (p.travel + kMicrosPerMinute - 1) / kMicrosPerMinute},
                     {"suites_free", p.suites_free}});
  }
  return {{"sites", sites}, {"why_none", mh::StrArray(r.why_none)}};
}

boost::json::array PlacesOfSafetyJson(const State& s, const RefData& ref) {
  const auto occupancy = mh::OccupancyBySite(s);
  boost::json::array out;
  for (const auto& site : ref.places_of_safety) {
    const SiteAvailability av = mh::AvailabilityOf(s, site);
    const bool reported = s.mh.availability.contains(site.id);
    const auto here = occupancy.find(site.id);
    const mh::SiteOccupancy o = here == occupancy.end() ? mh::SiteOccupancy{} : here->second;
    out.push_back(
        {{"id", site.id},
         {"name", site.name},
         {"host_hospital", site.host_hospital},
         {"trust", site.trust},
         {"borough", site.borough},
         {"location", {{"lat", site.location.lat}, {"lon", site.location.lon}}},
         {"suites_total", av.suites_total},
         {"suites_free", av.suites_free},
         {"open", av.open},
         {"min_age", av.min_age},
         {"max_age", av.max_age},
         {"note", av.note},
         {"reported", reported},
         {"updated_at", reported ? boost::json::value(FormatIso(av.updated_at)) : nullptr},
         {"updated_by_agency", av.updated_by_agency},
         {"detained_here", o.present},
         // The report less the people who arrived after it: what an officer choosing a place
         // can count on until the trust reports again.
         {"arrived_since_report", o.since_report},
         {"suites_free_now", mh::FreeNow(av, o.since_report)}});
  }
  return out;
}

}  // namespace concordat
