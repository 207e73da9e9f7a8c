// Partner endpoints: agencies, information-sharing agreements, referrals, the register of
// memoranda and protocols, liaison meetings, and the access audit.
#include <boost/json.hpp>
#include <chrono>
#include <mutex>

#include "api/app.hpp"
#include "api/roles.hpp"
#include "core/partners.hpp"
#include "core/state.hpp"
#include "core/team_address.hpp"
#include "store/event_log.hpp"

namespace concordat::api {
namespace {

using CallPtr = std::shared_ptr<Call>;

// An agency, with the types of referral it takes from the police under this force's
// configuration (partners.referral_recipients), by type name.
boost::json::object AgencyJson(const Agency& a, const PartnerPolicy& p) {
  boost::json::array boroughs, aliases, referral_types;
  for (const auto& b : a.boroughs) boroughs.emplace_back(b);
  for (const auto& x : a.aliases) aliases.emplace_back(x);
  if (a.status == "active") {
    for (const auto& [type, kinds] : p.referral_recipients) {
      if (p.TakesReferral(a.kind, type)) referral_types.emplace_back(type);
    }
  }
  return {{"id", a.id},
          {"kind", a.kind},
          {"name", a.name},
          {"ods_code", a.ods_code},
          {"partnership", a.partnership},
          {"boroughs", boroughs},
          {"status", a.status},
          {"merged_into",
           a.merged_into.empty() ? boost::json::value(nullptr) : boost::json::value(a.merged_into)},
          {"merged_on",
           a.merged_on.empty() ? boost::json::value(nullptr) : boost::json::value(a.merged_on)},
          {"aliases", aliases},
          {"referral_types", referral_types}};
}

void ListReferrals(App& app, const CallPtr& c) {
  const User& u = c->user();
  const bool partner = IsPartnerRole(u.role);
  const std::string state_filter =
      c->req().query.count("state") ? c->req().query.at("state") : std::string();
  // ?direction=to_police (the control room's inbox) or to_partner: only those are read, and only
  // those recorded in the access log as read.
  const std::string direction =
      c->req().query.count("direction") ? c->req().query.at("direction") : std::string();
  // ?incident=ID: one incident's referrals (its page), likewise.
  const std::string incident =
      c->req().query.count("incident") ? c->req().query.at("incident") : std::string();
  if (!direction.empty() && direction != "to_police" && direction != "to_partner") {
    return c->Fail(Error::InvalidArgument("direction", "direction is to_police or to_partner"));
  }
  std::vector<std::string> ids;
  auto out = app.engine().Read([&](const State& s) {
    boost::json::array a;
    auto add = [&](const Referral& r) {
      if (partner && r.agency_id != u.agency_id && r.from_agency != u.agency_id) return;
      if (!state_filter.empty() && r.state != state_filter) return;
      if (!direction.empty() && r.direction != direction) return;
      a.push_back(ReferralJson(s, r));
      ids.push_back(r.id);
    };
    // In the map's reverse order, as the whole list is.
    if (!incident.empty()) {
      const auto of = ReferralsOf(s, incident);
      for (auto it = of.rbegin(); it != of.rend(); ++it) add(**it);
    } else {
      for (auto it = s.partners.referrals.rbegin(); it != s.partners.referrals.rend(); ++it) {
        add(it->second);
      }
    }
    return a;
  });
  std::vector<AccessEntry> rows;
  const Timestamp now = app.engine().clock().Now();
  for (const auto& id : ids) {
    rows.push_back(AccessEntry{0, now, u.id, u.role, u.agency_id,
                               partner ? "disclosure" : "consultation", "referral/" + id,
                               "person_identity", partner ? "referral inbox" : "referral list",
                               partner ? u.agency_id : "", c->route()});
  }
  if (auto st = app.access().RecordMany(std::move(rows)); !st.ok()) return c->Fail(st.error());
  c->Json(200, boost::json::object{{"referrals", out}, {"count", out.size()}});
}

void AuditAccess(App& app, const CallPtr& c) {
  const auto& q = c->req().query;
  AccessQuery query;
  query.newest_first = true;
  // A user as the auditor knows them: a username ("analyst") or the id the log keeps
  // ("user-analyst"; ids are "user-" + the username).
  if (q.count("user") && !q.at("user").empty()) {
    const std::string& u = q.at("user");
    query.user_id = u.rfind("user-", 0) == 0 || u == "system" || u == "seed" ? u : "user-" + u;
  }
  // What was read: a log key ("person/person-1", "incident/inc-12", or a prefix of one), a bare
  // id ("person-1", "inc-12"), or a person's name ("Sam Taylor": every person of that name).
  boost::json::array matched;
  if (q.count("what") && !q.at("what").empty()) {
    const std::string& w = q.at("what");
    if (w.find('/') != std::string::npos) {
      query.what_prefix = w;
    } else if (w.rfind("person-", 0) == 0) {
      query.whats = {"person/" + w};
    } else if (w.rfind("inc-", 0) == 0) {
      query.what_prefix = "incident/" + w;
    } else {
      // Matched as the persons register matches names (team_address.hpp: case, punctuation and
      // titles set aside), on part of a name as well as the whole.
      const std::string needle = NormaliseName(w);
      if (needle.empty()) {
        return c->Fail(Error::InvalidArgument(
            "what", "give a person's name, an id (person-1, inc-4) or a log key (incident/inc-4)"));
      }
      app.engine().Read([&](const State& s) {
        for (const auto& [id, p] : s.team.persons) {
          if (p.name_key.find(needle) == std::string::npos) continue;
          query.whats.push_back("person/" + id);
          matched.push_back({{"id", id}, {"name", p.name}});
        }
        return 0;
      });
      if (query.whats.size() > 100) {
        return c->Fail(Error::InvalidArgument("what", std::to_string(query.whats.size()) +
                                                          " persons' names contain \"" + w +
                                                          "\": give more of the name"));
      }
      if (query.whats.empty()) {
        return c->Json(200, boost::json::object{{"entries", boost::json::array{}},
                                                {"count", 0},
                                                {"matched_persons", matched}});
      }
    }
  }
  for (const char* k : {"from", "to"}) {
    if (!q.count(k) || q.at(k).empty()) continue;
    auto t = ParseIso(q.at(k), k);
    if (!t.ok()) return c->Fail(t.error());
    (std::string(k) == "from" ? query.from : query.to) = *t;
  }
  if (query.from > query.to) {
    return c->Fail(Error::InvalidArgument("from", "from is after to"));
  }
  auto limit = QueryLimit(*c, 10000);
  if (!limit.ok()) return c->Fail(limit.error());
  if (*limit) query.limit = **limit;
  auto rows = app.access().Query(query);
  if (!rows.ok()) return c->Fail(rows.error());
  boost::json::array out;
  for (const auto& r : *rows) {
    out.push_back({{"id", r.id},
                   {"at", FormatIso(r.at)},
                   {"user_id", r.user_id},
                   {"role", r.role},
                   {"agency_id", r.agency_id},
                   {"action", r.action},
                   {"what", r.what},
                   {"categories", r.categories},
                   {"justification", r.justification},
                   {"recipient", r.recipient},
                   {"route", r.route}});
  }
  boost::json::object reply{{"entries", out}, {"count", out.size()}};
  if (!matched.empty()) reply["matched_persons"] = matched;
  c->Json(200, reply);
}

// The log's own check, as `concordat verify` makes it, for the auditor on the screen: every event
// read back from the store and its hash-chain link checked (DESIGN.md: tamper-evident; this is
// what an IOPC investigator needs of a CAD log). It reads the whole log on this worker (about half
// a microsecond an event: seconds at millions), beside the writer, which it does not stop; one
// runs at a time, so that a second press cannot take a second worker.
void AuditVerify(App& app, const CallPtr& c) {
  static std::mutex running;
  std::unique_lock one(running, std::try_to_lock);
  if (!one.owns_lock()) {
    return c->Fail(Error::Conflict("a check of the log is running now; try again when it ends"));
  }
  const std::string started_at = FormatIso(app.engine().clock().Now());
  const auto t0 = std::chrono::steady_clock::now();
  auto report = app.engine().log().Verify();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!report.ok()) {
    return c->Fail(Error::Unavailable("the log could not be read: " + report.error().message));
  }
  const VerifyReport& r = *report;
  c->Json(200,
          boost::json::object{
              {"ok", r.ok},
              {"count", r.count},  // events verified (before the first bad one, when broken)
              {"head_hash", r.ok ? boost::json::value(r.head_hash) : boost::json::value(nullptr)},
              {"first_bad_seq",
               r.ok ? boost::json::value(nullptr) : boost::json::value(r.first_bad_seq)},
              {"problem", r.ok ? boost::json::value(nullptr) : boost::json::value(r.problem)},
              {"checked_at", started_at},
              {"seconds", seconds}});
}

}  // namespace

