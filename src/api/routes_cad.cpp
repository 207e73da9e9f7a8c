// Command-and-control endpoints: incidents, assignments, units, recommendations, the board.
#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "api/app.hpp"
#include "api/roles.hpp"
#include "core/cad.hpp"
#include "core/id_lookup.hpp"
#include "core/json_text.hpp"
#include "core/mh.hpp"
#include "core/partners.hpp"
#include "core/state.hpp"

namespace concordat::api {
namespace {

using CallPtr = std::shared_ptr<Call>;

// Matches one query filter; an absent parameter matches everything.
bool QueryIs(const Call& c, const char* key, const std::string& value) {
  auto it = c.req().query.find(key);
  return it == c.req().query.end() || it->second.empty() || it->second == value;
}

Result<std::optional<Timestamp>> QueryTime(const Call& c, const char* key) {
  auto it = c.req().query.find(key);
  if (it == c.req().query.end() || it->second.empty()) return std::optional<Timestamp>();
  auto t = ParseIso(it->second, key);
  if (!t.ok()) return t.error();
  return std::optional<Timestamp>(*t);
}

void ListIncidents(App& app, const CallPtr& c);

// Why this read is part of the caller's current work ("" when it is not): the incident is open
// or closed within the day, or the officer's unit is on it.
std::string CurrentWork(const Incident& i, const User& u, const State& s, Timestamp now) {
  if (i.status == "open") return "current work: open incident";
  if (i.closed_at && now - *i.closed_at < Hours(24)) return "current work: closed today";
  if (!u.collar.empty()) {
    for (const auto& [uid, a] : i.assignments) {
      auto unit = s.cad.units.find(uid);
      if (unit != s.cad.units.end() && unit->second.HasCrewMember(u.collar)) {
        return "current work: own unit attended";
      }
    }
  }
  return "";
}

void ListIncidents(App& app, const CallPtr& c) {
  const auto& q = c->req().query;
  auto status = q.count("status") ? q.at("status") : std::string();
  if (!status.empty() && status != "open" && status != "closed") {
    c->Fail(Error::InvalidArgument("status", "status must be open or closed"));
    return;
  }
  auto from = QueryTime(*c, "from");
  auto to = QueryTime(*c, "to");
  if (!from.ok()) return c->Fail(from.error());
  if (!to.ok()) return c->Fail(to.error());
  // As every list's: a limit out of range is refused, not quietly changed (an outside client
  // asking for 10,000 would otherwise take 5,000 as all there is).
  auto asked = QueryLimit(*c, 5000);
  if (!asked.ok()) return c->Fail(asked.error());
  const size_t limit = asked->value_or(500);
  const std::string flag = q.count("flag") ? q.at("flag") : std::string();
  const Timestamp now = app.engine().clock().Now();
  const bool partner = IsPartnerRole(c->user().role);
  std::vector<std::pair<std::string, std::string>> disclosed;  // incident, categories
  const auto matches = [&](const Incident& i) {
    if (!QueryIs(*c, "status", i.status) || !QueryIs(*c, "bcu", i.bcu_code) ||
        !QueryIs(*c, "grade", i.grade) || !QueryIs(*c, "type", i.type)) {
      return false;
    }
    if (!flag.empty() && !i.HasFlag(flag)) return false;
    if (*from && i.received_at < **from) return false;
    if (*to && i.received_at >= **to) return false;
    return true;
  };
  // Without an index for the query (not a partner's shares, not the open incidents) every
  // incident kept is visited — millions in a year of London. They are visited a slice at a time,
  // each slice under its own read of the state, so that the writer (which waits for readers) is
  // kept out for one slice at most rather than for the whole store; only the newest `limit` keys
  // are kept between slices. The list is then as of the reads: an incident closed or made while
  // they run may be missing or shown as it is now (each one shown is checked again as it is
  // rendered).
  std::optional<std::vector<std::string>> newest;
  if (!partner && status != "open") {
    struct Key {
      Timestamp at;
      std::uint64_t number;
      std::string id;
    };
    const auto newer_key = [](const Key& a, const Key& b) {
      return a.at != b.at ? a.at > b.at : a.number > b.number;
    };
    std::vector<Key> best;  // a heap whose front is the oldest kept
    std::string resume;     // the last id visited (the map's order)
    for (bool more = true; more;) {
      more = app.engine().Read([&](const State& s) {
        const auto& all = s.cad.incidents.map();
        auto it = resume.empty() ? all.begin() : all.upper_bound(resume);
        const size_t slice = std::max<size_t>(1, app.options().list_slice);
        size_t n = 0;
        for (; it != all.end() && n < slice; ++it, ++n) {
          if (!matches(it->second)) continue;
          Key k{it->second.received_at, IdNumber(it->first), {}};
          if (best.size() < limit) {
            k.id = it->first;
            best.push_back(std::move(k));
            std::push_heap(best.begin(), best.end(), newer_key);
          } else if (newer_key(k, best.front())) {
            k.id = it->first;
            std::pop_heap(best.begin(), best.end(), newer_key);
            best.back() = std::move(k);
            std::push_heap(best.begin(), best.end(), newer_key);
          }
        }
        if (n > 0) resume = std::prev(it)->first;
        return it != all.end();
      });
    }
    std::sort(best.begin(), best.end(), newer_key);
    newest.emplace();
    for (auto& k : best) newest->push_back(std::move(k.id));
  }
  auto out = app.engine().Read([&](const State& s) {
    // The incidents the query takes, then the newest `limit` of them (by the time the call was
    // received, then by number: the map's own order is the ids' text order).
    // The candidates are found without visiting every incident ever kept where the state has an
    // index: a partner's shares, or the open incidents; the order they are found in does not
    // matter (`newer` below is a total order). Otherwise they are the slices' newest.
    std::vector<const Incident*> taken;
    const auto take = [&](const Incident& i) {
      if (matches(i)) taken.push_back(&i);
    };
    if (newest) {
      for (const Incident* i : ValuesOf(s.cad.incidents, *newest)) take(*i);
    } else if (partner) {
      // Partners: only incidents shared with their agency (cut to their agreement below).
      for (const auto& [key, share] : s.partners.shares) {
        if (share.agency_id != c->user().agency_id || share.withdrawn_at) continue;
        if (auto it = s.cad.incidents.find(share.incident_id); it != s.cad.incidents.end()) {
          taken.push_back(&it->second);
        }
      }
    } else {
      for (const Incident* i : ValuesOf(s.cad.incidents, s.cad.open_ids)) take(*i);
    }
    auto newer = [](const Incident* a, const Incident* b) {
      if (a->received_at != b->received_at) return a->received_at > b->received_at;
      return IdNumber(a->id) > IdNumber(b->id);
    };
    // Only the newest `limit` need ordering (a force's store holds millions of incidents); a
    // partner's list may skip views its agreement no longer allows, so it is ordered whole (it
    // holds only what was shared with it).
    const size_t keep = partner ? taken.size() : std::min(limit, taken.size());
    std::partial_sort(taken.begin(), taken.begin() + static_cast<std::ptrdiff_t>(keep), taken.end(),
                      newer);
    boost::json::array a;
    for (const Incident* i : taken) {
      if (a.size() >= limit) break;
      if (partner) {
        auto view = PartnerIncidentJson(s, *i, c->user().agency_id, app.engine().policy(), now);
        if (!view) continue;
        // The categories this view disclosed, as its agreement allowed (the access log names
        // them, DPA 2018 s62, as the single-incident route does).
        std::string cats;
        if (const auto* list = view->if_contains("categories"); list && list->is_array()) {
          for (const auto& cat : list->as_array()) {
            if (cat.is_string()) cats += (cats.empty() ? "" : ",") + std::string(cat.as_string());
          }
        }
        a.push_back(std::move(*view));
        disclosed.emplace_back(i->id, std::move(cats));
        continue;
      }
      a.push_back(IncidentSummaryJson(s, *i, app.engine().policy(), now));
    }
    return a;
  });
  if (partner) {
    std::vector<AccessEntry> rows;
    for (const auto& [id, cats] : disclosed) {
      rows.push_back(AccessEntry{
          0, now, c->user().id, c->user().role, c->user().agency_id, "disclosure", "incident/" + id,
          cats, "shared under an information-sharing agreement", c->user().agency_id, c->route()});
    }
    if (auto st = app.access().RecordMany(std::move(rows)); !st.ok()) return c->Fail(st.error());
  }
  c->Json(200, boost::json::object{{"incidents", out}, {"count", out.size()}});
}

void GetPartnerIncident(App& app, const CallPtr& c) {
  const std::string id = c->param("id");
  const Timestamp now = app.engine().clock().Now();
  const User& u = c->user();
  auto view = app.engine().Read([&](const State& s) -> std::optional<boost::json::object> {
    auto it = s.cad.incidents.find(id);
    if (it == s.cad.incidents.end()) return std::nullopt;
    return PartnerIncidentJson(s, it->second, u.agency_id, app.engine().policy(), now);
  });
  if (!view) {
    // Unshared and non-existent look the same to a partner.
    return c->Fail(Error::NotFound("no incident " + id));
  }
  std::string cats;
  for (const auto& cat : view->at("categories").as_array()) {
    cats += (cats.empty() ? "" : ",") + std::string(cat.as_string());
  }
  if (auto st = app.RecordAccess(*c, "incident/" + id, cats,
                                 "shared under an information-sharing agreement", u.agency_id);
      !st.ok()) {
    return c->Fail(st.error());
  }
  c->Json(200, *view);
}

void GetIncident(App& app, const CallPtr& c) {
  if (IsPartnerRole(c->user().role)) return GetPartnerIncident(app, c);
  const std::string id = c->param("id");
  const Timestamp now = app.engine().clock().Now();
  std::string work;
  auto view = app.engine().Read([&](const State& s) -> std::optional<boost::json::object> {
    auto it = s.cad.incidents.find(id);
    if (it == s.cad.incidents.end()) return std::nullopt;
    work = CurrentWork(it->second, c->user(), s, now);
    boost::json::object o = IncidentJson(s, it->second, app.engine().policy(), now);
    // Who it has been shared with and how each referral stands (the share is a logged act).
    boost::json::array referrals;
    for (const Referral* r : ReferralsOf(s, id)) referrals.push_back(ReferralJson(s, *r));
    o["referrals"] = std::move(referrals);
    return o;
  });
  if (!view) {
    c->Fail(Error::NotFound("no incident " + id));
    return;
  }
  // DPA 2018 s62: the read is logged; outside current work it needs a stated justification.
  std::string why = App::Justification(*c);
  if (why.empty()) why = work;
  if (why.empty()) {
    return c->Fail(Error::FailedPrecondition(
        "reading a closed incident outside your current work needs a justification "
        "(?justification=... or the X-Justification header)",
        "justification"));
  }
  if (auto st = app.RecordAccess(*c, "incident/" + id,
                                 "incident_summary,location,mental_health_flags,person_identity,"
                                 "health_information",
                                 why);
      !st.ok()) {
    return c->Fail(st.error());
  }
  auto events = app.engine().log().ReadStream("incident/" + id, 100000);
  if (!events.ok()) {
    c->Fail(events.error());
    return;
  }
  (*view)["timeline"] = app.Timeline(c->user(), *events, false);
  c->Json(200, *view);
}

void Recommendations(App& app, const CallPtr& c) {
  const std::string id = c->param("id");
  const Timestamp now = app.engine().clock().Now();
  auto asked = QueryLimit(*c, 50);
  if (!asked.ok()) return c->Fail(asked.error());
  const size_t k = asked->value_or(5);
  auto out = app.engine().Read([&](const State& s) -> std::optional<boost::json::object> {
    auto it = s.cad.incidents.find(id);
    if (it == s.cad.incidents.end()) return std::nullopt;
    auto r = RecommendUnits(s, it->second, app.engine().policy(), now, k);
    boost::json::array units;
    for (const auto& rec : r.units) {
      const Unit& u = s.cad.units.at(rec.unit_id);
      boost::json::array reasons;
      for (const auto& why : rec.reasons) reasons.emplace_back(why);
      units.push_back({{"unit_id", rec.unit_id},
                       {"call_sign", u.call_sign},
                       {"bcu", u.bcu},
                       {"distance_m", static_cast<std::int64_t>(std::lround(rec.distance_m))},
                       {"eta_seconds", rec.eta / kMicrosPerSecond},
                       {"score_seconds", rec.score / kMicrosPerSecond},
                       {"mental_health_trained", u.MentalHealthTrained()},
                       {"reasons", reasons}});
    }
    boost::json::array why;
    for (const auto& w : r.why_none) why.emplace_back(w);
    return boost::json::object{{"incident_id", id}, {"units", units}, {"why_none", why}};
  });
  if (!out) return c->Fail(Error::NotFound("no incident " + id));
  c->Json(200, *out);
}

void ListUnits(App& app, const CallPtr& c) {
  const Timestamp now = app.engine().clock().Now();
  auto out = app.engine().Read([&](const State& s) {
    boost::json::array a;
    for (const auto& [id, u] : s.cad.units) {
      if (!QueryIs(*c, "bcu", u.bcu) || !QueryIs(*c, "status", u.status)) continue;
      a.push_back(UnitJson(u, now, &s));
    }
    return a;
  });
  c->Json(200, boost::json::object{{"units", out}, {"count", out.size()}});
}

// The board is the same for every control-room reader at a given log position and second, and
// dozens of screens poll it: it is rendered once per (seq, second) and the serialized body
// shared. A change anywhere moves seq, so no reader sees a board older than the last event; the
// time-dependent fields (fix ages, time to target) are at most one second old, and "now" in the
// body says exactly when.
struct BoardCache {
  std::mutex mu;
  std::uint64_t seq = 0;
  Timestamp second = -1;
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> gzipped;  // of `body`, made when a client first accepts it
};

void Board(App& app, const CallPtr& c, BoardCache& cache) {
  const Timestamp now = app.engine().clock().Now();
  const Timestamp second = now / kMicrosPerSecond;
  const std::uint64_t seq = app.engine().Read([](const State& s) { return s.seq; });
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> gzipped;
  {
    std::lock_guard lock(cache.mu);
    if (cache.body && cache.seq == seq && cache.second == second) {
      body = cache.body;
      gzipped = cache.gzipped;
    }
  }
  if (!body) {
    std::uint64_t rendered_seq = 0;
    auto out = app.engine().Read([&](const State& s) {
      rendered_seq = s.seq;
      // Open incidents, and those closed in the last 30 minutes (so the board shows the end),
      // in the incidents' own order: found through the open ones and the recently closed ones
      // the state keeps, not by visiting every incident ever kept.
      constexpr Timestamp kClosedShownFor = Minutes(30);
      static_assert(kClosedShownFor <= CadState::kRecentlyClosedFor);
      std::vector<const Incident*> shown = ValuesOf(s.cad.incidents, s.cad.open_ids);
      for (auto r = s.cad.recently_closed.rbegin();
           r != s.cad.recently_closed.rend() && now - r->first < kClosedShownFor; ++r) {
        if (auto it = s.cad.incidents.find(r->second); it != s.cad.incidents.end()) {
          shown.push_back(&it->second);  // closed: a reopen takes it out of recently_closed
        }
      }
      std::sort(shown.begin(), shown.end(),
                [](const Incident* a, const Incident* b) { return a->id < b->id; });
      boost::json::array incidents;
      incidents.reserve(shown.size());
      for (const Incident* i : shown) {
        incidents.push_back(IncidentSummaryJson(s, *i, app.engine().policy(), now));
      }
      boost::json::array units;
      for (const auto& [id, u] : s.cad.units) units.push_back(UnitJson(u, now, &s));
      boost::json::array alerts;
      const auto open_alerts = ValuesOf(s.alerts.by_id, s.alerts.unacknowledged);
      for (auto a = open_alerts.rbegin(); a != open_alerts.rend(); ++a) {
        // The Mental Health Team's (a high-intensity flag's review due) are on their page, not
        // on the control room's board, where nobody on shift could act on them.
        if ((*a)->audience == "mh_team") continue;
        alerts.push_back(AlertToJson(**a));
      }
      // Partners' referrals to the police not yet answered: counts only (no personal data, so
      // nothing to log), for the board to point at the referrals screen before any is overdue.
      std::int64_t waiting = 0, overdue = 0;
      for (const Referral* ref : ValuesOf(s.partners.referrals, s.partners.unanswered_to_police)) {
        ++waiting;
        overdue += now >= ref->due_at ? 1 : 0;
      }
      return boost::json::object{{"seq", s.seq},
                                 {"now", FormatIso(now)},
                                 {"incidents", incidents},
                                 {"units", units},
                                 {"alerts", alerts},
                                 {"referrals_to_police", {{"unanswered", waiting}, {"overdue", overdue}}},
                                 {"places_of_safety", PlacesOfSafetyJson(s, app.ref())},
                                 {"detentions", BoardDetentionsJson(s, now)}};
    });
    body = std::make_shared<const std::string>(JsonText(out));
    std::lock_guard lock(cache.mu);
    if (rendered_seq >= cache.seq) {
      cache.seq = rendered_seq;
      cache.second = second;
      cache.body = body;
      cache.gzipped.reset();
    }
  }
  HttpResponse r;
  r.headers.emplace_back("Vary", "Accept-Encoding");
  // Browsers accept gzip: the board is read by every control-room screen, every few seconds, and
  // compresses about tenfold; it is compressed once per cached body, not per request.
  if (AcceptsGzip(c->req().Header("accept-encoding"))) {
    if (!gzipped) {
      gzipped = std::make_shared<const std::string>(Gzip(*body));
      std::lock_guard lock(cache.mu);
      if (cache.body == body) cache.gzipped = gzipped;
    }
    r.body = *gzipped;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body = *body;
  }
  c->Reply(std::move(r));
}

}  // namespace

void AddCadRoutes(App& app) {
  Router& r = app.mutable_router();
  auto board_cache = std::make_shared<BoardCache>();
  r.Add({"GET", "/api/board", "board.read", "The control-room board: incidents, units, alerts",
         [&app, board_cache](const CallPtr& c) { Board(app, c, *board_cache); }, false, "board"});
  r.Add(CommandRoute(app, "POST", "/api/incidents", "incident.create",
                     "Create an incident from a call", "incident.create", "incidents"));
  r.Add({"GET", "/api/incidents", "incident.read",
         "Incidents, newest first (status, bcu, grade, type, flag, from, to, limit: 1 to 5,000, "
         "default 500)",
         [&app](const CallPtr& c) { ListIncidents(app, c); }, false, "incidents"});
  r.Add({"GET", "/api/incidents/{id}", "incident.read", "One incident with its full timeline",
         [&app](const CallPtr& c) { GetIncident(app, c); }, false, "incidents"});
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/thrive", "incident.thrive",
                     "Record a THRIVE assessment (each one a new version)", "incident.thrive",
                     "incidents"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/log", "incident.log", "Add a log entry",
                     "incident.log", "incidents"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/regrade", "incident.regrade",
                     "Change the grade", "incident.regrade", "incidents"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/persons", "incident.link_person",
                     "Link a person to the incident", "incident.link_person", "incidents"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/close", "incident.close",
                     "Close with a result code and summary (clears units still attached)",
                     "incident.close", "incidents"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/reopen", "incident.reopen",
                     "Reopen a closed incident", "incident.reopen", "incidents"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/assignments", "assignment.create",
                     "Dispatch a unit or record a self-deployment", "assignment.create",
                     "assignments"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/assignments/{unit_id}/state",
                     "assignment.update",
                     "Change one assignment's state (en_route, at_scene, left_scene, cleared)",
                     "assignment.state", "assignments", {"unit_id"}));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/stand-down", "assignment.stand_down",
                     "Stand units down: unit_ids, all_not_at_scene, or an over-attendance alert_id",
                     "assignment.stand_down", "assignments"));
  r.Add({"GET", "/api/incidents/{id}/recommendations", "incident.recommend",
         "Available units ranked by estimated arrival, with reasons (limit: 1 to 50, default 5)",
         [&app](const CallPtr& c) { Recommendations(app, c); }, false, "incidents"});
  r.Add({"GET", "/api/units", "unit.read", "Units (bcu, status filters)",
         [&app](const CallPtr& c) { ListUnits(app, c); }, false, "units"});
  r.Add({"GET", "/api/units/{id}", "unit.read", "One unit",
         [&app](const CallPtr& c) {
           const Timestamp now = app.engine().clock().Now();
           auto u = app.engine().Read([&](const State& s) -> std::optional<boost::json::object> {
             auto it = s.cad.units.find(c->param("id"));
             if (it == s.cad.units.end()) return std::nullopt;
             return UnitJson(it->second, now, &s);
           });
           if (!u) return c->Fail(Error::NotFound("no unit " + c->param("id")));
           c->Json(200, *u);
         },
         false, "units"});
  r.Add(CommandRoute(app, "POST", "/api/units", "unit.manage", "Create a unit", "unit.create",
                     "units"));
  r.Add(CommandRoute(app, "POST", "/api/units/{id}/status", "unit.update", "Set a unit's status",
                     "unit.status", "units"));
  r.Add(CommandRoute(app, "POST", "/api/units/{id}/location", "unit.update",
                     "A location fix (lat, lon, fixed_at, accuracy_m)", "unit.location", "units"));
  r.Add(CommandRoute(app, "POST", "/api/units/{id}/emergency", "unit.emergency",
                     "Emergency button: create or join an immediate officer-assistance incident",
                     "unit.emergency", "units"));
  r.Add(CommandRoute(app, "POST", "/api/units/{id}/emergency/cancel", "unit.emergency",
                     "Cancel the emergency (all OK): stands down units not yet at scene",
                     "unit.emergency_cancel", "units"));
}

}  // namespace concordat::api
