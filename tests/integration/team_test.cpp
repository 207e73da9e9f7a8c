// BCU mental-health teams through the HTTP API on the real server (demo seed on): a person
// crossing the repeat-demand threshold, the health-led review, the case with its owner and plan,
// demand before and after; organisation alerts for supervisors; the training CSV import with its
// report of rejected rows; crews' training on units; the learning recommendations register.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/app.hpp"
#include "core/time.hpp"
#include "store/access_log.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

constexpr double kLat = 51.5010;  // Westminster (BCU AW)
constexpr double kLon = -0.1420;
constexpr const char* kT0 = "2026-11-27T10:00:00Z";

std::string S(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

class TeamApi : public ::testing::Test {
 protected:
  TeamApi() : http_(server_.port()) {
    for (const char* role : {"controller", "supervisor", "mh_team", "analyst", "officer"}) {
      tokens_[role] = server_.Login(role);
    }
  }
  HttpResult Post(const std::string& role, const std::string& target, boost::json::value body) {
    return http_.Post(target, tokens_.at(role), body, "team-key-" + std::to_string(++key_));
  }
  boost::json::value MustPost(const std::string& role, const std::string& target,
                              boost::json::value body, int status = 200) {
    HttpResult r = Post(role, target, std::move(body));
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    return r.json;
  }
  boost::json::value Get(const std::string& role, const std::string& target, int status = 200) {
    HttpResult r = http_.Get(target, tokens_.at(role));
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    return r.json;
  }
  // A mental-health incident in Westminster received `hours_ago` hours before now.
  std::string Incident(int hours_ago, Timestamp now) {
    auto r = MustPost("controller", "/api/incidents",
                      {{"channel", "999"},
                       {"received_at", FormatIso(now - Hours(hours_ago))},
                       {"location",
                        {{"lat", kLat},
                         {"lon", kLon},
                         {"address", "Flat 1, 2 Test Street SW1A 1AA"},
                         {"type", "private_dwelling"}}},
                       {"type", "mental_health"},
                       {"grade", "S"},
                       {"flags", {"mental_health"}}},
                      201);
    return S(r.at("id"));
  }
  const boost::json::object* PersonIn(const boost::json::value& demand, const std::string& id) {
    for (const auto& p : demand.at("persons").as_array()) {
      if (S(p.at("person_id")) == id) return &p.as_object();
    }
    return nullptr;
  }

  TestServer server_;
  HttpClient http_;
  std::map<std::string, std::string> tokens_;
  int key_ = 0;
};

TEST_F(TeamApi, APersonCrossesTheThresholdIsReviewedAndBecomesACaseWithDemandBeforeAndAfter) {
  const Timestamp t0 = *ParseIso(kT0);
  auto person = MustPost("controller", "/api/persons",
                         {{"name", "Alex Integration"},
                          {"date_of_birth", "1980-02-03"},
                          {"address", "Flat 1, 2 Test St, London SW1A1AA"}},
                         201);
  const std::string pid = S(person.at("id"));
  EXPECT_EQ(S(person.at("address_key")), "1/2 TEST STREET SW1A 1AA");

  // Four contacts: under the threshold. A unit attends the fourth for an hour.
  std::vector<std::string> incidents;
  for (int h : {24 * 20, 24 * 12, 24 * 6, 2}) {
    incidents.push_back(Incident(h, t0));
    MustPost("controller", "/api/incidents/" + incidents.back() + "/persons", {{"person_id", pid}});
  }
  MustPost(
      "supervisor", "/api/units",
      {{"call_sign", "TM01"},
       {"bcu", "AW"},
       {"status", "available"},
       {"crew", {{{"collar", "TM01-1"}, {"rank", "PC"}}, {{"collar", "TM01-2"}, {"rank", "PC"}}}}},
      201);
  const std::string inc4 = incidents.back();
  MustPost("controller", "/api/incidents/" + inc4 + "/assignments",
           {{"unit_id", "unit-TM01"}, {"mode", "dispatched"}}, 201);
  MustPost("controller", "/api/incidents/" + inc4 + "/assignments/unit-TM01/state",
           {{"state", "at_scene"}});
  ASSERT_EQ(server_.Advance(3600).status, 200);
  MustPost("controller", "/api/incidents/" + inc4 + "/assignments/unit-TM01/state",
           {{"state", "left_scene"}});
  EXPECT_EQ(PersonIn(Get("mh_team", "/api/repeat-demand?bcu=AW"), pid), nullptr);
  EXPECT_EQ(Post("mh_team", "/api/hiu/flags",
                 {{"subject_type", "person"}, {"subject_id", pid}, {"reason", "early"}})
                .status,
            422);

  // The fifth contact crosses it.
  incidents.push_back(Incident(1, t0 + Hours(1)));
  MustPost("controller", "/api/incidents/" + incidents.back() + "/persons", {{"person_id", pid}});
  auto demand = Get("mh_team", "/api/repeat-demand?bcu=AW");
  const auto* row = PersonIn(demand, pid);
  ASSERT_NE(row, nullptr) << boost::json::serialize(demand);
  EXPECT_EQ(row->at("contacts").as_int64(), 5);
  EXPECT_DOUBLE_EQ(row->at("officer_hours").as_double(), 2.0);  // two officers, one hour
  EXPECT_EQ(row->at("incidents").as_array().size(), 5u);
  EXPECT_EQ(S(row->at("name")), "Alex Integration");
  // Seeing the person in the list is recorded against the person (DPA 2018 s62), so that the
  // access report for them shows it, not only against the list.
  {
    AccessQuery q;
    q.whats = {"person/" + pid};
    auto seen = server_.app().access().Query(q);
    ASSERT_TRUE(seen.ok());
    bool from_list = false;
    for (const auto& e : *seen) {
      from_list = from_list || (e.route == "/api/repeat-demand" && e.role == "mh_team");
    }
    EXPECT_TRUE(from_list) << seen->size() << " entries for person/" << pid;
  }
  // The analyst reads it; an officer may not; an unknown BCU is a named input error.
  EXPECT_EQ(http_.Get("/api/repeat-demand", tokens_["analyst"]).status, 200);
  EXPECT_EQ(http_.Get("/api/repeat-demand", tokens_["officer"]).status, 403);
  EXPECT_EQ(http_.Get("/api/repeat-demand?bcu=XX", tokens_["mh_team"]).status, 400);

  // Candidate → health-led review → case owned by AW's high-intensity intervention officer.
  auto flag = MustPost(
      "mh_team", "/api/hiu/flags",
      {{"subject_type", "person"}, {"subject_id", pid}, {"reason", "five in 20 days"}}, 201);
  const std::string fid = S(flag.at("id"));
  EXPECT_EQ(S(flag.at("status")), "candidate");
  // The review list: open flags by default (this one and the demo seed's in CS), filtered by
  // BCU and status.
  EXPECT_EQ(Get("mh_team", "/api/hiu/flags").at("count").as_int64(), 2);
  auto aw_flags = Get("mh_team", "/api/hiu/flags?bcu=AW");
  ASSERT_EQ(aw_flags.at("count").as_int64(), 1) << boost::json::serialize(aw_flags);
  EXPECT_EQ(S(aw_flags.at("flags").as_array()[0].at("id")), fid);
  EXPECT_EQ(Get("mh_team", "/api/hiu/flags?bcu=CS").at("count").as_int64(), 1);
  EXPECT_EQ(Get("mh_team", "/api/hiu/flags?bcu=CE").at("count").as_int64(), 0);
  EXPECT_EQ(Get("mh_team", "/api/hiu/flags?status=candidate").at("count").as_int64(), 2);
  EXPECT_EQ(Get("mh_team", "/api/hiu/flags?status=reviewed").at("count").as_int64(), 0);
  EXPECT_EQ(flag.at("evidence").at("contacts").as_int64(), 5);
  EXPECT_EQ(Post("analyst", "/api/hiu/flags/" + fid + "/review", {}).status, 403);
  EXPECT_EQ(Post("mh_team", "/api/hiu/flags/" + fid + "/decide",
                 {{"decision", "no_action"}, {"reason", "x"}})
                .status,
            422);
  MustPost("mh_team", "/api/hiu/flags/" + fid + "/review",
           {{"health_lead", "Dr B Psychiatrist"},
            {"health_organisation", "Central and North West London NHS FT"},
            {"lawful_basis", "UK GDPR Art 6(1)(e) and 9(2)(h); DPA 2018 Sch 1 para 2"},
            {"rationale", "Frequent crisis contacts; joint plan with the community team"},
            {"review_date", "2027-01-10"},
            {"expires_on", "2027-05-31"}});
  std::string owner;
  const boost::json::value org = Get("mh_team", "/api/team/organisation?bcu=AW");
  for (const auto& p : org.at("bcus").as_array()[0].at("posts").as_array()) {
    if (!p.at("holder").is_null() && S(p.at("holder").at("function")) == "high_intensity") {
      owner = S(p.at("holder").at("collar"));
    }
  }
  ASSERT_FALSE(owner.empty());
  auto cs =
      MustPost("mh_team", "/api/hiu/flags/" + fid + "/decide",
               {{"decision", "case"},
                {"reason", "agreed at the joint review"},
                {"owner_collar", owner},
                {"partner_leads",
                 {{{"name", "Dr B Psychiatrist"}, {"organisation", "CNWL"}, {"role", "lead"}}}}},
               201);
  const std::string cid = S(cs.at("id"));
  MustPost("mh_team", "/api/hiu/cases/" + cid + "/plan",
           {{"sara",
             {{"scanning", "5 contacts in 20 days"},
              {"analysis", "evening isolation"},
              {"response", "evening phone check-in by the community team"},
              {"assessment", "contacts and officer-hours, 30 days"}}}});
  MustPost("mh_team", "/api/hiu/cases/" + cid + "/actions",
           {{"text", "Joint visit"}, {"owner", owner}, {"due_on", "2026-12-05"}}, 201);
  MustPost("mh_team", "/api/hiu/cases/" + cid + "/actions/action-1/done", {{"note", "visited"}});

  // Twenty days later, one more contact: before (20 days) holds the five, after holds one.
  ASSERT_EQ(server_.Advance(20 * 24 * 3600).status, 200);
  const Timestamp now = t0 + Hours(1) + Hours(24 * 20);
  MustPost("controller", "/api/incidents/" + Incident(24, now) + "/persons", {{"person_id", pid}});
  auto view = Get("mh_team", "/api/hiu/cases/" + cid);
  EXPECT_EQ(S(view.at("owner").at("collar")), owner);
  EXPECT_EQ(S(view.at("sara").at("response")), "evening phone check-in by the community team");
  EXPECT_EQ(S(view.at("actions").as_array()[0].at("status")), "done");
  const auto& d = view.at("demand");
  EXPECT_DOUBLE_EQ(d.at("window_days").as_double(), 20.0);
  EXPECT_EQ(d.at("before").at("contacts").as_int64(), 4);  // the one 20 days before is outside
  EXPECT_DOUBLE_EQ(d.at("before").at("officer_hours").as_double(), 2.0);
  EXPECT_EQ(d.at("after").at("contacts").as_int64(), 1);
  EXPECT_EQ(d.at("change").at("contacts").as_int64(), -3);
  EXPECT_EQ(Get("analyst", "/api/hiu/cases?status=open").at("count").as_int64(), 1);
  EXPECT_EQ(Get("analyst", "/api/hiu/cases?status=closed").at("count").as_int64(), 0);
  EXPECT_EQ(Get("analyst", "/api/hiu/cases?bcu=CE").at("count").as_int64(), 0);
  EXPECT_EQ(S(Get("analyst", "/api/hiu/cases?bcu=AW").at("cases").as_array()[0].at("id")), cid);
}

// A record that does not exist is a 404 naming what was looked for, on every by-id read.
TEST_F(TeamApi, UnknownIdsAreNotFoundNamingTheKind) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/persons/person-none", "no person person-none"},
      {"/api/persons/person-none/matches", "no person person-none"},
      {"/api/hiu/flags/flag-none", "no flag flag-none"},
      {"/api/hiu/cases/case-none", "no case case-none"},
  };
  for (const auto& [target, message] : cases) {
    SCOPED_TRACE(target);
    auto body = Get("mh_team", target, 404);
    EXPECT_EQ(S(body.at("error").at("code")), "not_found");
    EXPECT_EQ(S(body.at("error").at("message")), message);
  }
}

