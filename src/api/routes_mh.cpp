// Mental-health pathway endpoints: RCRP triage, s136/s135 detentions step by step, places of
// safety with live availability and suggestions, decision records, the Home Office s136 return.
#include <boost/json.hpp>
#include <charconv>

#include "api/app.hpp"
#include "core/id_lookup.hpp"
#include "core/mh.hpp"
#include "core/mh_rules.hpp"
#include "core/state.hpp"

namespace concordat::api {
namespace {

using CallPtr = std::shared_ptr<Call>;

// Places of safety suggested for a detention that has not yet reached one.
boost::json::value SuggestFor(const State& s, const RefData& ref, const Policy& p,
                              const Detention& d) {
  if (!d.Active() || d.status != "detained") return nullptr;
  auto inc = s.cad.incidents.find(d.incident_id);
  if (inc == s.cad.incidents.end() || !inc->second.location.located) {
    return boost::json::object{{"sites", boost::json::array{}},
                               {"why_none", boost::json::array{"the incident has no location"}}};
  }
  const mh::AgeFacts age = mh::AgeAt(d.person, d.decided_at);
  return SuggestionJson(
      SuggestPlaceOfSafety(s, ref, p, inc->second.location.point, age.years, age.child));
}

void GetDetention(App& app, const CallPtr& c) {
  const std::string id = c->param("id");
  const Timestamp now = app.engine().clock().Now();
  auto view = app.engine().Read([&](const State& s) -> std::optional<boost::json::object> {
    auto it = s.mh.detentions.find(id);
    if (it == s.mh.detentions.end()) return std::nullopt;
    boost::json::object o = DetentionJson(s, it->second, app.engine().policy(), now);
    o["suggested_places_of_safety"] = SuggestFor(s, app.ref(), app.engine().policy(), it->second);
    return o;
  });
  if (!view) return c->Fail(Error::NotFound("no detention " + id));
  // DPA 2018 s62: health data; the read is logged, and outside current work (a detention that
  // ended more than a day ago) it needs a stated justification.
  std::string why = App::Justification(*c);
  if (why.empty() && (view->at("status") != "ended" ||
                      now - *ParseIso(view->at("outcome").at("ended_at").as_string()) < Hours(24))) {
    why = "current work: live or recent detention";
  }
  if (why.empty()) {
    return c->Fail(Error::FailedPrecondition(
        "reading a detention that ended over a day ago needs a justification "
        "(?justification=... or the X-Justification header)",
        "justification"));
  }
  if (auto st = app.RecordAccess(*c, "detention/" + id,
                                 "detention_record,health_information,person_identity", why);
      !st.ok()) {
    return c->Fail(st.error());
  }
  auto events = app.engine().log().ReadStream("detention/" + id, 100000);
  if (!events.ok()) return c->Fail(events.error());
  (*view)["timeline"] = app.Timeline(c->user(), *events, true);
  c->Json(200, *view);
}

void ListDetentions(App& app, const CallPtr& c) {
  const auto& q = c->req().query;
  const bool active_only = q.count("active") && q.at("active") == "true";
  const std::string incident = q.count("incident_id") ? q.at("incident_id") : std::string();
  const Timestamp now = app.engine().clock().Now();
  auto out = app.engine().Read([&](const State& s) {
    boost::json::array a;
    auto add = [&](const Detention& d) {
      if (active_only && !d.Active()) return;
      a.push_back(DetentionJson(s, d, app.engine().policy(), now));
    };
    if (!incident.empty()) {
      for (const Detention* d : DetentionsOf(s, incident)) add(*d);
    } else if (active_only) {
      for (const Detention* d : ValuesOf(s.mh.detentions, s.mh.live)) add(*d);
    } else {
      for (const auto& [id, d] : s.mh.detentions) add(d);
    }
    return a;
  });
  c->Json(200, boost::json::object{{"detentions", out}, {"count", out.size()}});
}

void Suggest(App& app, const CallPtr& c) {
  const auto& q = c->req().query;
  double lat = 0, lon = 0;
  std::optional<int> age;
  try {
    if (!q.count("lat") || !q.count("lon")) {
      return c->Fail(Error::InvalidArgument("lat", "give lat and lon"));
    }
    lat = std::stod(q.at("lat"));
    lon = std::stod(q.at("lon"));
    if (q.count("age") && !q.at("age").empty()) age = std::stoi(q.at("age"));
  } catch (const std::exception&) {
    return c->Fail(Error::InvalidArgument("lat", "lat, lon and age must be numbers"));
  }
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180 || (age && (*age < 0 || *age > 150))) {
    return c->Fail(Error::InvalidArgument("lat", "lat, lon or age out of range"));
  }
  const bool child = q.count("child") && q.at("child") == "true";
  auto out = app.engine().Read([&](const State& s) {
    return SuggestionJson(SuggestPlaceOfSafety(s, app.ref(), app.engine().policy(), {lat, lon}, age,
                                               age ? *age < 18 : child));
  });
  c->Json(200, out);
}

void S136Report(App& app, const CallPtr& c) {
  const auto& q = c->req().query;
  int year = 0;
  if (q.count("year")) {
    // The whole value is the year: "2026.5" or "2026x" is not 2026.
    const std::string& text = q.at("year");
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
    if (ec != std::errc{} || end != text.data() + text.size()) year = 0;
  }
  if (year < 2000 || year > 2100) {
    return c->Fail(Error::InvalidArgument("year",
                                          "year is the financial year's first calendar "
                                          "year, e.g. 2025 for 2025/26"));
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = app.engine().Read([&](const State& s) { return S136ReturnCsv(s, year); });
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"s136-return-" + std::to_string(year) + ".csv\"");
  c->Reply(std::move(r));
}

}  // namespace

