// Platform endpoints: health, auth, OpenAPI, reference data, board, alerts, admin clock.
#include <boost/json.hpp>
#include <limits>

#include "api/app.hpp"
#include "api/roles.hpp"
#include "core/id_lookup.hpp"
#include "core/json_fields.hpp"
#include "core/state.hpp"

namespace concordat::api {
namespace {

boost::json::object BoroughJson(const Borough& b) {
  return {{"code", b.code},
          {"name", b.name},
          {"bcu", b.bcu_code.empty() ? boost::json::value(nullptr) : boost::json::value(b.bcu_code)},
          {"force", b.force},
          {"inner_outer", b.inner_outer},
          {"mh_trust", b.mh_trust_current},
          {"population", b.population},
          {"centroid", {{"lat", b.centroid.lat}, {"lon", b.centroid.lon}}}};
}

}  // namespace

void App::AddPlatformRoutes() {
  router_.Add({"GET", "/api/health", "", "Liveness, version and the log head",
               [this](const std::shared_ptr<Call>& c) {
                 // "failing" (with the problem) while the log cannot be written: the server
                 // still answers reads, but records nothing.
                 const std::string problem = engine_.WriteProblem();
                 boost::json::object body{{"status", problem.empty() ? "ok" : "failing"},
                                          {"version", options_.version},
                                          {"log_seq", engine_.HeadSeq()},
                                          {"virtual_clock", options_.virtual_clock},
                                          {"now", FormatIso(engine_.clock().Now())}};
                 if (!problem.empty()) body["problem"] = problem;
                 c->Json(200, body);
               }});
  router_.Add({"GET", "/api/openapi.json", "", "This API's OpenAPI 3 document",
               [this](const std::shared_ptr<Call>& c) {
                 c->Json(200, router_.OpenApi(options_.version));
               }});
  router_.Add({"GET", "/metrics", "", "Prometheus metrics (text format)",
               [this](const std::shared_ptr<Call>& c) {
                 std::string out;
                 metrics_.Render(out);
                 const auto& st = engine_.stats();
                 auto counter = [&out](const char* name, const char* help, std::uint64_t v,
                                       const char* type = "counter") {
                   out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " +
                          type + "\n" + name + " " + std::to_string(v) + "\n";
                 };
                 counter("concordat_log_seq", "The log head sequence number.", engine_.HeadSeq(),
                         "gauge");
                 counter("concordat_engine_commands_total", "Commands decided.", st.commands);
                 counter("concordat_engine_commands_rejected_total",
                         "Commands refused by a rule or bad input.", st.rejected);
                 counter("concordat_engine_duplicates_total",
                         "Retried commands answered from their first outcome.", st.duplicates);
                 counter("concordat_engine_commits_total", "Durable log transactions.",
                         st.commits);
                 counter("concordat_engine_events_total", "Events appended.", st.events);
                 counter("concordat_engine_timers_fired_total", "Timers fired.", st.timers_fired);
                 counter("concordat_engine_batch_size_last", "Commands in the last group commit.",
                         st.last_batch, "gauge");
                 counter("concordat_engine_batch_size_max", "Most commands in one group commit.",
                         st.max_batch, "gauge");
                 counter("concordat_engine_snapshots_total", "Snapshots written.", st.snapshots);
                 counter("concordat_engine_snapshot_failures_total",
                         "Snapshots that could not be encoded or stored.", st.snapshot_failures);
                 counter("concordat_engine_write_failures_total",
                         "Batches the log could not write (every command in them refused).",
                         st.write_failures);
                 counter("concordat_engine_write_failing",
                         "1 while the latest write to the log failed: nothing is being recorded.",
                         engine_.WriteProblem().empty() ? 0 : 1, "gauge");
                 counter("concordat_engine_batch_micros_total",
                         "Time spent deciding and committing batches.", st.commit_micros_total);
                 HttpResponse r;
                 r.content_type = "text/plain; version=0.0.4";
                 r.body = std::move(out);
                 c->Reply(std::move(r));
               }});
  router_.Add({"POST", "/api/auth/login", "", "Sign in with username and password",
               [this](const std::shared_ptr<Call>& c) { Login(c); }, true, "auth"});
  router_.Add({"POST", "/api/auth/logout", "auth.me", "End this session",
               [this](const std::shared_ptr<Call>& c) {
                 auto st = users_.RevokeToken(c->token());
                 if (!st.ok()) {
                   c->Fail(st.error());
                   return;
                 }
                 c->Json(200, boost::json::object{{"signed_out", true}});
               },
               false, "auth"});
  router_.Add({"GET", "/api/auth/me", "auth.me", "The signed-in user",
               [](const std::shared_ptr<Call>& c) { c->Json(200, UserToJson(c->user())); },
               false, "auth"});

  router_.Add({"GET", "/api/reference/bcus", "reference.read", "The 12 Basic Command Units",
               [this](const std::shared_ptr<Call>& c) {
                 boost::json::array out;
                 for (const auto& b : ref_.bcus) {
                   boost::json::array boroughs;
                   for (const auto& code : b.borough_codes) {
                     const Borough* bo = ref_.FindBorough(code);
                     boroughs.push_back(
                         {{"code", code}, {"name", bo ? bo->name : std::string()}});
                   }
                   boost::json::array neighbours;
                   for (const auto& n : ref_.NeighbourBcus(b.code)) {
                     neighbours.emplace_back(n);
                   }
                   out.push_back({{"code", b.code},
                                  {"name", b.name},
                                  {"boroughs", boroughs},
                                  {"neighbours", neighbours},
                                  {"population", b.population},
                                  {"centroid", {{"lat", b.centroid.lat}, {"lon", b.centroid.lon}}}});
                 }
                 c->Json(200, out);
               },
               false, "reference"});
  router_.Add({"GET", "/api/reference/boroughs", "reference.read",
               "London's 32 boroughs and the City of London",
               [this](const std::shared_ptr<Call>& c) {
                 boost::json::array out;
                 for (const auto& b : ref_.boroughs) {
                   out.push_back(BoroughJson(b));
                 }
                 c->Json(200, out);
               },
               false, "reference"});
  router_.Add({"GET", "/api/reference/boundaries", "reference.read",
               "Borough boundaries as GeoJSON (simplified; ONS, OGL v3)",
               [this](const std::shared_ptr<Call>& c) {
                 HttpResponse r;
                 r.content_type = "application/geo+json";
                 r.body = ref_.boundaries_geojson;
                 c->Reply(std::move(r));
               },
               false, "reference"});
  router_.Add({"GET", "/api/reference/places-of-safety", "reference.read",
               "Health-based places of safety (s136 suites) as published",
               [this](const std::shared_ptr<Call>& c) {
                 boost::json::array out;
                 for (const auto& s : ref_.places_of_safety) {
                   boost::json::array served;
                   for (const auto& b : s.boroughs_served) {
                     served.emplace_back(b);
                   }
                   out.push_back({{"id", s.id},
                                  {"name", s.name},
                                  {"host_hospital", s.host_hospital},
                                  {"trust", s.trust},
                                  {"borough", s.borough},
                                  {"boroughs_served", served},
                                  {"capacity", s.capacity_text},
                                  {"suites", s.suites},
                                  {"hours", s.hours},
                                  {"status_note", s.status_note},
                                  {"open", s.open},
                                  {"postcode", s.postcode},
                                  {"location", {{"lat", s.location.lat}, {"lon", s.location.lon}}}});
                 }
                 c->Json(200, out);
               },
               false, "reference"});
  router_.Add({"GET", "/api/reference/emergency-departments", "reference.read",
               "Type-1 emergency departments in London",
               [this](const std::shared_ptr<Call>& c) {
                 boost::json::array out;
                 for (const auto& e : ref_.emergency_departments) {
                   out.push_back({{"ods_code", e.ods_code},
                                  {"hospital", e.hospital},
                                  {"trust", e.trust},
                                  {"borough", e.borough},
                                  {"type", e.ed_type},
                                  {"postcode", e.postcode},
                                  {"location", {{"lat", e.location.lat}, {"lon", e.location.lon}}}});
                 }
                 c->Json(200, out);
               },
               false, "reference"});

  router_.Add(CommandRoute(*this, "POST", "/api/alerts/{id}/acknowledge", "alert.acknowledge",
                           "Acknowledge an alert (once; who and when are recorded)",
                           "alert.acknowledge", "alerts"));
  router_.Add(
      {"GET", "/api/alerts", "board.read",
       "Alerts, newest first: ?open=true for the unacknowledged ones (all of them unless ?limit= "
       "is given), otherwise the newest ?limit= (default 500, at most 1000); ?before=alert-N for "
       "those raised before it. A full page says where the next starts in X-Next-Before",
       [this](const std::shared_ptr<Call>& c) {
         const auto& q = c->req().query;
         const bool open_only = q.count("open") && q.at("open") == "true";
         auto asked = QueryLimit(*c, 1000);
         if (!asked.ok()) return c->Fail(asked.error());
         std::optional<size_t> limit = *asked;
         // Every alert kept would be millions after a year (status prompts alone): the whole
         // list comes a page at a time; the open ones are few and the screens want them all.
         if (!open_only && !limit) limit = 500;
         std::uint64_t before = std::numeric_limits<std::uint64_t>::max();
         if (auto it = q.find("before"); it != q.end()) {
           const std::string& v = it->second;
           const bool well_formed = v.starts_with("alert-") && v.size() > 6 && v.size() <= 24 &&
                                    v.find_first_not_of("0123456789", 6) == v.npos;
           before = well_formed ? IdNumber(v) : 0;
           if (before == 0) {
             return c->Fail(
                 Error::InvalidArgument("before", "before must be an alert id (alert-N)"));
           }
         }
         bool more = false;
         auto out = engine_.Read([&](const State& s) {
           std::vector<const Alert*> taken;
           if (open_only) {  // the unacknowledged ones, not a scan of every alert
             for (const Alert* a : ValuesOf(s.alerts.by_id, s.alerts.unacknowledged)) {
               if (IdNumber(a->id) < before) taken.push_back(a);
             }
             // Newest first by number (as text "alert-9" comes after "alert-13").
             std::sort(taken.begin(), taken.end(), [](const Alert* a, const Alert* b) {
               return IdNumber(a->id) > IdNumber(b->id);
             });
             if (limit && taken.size() > *limit) {
               taken.resize(*limit);
               more = true;
             }
           } else {
             // Numbered in order from 1 and never removed: the newest by number, looked up one
             // by one, without visiting the rest.
             std::uint64_t n = std::min(before, s.alerts.next);
             while (n > 1 && taken.size() < *limit) {
               --n;
               if (auto a = s.alerts.by_id.find("alert-" + std::to_string(n));
                   a != s.alerts.by_id.end()) {
                 taken.push_back(&a->second);
               }
             }
             more = n > 1;
           }
           boost::json::array a;
           for (const Alert* alert : taken) a.push_back(AlertToJson(*alert));
           return a;
         });
         HttpResponse r = JsonResponse(200, out);
         if (more && !out.empty()) {
           r.headers.emplace_back("X-Next-Before",
                                  std::string(out.back().as_object().at("id").as_string()));
         }
         c->Reply(std::move(r));
       },
       false, "alerts"});

  if (options_.virtual_clock) {
    router_.Add({"POST", "/api/admin/clock/advance", "admin.clock",
                 "Virtual clock only: move time forward, firing due timers in order",
                 [this](const std::shared_ptr<Call>& c) {
                   FieldReader r(c->body());
                   const auto seconds = r.Integer("seconds", 1, 366LL * 24 * 3600);
                   if (!r.ok()) {
                     c->Fail(r.error());
                     return;
                   }
                   std::string key = c->req().Header("idempotency-key");
                   if (key.empty()) {
                     key = "clock-" + std::to_string(engine_.clock().Now());
                   }
                   const User& u = c->user();
                   const Actor actor{u.id, u.role, u.agency_id};
                   const std::string request =
                       RequestFingerprint(ClockAdvanceCommand(Seconds(seconds), actor, key));
                   Outcome o = engine_.AdvanceClock(Seconds(seconds), actor, key);
                   if (o.duplicate && !o.request.empty() && o.request != request) {
                     // As App::Submit: the first advance's outcome would say this one was made.
                     c->Fail(Error::Conflict(
                         "this Idempotency-Key was already used for another advance of the clock; "
                         "send this one with a new key"));
                     return;
                   }
                   if (!o.ok) {
                     c->Fail(o.error);
                     return;
                   }
                   // The same reply headers as App::Submit, so a client can tell a replay.
                   HttpResponse resp = JsonResponse(200, o.reply);
                   if (o.duplicate) {
                     resp.headers.emplace_back("Idempotent-Replayed", "true");
                   }
                   resp.headers.emplace_back("X-Log-Seq", std::to_string(o.seq));
                   c->Reply(std::move(resp));
                 },
                 true, "admin"});
  }
}

}  // namespace concordat::api
