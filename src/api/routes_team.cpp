// BCU mental-health team endpoints (issue 6): organisation, persons, repeat demand, HIU flags and
// cases, training, learning recommendations. Reads of personal and health data are recorded in
// the access log (DPA 2018 s62) before they are returned.
#include <boost/json.hpp>
#include <set>

#include "api/app.hpp"
#include "core/state.hpp"
#include "core/team.hpp"
#include "core/team_address.hpp"

namespace concordat::api {
namespace {

using CallPtr = std::shared_ptr<Call>;
using View = Result<boost::json::object>;

std::string Q(const Call& c, const char* key) {
  auto it = c.req().query.find(key);
  return it == c.req().query.end() ? std::string() : it->second;
}

Context Ctx(App& app) { return app.engine().MakeContext(app.engine().clock().Now()); }

// Every "person_id" in a rendered view, at any depth.
void CollectPersons(const boost::json::value& v, std::set<std::string>& out) {
  if (const auto* o = v.if_object()) {
    for (const auto& [k, x] : *o) {
      if (k == "person_id" && x.is_string() && !x.as_string().empty()) {
        out.insert(std::string(x.as_string()));
      } else {
        CollectPersons(x, out);
      }
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& x : *a) CollectPersons(x, out);
  }
}

// Renders a view from the state; with `what`, the read is recorded (DPA 2018 s62) first, for the
// stated justification or, without one, the purpose `why` — and so is each person the view
// names (`person/<id>`, as a read of that person's record is), so that the access report for a
// person shows that someone saw them in a list (repeat demand, HIU flags and cases), not only
// in their own record.
template <class F>
void Read(App& app, const CallPtr& c, F&& render, const std::string& what = "",
          const std::string& categories = "", const std::string& why = "") {
  const Context ctx = Ctx(app);
  View v = app.engine().Read([&](const State& s) -> View { return render(s, ctx); });
  if (!v.ok()) return c->Fail(v.error());
  if (!what.empty()) {
    std::string reason = App::Justification(*c);
    if (reason.empty()) reason = why;
    std::set<std::string> persons;
    CollectPersons(*v, persons);
    std::vector<std::string> whats{what};
    for (const auto& p : persons) {
      if ("person/" + p != what) whats.push_back("person/" + p);
    }
    if (auto st = app.RecordAccessMany(*c, whats, categories, reason); !st.ok())
      return c->Fail(st.error());
  }
  c->Json(200, *v);
}

// One record of a team map, found by the path's {id} (404 naming the kind otherwise), rendered
// and, like every read of personal data, recorded as `what_prefix` + id first.
template <class Map, class F>
void ReadById(App& app, const CallPtr& c, Map TeamState::*map, const char* kind, F&& render,
              const std::string& what_prefix, const std::string& categories,
              const std::string& why) {
  const std::string id = c->param("id");
  Read(
      app, c,
      [&](const State& s, const Context& ctx) -> View {
        const Map& m = s.team.*map;
        auto it = m.find(id);
        if (it == m.end()) return Error::NotFound(std::string("no ") + kind + " " + id);
        return render(s, it->second, ctx);
      },
      what_prefix + id, categories, why);
}

// The records of a team collection (`get`) that `keep` accepts, each rendered, as
// {"<key>": [...], "count": n}; with `what`, recorded like any read of personal data.
template <class Get, class Keep, class F>
void ReadList(App& app, const CallPtr& c, const char* key, Get&& get, Keep&& keep, F&& render,
              const std::string& what = "", const std::string& categories = "",
              const std::string& why = "") {
  Read(
      app, c,
      [&](const State& s, const Context& ctx) -> View {
        boost::json::array a;
        for (const auto& [id, item] : get(s)) {
          if (keep(item)) a.push_back(render(s, item, ctx));
        }
        return boost::json::object{{key, a}, {"count", a.size()}};
      },
      what, categories, why);
}

Status CheckBcu(App& app, const std::string& bcu) {
  if (!bcu.empty() && app.ref().FindBcu(bcu) == nullptr) {
    return Error::InvalidArgument("bcu", "no BCU " + bcu);
  }
  return OkStatus();
}

void AddOrganisation(App& app, Router& r) {
  r.Add({"GET", "/api/team/organisation", "team.read",
         "Mental Health Teams per BCU: posts, holders, vacancies, strength, alert conditions (bcu)",
         [&app](const CallPtr& c) {
           const std::string bcu = Q(*c, "bcu");
           if (auto st = CheckBcu(app, bcu); !st.ok()) return c->Fail(st.error());
           Read(app, c, [&](const State& s, const Context& ctx) -> View {
             return OrganisationJson(s, ctx, bcu);
           });
         },
         false, "team"});
  r.Add(CommandRoute(app, "POST", "/api/team/bcus/{id}/establish", "team.manage",
                     "Form a BCU's Mental Health Team with its initial holders", "team.establish",
                     "team"));
  r.Add(CommandRoute(app, "POST", "/api/team/posts/{id}/assign", "team.manage",
                     "Put an officer in a post (collar, name, rank, function)", "team.post_assign",
                     "team"));
  r.Add(CommandRoute(app, "POST", "/api/team/posts/{id}/vacate", "team.manage",
                     "A post falls vacant now, or at effective_at (reason)", "team.post_vacate",
                     "team"));
}

void AddPersons(App& app, Router& r) {
  r.Add(CommandRoute(
      app, "POST", "/api/persons", "person.create",
      "Record a person (name, date_of_birth, phone, address); replies with possible matches",
      "person.create", "persons"));
  r.Add({"GET", "/api/persons", "person.read", "Persons whose name contains q (q, limit)",
         [&app](const CallPtr& c) {
           const std::string q = NormaliseName(Q(*c, "q"));
           if (q.size() < 2) {
             return c->Fail(Error::InvalidArgument("q", "q must have at least two letters"));
           }
           Read(
               app, c,
               [&](const State& s, const Context&) -> View {
                 boost::json::array a;
                 for (const auto& [id, p] : s.team.persons) {
                   if (p.name_key.find(q) == std::string::npos) continue;
                   a.push_back({{"id", p.id},
                                {"name", p.name},
                                {"date_of_birth", p.date_of_birth},
                                {"address", p.address},
                                {"merged_into", p.merged_into}});
                   if (a.size() >= 100) break;
                 }
                 return boost::json::object{{"persons", a}, {"count", a.size()}};
               },
               "persons/search:" + q, "person_identity", "person search");
         },
         false, "persons"});
  r.Add({"GET", "/api/persons/{id}", "person.read",
         "A person: details, mental-health contacts, open flags, possible matches",
         [&app](const CallPtr& c) {
           ReadById(
               app, c, &TeamState::persons, "person",
               [](const State& s, const Person& p, const Context& ctx) -> View {
                 return PersonJson(s, p, ctx, true);
               },
               "person/", "person_identity,mental_health_flags", "person record");
         },
         false, "persons"});
  r.Add({"GET", "/api/persons/{id}/matches", "person.read",
         "Possible matches with their evidence (never merged automatically)",
         [&app](const CallPtr& c) {
           ReadById(
               app, c, &TeamState::persons, "person",
               [](const State& s, const Person& p, const Context&) -> View {
                 return boost::json::object{{"person_id", p.id},
                                            {"matches", PossibleMatchesJson(s, p)}};
               },
               "person/", "person_identity", "possible matches");
         },
         false, "persons"});
  r.Add(CommandRoute(app, "POST", "/api/persons/{id}/merge", "person.merge",
                     "Merge person_id into this record (reason)", "person.merge", "persons"));
  r.Add(CommandRoute(app, "POST", "/api/persons/{id}/split", "person.merge",
                     "Undo the merge of person_id into this record (reason)", "person.split",
                     "persons"));
  r.Add(CommandRoute(app, "POST", "/api/persons/{id}/not-same", "person.merge",
                     "Record that person_id is someone else, so it is not suggested again (reason)",
                     "person.not_same", "persons"));
}

void AddDemandAndHiu(App& app, Router& r) {
  r.Add({"GET", "/api/repeat-demand", "repeat_demand.read",
         "Persons and addresses over the repeat-demand thresholds, most officer-hours first (bcu)",
         [&app](const CallPtr& c) {
           const std::string bcu = Q(*c, "bcu");
           if (auto st = CheckBcu(app, bcu); !st.ok()) return c->Fail(st.error());
           Read(
               app, c,
               [&](const State& s, const Context& ctx) -> View {
                 return RepeatDemandJson(s, ctx, bcu);
               },
               "repeat-demand/" + (bcu.empty() ? std::string("force") : bcu),
               "person_identity,mental_health_flags", "repeat-demand review");
         },
         false, "repeat-demand"});
  r.Add({"GET", "/api/hiu/flags", "hiu.read",
         "Open HIU flags (bcu, status); expired flags are not shown",
         [&app](const CallPtr& c) {
           const std::string bcu = Q(*c, "bcu");
           const std::string status = Q(*c, "status");
           ReadList(
               app, c, "flags", [](const State& s) -> const auto& { return s.team.flags; },
               [&](const HiuFlag& f) {
                 if (f.status == "expired") return false;
                 if (status.empty() ? !f.Open() : f.status != status) return false;
                 return bcu.empty() || f.bcu == bcu;
               },
               FlagJson, "hiu/flags", "person_identity,health_information", "HIU flag review");
         },
         false, "hiu"});
  r.Add(CommandRoute(
      app, "POST", "/api/hiu/flags", "hiu.manage",
      "Raise a candidate flag for a person or address over a threshold (with the evidence)",
      "hiu.flag_raise", "hiu"));
  r.Add({"GET", "/api/hiu/flags/{id}", "hiu.read", "One flag with its evidence and reviews",
         [&app](const CallPtr& c) {
           ReadById(app, c, &TeamState::flags, "flag", FlagJson, "hiu/",
                    "person_identity,health_information", "HIU flag review");
         },
         false, "hiu"});
  r.Add(
      CommandRoute(app, "POST", "/api/hiu/flags/{id}/review", "hiu.manage",
                   "Health-led review: health_lead, health_organisation, lawful_basis, rationale, "
                   "review_date, expires_on",
                   "hiu.flag_review", "hiu"));
  r.Add(CommandRoute(
      app, "POST", "/api/hiu/flags/{id}/decide", "hiu.manage",
      "After review: decision case (owner_collar, partner_leads) or no_action, with reason",
      "hiu.flag_decide", "hiu"));
  r.Add({"GET", "/api/hiu/cases", "hiu.read", "HIU cases (bcu, status open|closed)",
         [&app](const CallPtr& c) {
           const std::string bcu = Q(*c, "bcu");
           const std::string status = Q(*c, "status");
           ReadList(
               app, c, "cases", [](const State& s) -> const auto& { return s.team.cases; },
               [&](const HiuCase& k) {
                 return (bcu.empty() || k.bcu == bcu) && (status.empty() || k.status == status);
               },
               CaseJson, "hiu/cases", "person_identity,health_information", "HIU case work");
         },
         false, "hiu"});
  r.Add({"GET", "/api/hiu/cases/{id}", "hiu.read",
         "A case: owner, partner leads, SARA plan, actions, demand before and after",
         [&app](const CallPtr& c) {
           ReadById(app, c, &TeamState::cases, "case", CaseJson, "hiu-case/",
                    "person_identity,health_information", "HIU case work");
         },
         false, "hiu"});
  r.Add(CommandRoute(app, "POST", "/api/hiu/cases/{id}/plan", "hiu.manage",
                     "Update owner_collar, partner_leads or the SARA plan", "hiu.case_plan",
                     "hiu"));
  r.Add(CommandRoute(app, "POST", "/api/hiu/cases/{id}/actions", "hiu.manage",
                     "Add an action (text, owner, due_on)", "hiu.case_action_add", "hiu"));
  r.Add(CommandRoute(app, "POST", "/api/hiu/cases/{id}/actions/{action_id}/done", "hiu.manage",
                     "Complete an action (note)", "hiu.case_action_done", "hiu", {"action_id"}));
  r.Add(CommandRoute(app, "POST", "/api/hiu/cases/{id}/close", "hiu.manage",
                     "Close the case (reason)", "hiu.case_close", "hiu"));
}

// The import takes the CSV as the body (text/csv, with ?mode= and ?file_name=) or as JSON
// {"csv","mode","file_name"}.
void ImportTraining(App& app, const CallPtr& c) {
  const std::string& raw = c->req().body;
  boost::json::object body;
  const size_t first = raw.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && raw[first] == '{') {
    boost::system::error_code ec;
    auto v = boost::json::parse(raw, ec);
    if (ec || !v.is_object()) {
      return c->Fail(Error::InvalidArgument("body", "the body is neither CSV nor a JSON object"));
    }
    body = v.as_object();
  } else {
    body["csv"] = raw;
    if (auto m = Q(*c, "mode"); !m.empty()) body["mode"] = m;
    if (auto f = Q(*c, "file_name"); !f.empty()) body["file_name"] = f;
  }
  app.Submit(c, "training.import", "", std::move(body));
}

void AddTraining(App& app, Router& r) {
  r.Add({"GET", "/api/training/courses", "training.read", "The course catalogue",
         [&app](const CallPtr& c) {
           ReadList(
               app, c, "courses",
               [](const State& s) -> const auto& { return s.team.training.courses; },
               [](const auto&) { return true; },
               [](const State&, const auto& k, const Context&) { return CourseJson(k); });
         },
         false, "training"});
  r.Add(CommandRoute(app, "POST", "/api/training/courses", "training.manage",
                     "Add a course (id, title, kind, refresh_months, counts_for_coverage)",
                     "training.course_create", "training"));
  r.Add({"GET", "/api/training/sessions", "training.read", "Sessions (bcu, course_id)",
         [&app](const CallPtr& c) {
           const std::string bcu = Q(*c, "bcu");
           const std::string course = Q(*c, "course_id");
           ReadList(
               app, c, "sessions",
               [](const State& s) -> const auto& { return s.team.training.sessions; },
               [&](const auto& t) {
                 return (bcu.empty() || t.bcu == bcu) && (course.empty() || t.course_id == course);
               },
               [](const State&, const auto& t, const Context&) { return SessionJson(t); });
         },
         false, "training"});
  r.Add(CommandRoute(
      app, "POST", "/api/training/sessions", "training.manage",
      "Add a session (course, date, BCU, facilitators, partner co-facilitators, service-user "
      "input)",
      "training.session_create", "training"));
  r.Add(
      CommandRoute(app, "POST", "/api/training/completions", "training.manage",
                   "Record one completion (collar, name, bcu, course_id, completed_on, session_id)",
                   "training.completion_record", "training"));
  r.Add({"POST", "/api/training/completions/import", "training.manage",
         "Import completions from CSV (collar,name,bcu,course,completed_on[,session_id]); "
         "rejected rows are reported by line; all or nothing unless mode=valid_rows",
         [&app](const CallPtr& c) { ImportTraining(app, c); }, false, "training"});
  r.Add({"GET", "/api/training/officers/{id}", "training.read",
         "One officer's training by collar: courses, refreshers due, completions",
         [&app](const CallPtr& c) {
           const std::string id = c->param("id");
           Read(app, c, [&](const State& s, const Context& ctx) -> View {
             auto it = s.team.training.officers.find(id);
             if (it == s.team.training.officers.end()) {
               return Error::NotFound("no training recorded for " + id);
             }
             return TrainingOfficerJson(s, it->second, ctx);
           });
         },
         false, "training"});
  r.Add({"GET", "/api/training/due", "training.read",
         "Officers whose refreshers are due or overdue (bcu, status due|overdue)",
         [&app](const CallPtr& c) {
           const std::string bcu = Q(*c, "bcu");
           const std::string status = Q(*c, "status");
           if (!status.empty() && status != "due" && status != "overdue") {
             return c->Fail(Error::InvalidArgument("status", "status must be due or overdue"));
           }
           Read(app, c, [&](const State& s, const Context& ctx) -> View {
             return TrainingDueJson(s, ctx, bcu, status);
           });
         },
         false, "training"});
  r.Add({"GET", "/api/training/coverage", "training.read",
         "Officers with in-date mental-health training per BCU against target",
         [&app](const CallPtr& c) {
           Read(app, c, [](const State& s, const Context& ctx) -> View {
             return TrainingCoverageJson(s, ctx);
           });
         },
         false, "training"});
}

void AddLearning(App& app, Router& r) {
  r.Add({"GET", "/api/learning-recommendations", "learning.read",
         "External recommendations, the force's responses, actions, evidence and status",
         [&app](const CallPtr& c) {
           ReadList(
               app, c, "recommendations",
               [](const State& s) -> const auto& { return s.team.learning; },
               [](const auto&) { return true; },
               [](const State&, const auto& rec, const Context&) { return LearningJson(rec); });
         },
         false, "learning"});
  r.Add(CommandRoute(app, "POST", "/api/learning-recommendations", "learning.manage",
                     "Register a recommendation", "learning.create", "learning"));
  r.Add(CommandRoute(
      app, "POST", "/api/learning-recommendations/{id}/update", "learning.manage",
      "Update status, add evidence, or update an action (action{index,status,evidence})",
      "learning.update", "learning"));
}

}  // namespace

void AddTeamRoutes(App& app) {
  Router& r = app.mutable_router();
  AddOrganisation(app, r);
  AddPersons(app, r);
  AddDemandAndHiu(app, r);
  AddTraining(app, r);
  AddLearning(app, r);
}

}  // namespace concordat::api