void AddMentalHealthRoutes(App& app) {
  Router& r = app.mutable_router();
  const char* tag = "mental-health";
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/triage", "mh.triage",
                     "Right Care, Right Person triage (each one a new version)", "mh.triage", tag));
  r.Add({"GET", "/api/incidents/{id}/mental-health", "detention.read",
         "An incident's triage, detentions and decision records",
         [&app](const CallPtr& c) {
           const Timestamp now = app.engine().clock().Now();
           auto out = app.engine().Read([&](const State& s) -> std::optional<boost::json::object> {
             if (!s.cad.incidents.contains(c->param("id"))) return std::nullopt;
             return IncidentMentalHealthJson(s, c->param("id"), app.engine().policy(), now);
           });
           if (!out) return c->Fail(Error::NotFound("no incident " + c->param("id")));
           c->Json(200, *out);
         },
         false, tag});
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/detentions", "detention.record",
                     "Detain under s136 or s135 (grounds, location, person, consultation)",
                     "detention.create", tag));
  r.Add({"GET", "/api/detentions", "detention.read",
         "Detentions with their clocks (?active=true, incident_id)",
         [&app](const CallPtr& c) { ListDetentions(app, c); }, false, tag});
  r.Add({"GET", "/api/detentions/{id}", "detention.read",
         "One detention: clock, places, handover, checks, alerts, timeline",
         [&app](const CallPtr& c) { GetDetention(app, c); }, false, tag});
  struct Step {
    const char* path;
    const char* type;
    const char* summary;
  };
  static constexpr Step kSteps[] = {
      {"search", "detention.search", "Protective search (s136C)"},
      {"place-of-safety", "detention.place",
       "Choose the place of safety (police-station gate: s136A, reg 2)"},
      {"conveyance", "detention.conveyance",
       "Conveyance: ambulance request and ETA, or a police vehicle with its reason"},
      {"arrival", "detention.arrival", "Arrival at the place of safety (starts the clock)"},
      {"transfer", "detention.transfer",
       "Transfer to another place of safety (the clock keeps running)"},
      {"extension", "detention.extension", "Extend by up to 12 hours (s136B)"},
      {"welfare-check", "detention.check",
       "Welfare check (reg 4) or custody review (reg 3) at a police station"},
      {"handover", "detention.handover",
       "Handover to health: requested, accepted, officers left, escalated"},
      {"outcome", "detention.outcome", "Outcome of the assessment; ends the detention"},
  };
  for (const Step& step : kSteps) {
    r.Add(CommandRoute(app, "POST", std::string("/api/detentions/{id}/") + step.path,
                       "detention.record", step.summary, step.type, tag));
  }
  {
    // The trust running the place of safety accepts the handover (a clinician): the handover
    // step with stage "accepted", which the core allows a partner only for its own site.
    Route accept = CommandRoute(app, "POST", "/api/detentions/{id}/handover-acceptance",
                                "detention.handover_accept",
                                "Health accepts the handover (the trust running the place of "
                                "safety): by (who accepted), notes",
                                "detention.handover", tag);
    accept.handler = [&app](const CallPtr& c) {
      boost::json::object body = c->body();
      body["stage"] = "accepted";
      app.Submit(c, "detention.handover", c->param("id"), std::move(body));
    };
    r.Add(std::move(accept));
  }
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/ndm", "decision.record",
                     "National Decision Model rationale (Code of Ethics and five stages)", "mh.ndm",
                     tag));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/capacity", "force.record",
                     "Mental Capacity Act s5 capacity record", "mh.capacity", tag));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/restraint", "force.record",
                     "Mental Capacity Act s6 restraint record", "mh.restraint", tag));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/use-of-force", "force.record",
                     "Use of force with body-worn video worn/recording", "mh.use_of_force", tag));
  r.Add({"GET", "/api/places-of-safety", "place_of_safety.read",
         "Places of safety with live availability",
         [&app](const CallPtr& c) {
           c->Json(200, app.engine().Read(
                            [&](const State& s) { return PlacesOfSafetyJson(s, app.ref()); }));
         },
         false, tag});
  r.Add({"GET", "/api/places-of-safety/suggestion", "place_of_safety.read",
         "Nearest open places of safety with a free suite for an age (lat, lon, age | child)",
         [&app](const CallPtr& c) { Suggest(app, c); }, false, tag});
  r.Add(CommandRoute(app, "POST", "/api/places-of-safety/{id}/availability",
                     "place_of_safety.update", "Report live availability (the site's trust)",
                     "place_of_safety.availability", tag));
  Route s136{"GET",
             "/api/reports/s136",
             "report.s136",
             "Home Office s136 annual return as CSV (?year=2025 for 2025/26)",
             [&app](const CallPtr& c) { S136Report(app, c); },
             false,
             "reports"};
  s136.query = {{"year",
                 "Required: the financial year's first calendar year, e.g. 2025 for "
                 "2025/26"}};
  r.Add(std::move(s136));
}

}  // namespace concordat::api