TEST_F(TeamApi, SupervisorsSeeOrganisationAlertsFromTheDemoSeed) {
  auto org = Get("supervisor", "/api/team/organisation");
  EXPECT_EQ(org.at("bcus").as_array().size(), 12u);
  int no_liaison = 0, below = 0;
  for (const auto& b : org.at("bcus").as_array()) {
    no_liaison += b.at("has_liaison").as_bool() ? 0 : 1;
    below += b.at("below_strength").as_bool() ? 1 : 0;
  }
  EXPECT_EQ(no_liaison, 1);
  EXPECT_EQ(below, 1);
  int org_alerts = 0;
  const boost::json::value alerts1 = Get("supervisor", "/api/alerts?open=true");
  for (const auto& a : alerts1.as_array()) {
    if (S(a.at("type")) == "org_vacancy") {
      ++org_alerts;
      EXPECT_EQ(S(a.at("audience")), "supervisor");
    }
  }
  EXPECT_EQ(org_alerts, 2);
  EXPECT_EQ(Post("supervisor", "/api/team/posts/AW-liaison/vacate", {{"reason", "x"}}).status, 403);
  // A vacancy notified by the team shows to supervisors on the day.
  MustPost("mh_team", "/api/team/posts/AW-liaison/vacate", {{"reason", "transferred"}});
  int aw = 0;
  const boost::json::value alerts2 = Get("supervisor", "/api/alerts?open=true");
  for (const auto& a : alerts2.as_array()) {
    if (S(a.at("type")) == "org_vacancy" && S(a.at("data").at("bcu")) == "AW") ++aw;
  }
  EXPECT_EQ(aw, 1);
}