void AddPartnerRoutes(App& app) {
  Router& r = app.mutable_router();
  r.Add({"GET", "/api/agencies", "agency.read",
         "Partner agencies (trusts, LAS, AMHP services, 111)",
         [&app](const CallPtr& c) {
           boost::json::array out;
           const auto kind = c->req().query.count("kind") ? c->req().query.at("kind") : "";
           for (const auto& a : app.ref().agencies) {
             if (kind.empty() || a.kind == kind) {
               out.push_back(AgencyJson(a, app.engine().policy().partners));
             }
           }
           c->Json(200, out);
         },
         false, "partners"});
  r.Add({"GET", "/api/sharing-agreements", "agreement.read",
         "Information-sharing agreements (partners see their own agency's)",
         [&app](const CallPtr& c) {
           const Timestamp now = app.engine().clock().Now();
           const bool partner = IsPartnerRole(c->user().role);
           auto out = app.engine().Read([&](const State& s) {
             boost::json::array a;
             for (const auto& [id, ag] : s.partners.agreements) {
               if (partner && ag.agency_id != c->user().agency_id) continue;
               a.push_back(AgreementJson(ag, now));
             }
             return a;
           });
           c->Json(200, out);
         },
         false, "partners"});
  r.Add(CommandRoute(app, "POST", "/api/sharing-agreements", "agreement.manage",
                     "Record an information-sharing agreement", "agreement.create", "partners"));
  r.Add(CommandRoute(app, "POST", "/api/sharing-agreements/{id}/revoke", "agreement.manage",
                     "Revoke an agreement (disclosure stops at once)", "agreement.revoke",
                     "partners"));
  r.Add(CommandRoute(app, "POST", "/api/incidents/{id}/referrals", "referral.create",
                     "Refer an incident to a partner agency (shares it with that agency)",
                     "referral.create", "partners"));
  r.Add(CommandRoute(app, "POST", "/api/referrals", "referral.raise",
                     "A partner's referral to the police", "referral.raise", "partners"));
  r.Add({"GET", "/api/referrals", "referral.read", "Referrals (a partner's inbox: its own); ?state=, ?direction=to_police|to_partner, ?incident=",
         [&app](const CallPtr& c) { ListReferrals(app, c); }, false, "partners"});
  for (const char* step : {"acknowledge", "accept", "decline", "complete"}) {
    r.Add(CommandRoute(app, "POST", std::string("/api/referrals/{id}/") + step, "referral.respond",
                       std::string("Referral: ") + step + " (the receiving agency)",
                       step == std::string("acknowledge") ? "referral.acknowledge"
                       : step == std::string("accept")    ? "referral.accept"
                       : step == std::string("decline")   ? "referral.decline"
                                                          : "referral.complete",
                       "partners"));
  }
  r.Add({"GET", "/api/register", "register.read", "Memoranda of understanding and protocols",
         [&app](const CallPtr& c) {
           const Timestamp now = app.engine().clock().Now();
           auto out = app.engine().Read([&](const State& s) {
             boost::json::array a;
             for (const auto& [id, e] : s.partners.register_entries) {
               a.push_back(RegisterEntryJson(e, now));
             }
             return a;
           });
           c->Json(200, out);
         },
         false, "partners"});
  r.Add(CommandRoute(app, "POST", "/api/register", "register.manage",
                     "Add a memorandum or protocol", "register.create", "partners"));
  r.Add({"GET", "/api/liaison-meetings", "register.read", "Liaison meetings and their actions",
         [&app](const CallPtr& c) {
           const Timestamp now = app.engine().clock().Now();
           auto out = app.engine().Read([&](const State& s) {
             boost::json::array a;
             for (const auto& [id, m] : s.partners.meetings) {
               a.push_back(MeetingJson(m, now, &app.ref()));
             }
             return a;
           });
           c->Json(200, out);
         },
         false, "partners"});
  r.Add(CommandRoute(app, "POST", "/api/liaison-meetings", "register.manage",
                     "Record a liaison meeting", "meeting.create", "partners"));
  r.Add(CommandRoute(app, "POST", "/api/liaison-meetings/{id}/actions/done", "register.manage",
                     "Mark a liaison action done", "meeting.action_done", "partners"));
  r.Add({"GET", "/api/audit/access", "audit.read",
         "The access log, newest first: who read or was disclosed what, when and why (user, "
         "what, from, to, limit up to 10,000)",
         [&app](const CallPtr& c) { AuditAccess(app, c); }, false, "audit"});
  r.Add({"GET", "/api/audit/verify", "audit.read",
         "Check the whole log's hash chain now, as `concordat verify` does: ok with the count and "
         "head hash, or the first broken or missing event and what is wrong with it",
         [&app](const CallPtr& c) { AuditVerify(app, c); }, false, "audit"});
}

}  // namespace concordat::api