TEST_F(TeamApi, TrainingImportReportsRejectedRowsAndUnitsShowCrewTraining) {
  const std::string csv =
      "collar,name,bcu,course,completed_on\n"
      "AW-1001,Officer AW1001,AW,mh-one-day,2026-11-20\n"
      "AW-9999,Officer Unknown,AW,no-such-course,2026-11-20\n";
  auto send = [&](const std::string& query) {
    return http_.Send("POST", "/api/training/completions/import" + query, csv,
                      {{"Authorization", "Bearer " + tokens_["mh_team"]},
                       {"Content-Type", "text/csv"},
                       {"Idempotency-Key", "import-" + std::to_string(++key_)}});
  };
  HttpResult r = send("");
  ASSERT_EQ(r.status, 422) << r.body;
  const auto& rejected = r.json.at("error").at("details").at("rejected").as_array();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].at("line").as_int64(), 3);
  EXPECT_EQ(S(rejected[0].at("reason")), "unknown course 'no-such-course'");
  r = send("?mode=valid_rows&file_name=nov.csv");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("imported").as_int64(), 1);
  auto officer = Get("controller", "/api/training/officers/AW-1001");
  EXPECT_EQ(S(officer.at("mental_health").at("status")), "current");
  // The control room sees it on the unit the officer crews (AW11 in the demo seed).
  auto unit = Get("controller", "/api/units/unit-AW11");
  EXPECT_TRUE(unit.at("mental_health_trained_by_record").as_bool());
  EXPECT_EQ(S(unit.at("crew").as_array()[0].at("mental_health_training").at("status")), "current");
  EXPECT_EQ(Get("analyst", "/api/training/coverage").at("force").at("target").as_int64(), 10000);
  // The catalogue holds the course the import used; lists carry their count.
  const auto courses = Get("analyst", "/api/training/courses");
  bool listed = false;
  for (const auto& k : courses.at("courses").as_array()) listed |= S(k.at("id")) == "mh-one-day";
  EXPECT_TRUE(listed) << boost::json::serialize(courses);
  EXPECT_EQ(courses.at("count").as_int64(),
            static_cast<std::int64_t>(courses.at("courses").as_array().size()));
  EXPECT_EQ(Get("analyst", "/api/training/sessions?course_id=no-such-course")
                .at("sessions")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(http_
                .Send("POST", "/api/training/completions/import", csv,
                      {{"Authorization", "Bearer " + tokens_["controller"]}})
                .status,
            403);
}

TEST_F(TeamApi, LearningRecommendationsRegisterHoldsTheIopcResponses) {
  auto recs = Get("officer", "/api/learning-recommendations").at("recommendations").as_array();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(S(recs[0].at("number")), "2019/122222/001");
  EXPECT_EQ(S(recs[0].at("response")), "not_accepted_as_a_whole");
  EXPECT_EQ(S(recs[1].at("response")), "accepted");
  EXPECT_EQ(S(recs[2].at("response")), "not_accepted_in_current_form");
  for (const auto& r : recs) {
    EXPECT_EQ(S(r.at("reference")), "PC/2334/19");
    EXPECT_FALSE(r.at("rationale").as_string().empty());
    EXPECT_FALSE(r.at("actions").as_array().empty());
    EXPECT_FALSE(S(r.at("actions").as_array()[0].at("owner")).empty());
  }
  MustPost("mh_team", "/api/learning-recommendations/" + S(recs[1].at("id")) + "/update",
           {{"evidence", "Board review, December 2026"}});
  EXPECT_EQ(Post("officer", "/api/learning-recommendations/" + S(recs[1].at("id")) + "/update",
                 {{"status", "closed"}})
                .status,
            403);
}

}  // namespace
}  // namespace concordat::testing
