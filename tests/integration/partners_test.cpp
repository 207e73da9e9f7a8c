// Partners through the HTTP API and the stream: who sees which incident and which fields, that a
// declined referral and an expired agreement stop disclosure, and that every read is logged.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/app.hpp"
#include "store/access_log.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

class PartnersApi : public ::testing::Test {
 protected:
  PartnersApi() : http_(server_.port()) {
    for (const char* u : {"controller", "clinician", "amhp", "ambulance", "hub111", "auditor",
                          "officer", "analyst"}) {
      tokens_[u] = server_.Login(u);
    }
  }
  std::string NewIncident() {
    HttpResult r =
        http_.Post("/api/incidents", tokens_["controller"],
                   WelfareIncidentBody("Jo Bloggs", "07700 900001"), "inc-" + std::to_string(++n_));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json.at("id").as_string());
  }
  HttpResult Refer(const std::string& incident, const std::string& agency,
                   const std::string& type) {
    return http_.Post("/api/incidents/" + incident + "/referrals", tokens_["controller"],
                      boost::json::object{{"agency_id", agency}, {"type", type}},
                      "ref-" + std::to_string(++n_));
  }
  int Status(const std::string& user, const std::string& incident) {
    return http_.Get("/api/incidents/" + incident, tokens_[user]).status;
  }

  TestServer server_;
  HttpClient http_;
  std::map<std::string, std::string> tokens_;
  int n_ = 0;
};

TEST_F(PartnersApi, AgenciesSayWhichReferralsTheyTakeAndAMismatchIsA400) {
  HttpResult agencies = http_.Get("/api/agencies", tokens_["controller"]);
  ASSERT_EQ(agencies.status, 200);
  std::map<std::string, boost::json::array> takes;
  for (const auto& a : agencies.json.as_array()) {
    takes[std::string(a.at("id").as_string())] = a.at("referral_types").as_array();
  }
  EXPECT_EQ(takes.at("trust-slam"),
            (boost::json::array{"crisis_team", "safeguarding", "street_triage"}));
  EXPECT_EQ(takes.at("las"), boost::json::array{"ambulance_conveyance"});
  EXPECT_EQ(takes.at("nhs111-mh-london"), boost::json::array{"nhs111_hub"});
  EXPECT_EQ(takes.at("amhp-lambeth"), (boost::json::array{"amhp_assessment", "safeguarding"}));
  EXPECT_TRUE(takes.at("partnership-sel").empty());

  const std::string id = NewIncident();
  HttpResult wrong = Refer(id, "nhs111-mh-london", "street_triage");
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.json.at("error").at("field"), "type") << wrong.body;
  EXPECT_EQ(http_.Get("/api/referrals?incident=" + id, tokens_["controller"])
                .json.at("referrals")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(Status("hub111", id), 404);  // nothing was shared by the refused referral
}

TEST_F(PartnersApi, EachPartnerSeesOnlyWhatIsSharedAndAgreed) {
  const std::string id = NewIncident();
  // Before any referral: partners get 404, police see everything.
  for (const char* p : {"clinician", "amhp", "ambulance", "hub111"})
    EXPECT_EQ(Status(p, id), 404) << p;
  EXPECT_EQ(Status("controller", id), 200);
  ASSERT_EQ(Refer(id, "trust-slam", "street_triage").status, 201);
  ASSERT_EQ(Refer(id, "las", "ambulance_conveyance").status, 201);
  EXPECT_EQ(Status("amhp", id), 404);
  EXPECT_EQ(Status("hub111", id), 404);
  // The trust's agreement covers every category; the ambulance service's does not cover identity.
  HttpResult slam = http_.Get("/api/incidents/" + id, tokens_["clinician"]);
  ASSERT_EQ(slam.status, 200);
  EXPECT_EQ(slam.json.at("caller").at("name").as_string(), "Jo Bloggs");
  EXPECT_TRUE(slam.json.as_object().contains("flags"));
  HttpResult las = http_.Get("/api/incidents/" + id, tokens_["ambulance"]);
  ASSERT_EQ(las.status, 200);
  EXPECT_FALSE(las.json.as_object().contains("caller"));
  EXPECT_TRUE(las.json.as_object().contains("location"));
  EXPECT_TRUE(las.json.as_object().contains("flags"));
  EXPECT_FALSE(las.json.as_object().contains("assignments"));
  EXPECT_FALSE(las.json.as_object().contains("timeline"));
  // Lists are filtered the same way; partners cannot read the board or units.
  auto list = http_.Get("/api/incidents", tokens_["ambulance"]);
  ASSERT_EQ(list.status, 200);
  for (const auto& i : list.json.at("incidents").as_array()) {
    EXPECT_FALSE(i.as_object().contains("caller"));
  }
  EXPECT_EQ(http_.Get("/api/board", tokens_["clinician"]).status, 403);
  EXPECT_EQ(http_.Get("/api/units", tokens_["clinician"]).status, 403);
  // No onward re-sharing by the receiver.
  EXPECT_EQ(
      http_
          .Post("/api/incidents/" + id + "/referrals", tokens_["clinician"],
                boost::json::object{{"agency_id", "amhp-lambeth"}, {"type", "amhp_assessment"}})
          .status,
      403);
}

TEST_F(PartnersApi, PartnerAcceptsAReferralAndDeclineWithdrawsTheShare) {
  const std::string id = NewIncident();
  HttpResult ref = Refer(id, "amhp-lambeth", "amhp_assessment");
  ASSERT_EQ(ref.status, 201);
  const std::string rid(ref.json.at("id").as_string());
  auto inbox = http_.Get("/api/referrals", tokens_["amhp"]);
  bool found = false;
  for (const auto& r : inbox.json.at("referrals").as_array())
    found |= r.at("id") == boost::json::value(rid);
  EXPECT_TRUE(found);
  // Another agency cannot act on it.
  EXPECT_EQ(
      http_.Post("/api/referrals/" + rid + "/accept", tokens_["clinician"], boost::json::object{})
          .status,
      403);
  EXPECT_EQ(
      http_.Post("/api/referrals/" + rid + "/acknowledge", tokens_["amhp"], boost::json::object{})
          .status,
      200);
  EXPECT_EQ(Status("amhp", id), 200);
  HttpResult declined = http_.Post("/api/referrals/" + rid + "/decline", tokens_["amhp"],
                                   boost::json::object{{"reason", "no grounds for assessment"}});
  EXPECT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(Status("amhp", id), 404);
}

TEST_F(PartnersApi, TheControlRoomReadsOnlyTheReferralsItAsksForAndOnlyThoseAreLogged) {
  const std::string id = NewIncident();
  ASSERT_EQ(Refer(id, "amhp-lambeth", "amhp_assessment").status, 201);
  ASSERT_EQ(Refer(NewIncident(), "las", "ambulance_conveyance").status, 201);
  HttpResult asked = http_.Post(
      "/api/referrals", tokens_["amhp"],
      boost::json::object{{"type", "police_assistance"}, {"note", "s135 warrant, 10:00"}});
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string to_police(asked.json.at("id").as_string());
  const std::string controller = server_.Login("controller");
  // The board counts it (no personal data) so the control room sees it before it is overdue.
  auto board = http_.Get("/api/board", controller);
  ASSERT_EQ(board.status, 200);
  EXPECT_EQ(board.json.at("referrals_to_police").at("unanswered").as_int64(), 1);
  EXPECT_EQ(board.json.at("referrals_to_police").at("overdue").as_int64(), 0);
  auto inbox = http_.Get("/api/referrals?direction=to_police", controller);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  ASSERT_EQ(inbox.json.at("count").as_int64(), 1);
  EXPECT_EQ(inbox.json.at("referrals").at(0).at("id"), boost::json::value(to_police));
  auto one = http_.Get("/api/referrals?incident=" + id, controller);
  ASSERT_EQ(one.json.at("count").as_int64(), 1);
  EXPECT_EQ(one.json.at("referrals").at(0).at("agency_id"), "amhp-lambeth");
  EXPECT_EQ(http_.Get("/api/referrals?direction=sideways", controller).status, 400);
  // The access log has the referrals read, not the others.
  auto log = http_.Get("/api/audit/access?what=referral/", server_.Login("auditor"));
  ASSERT_EQ(log.status, 200) << log.body;
  int controller_reads = 0;
  for (const auto& e : log.json.at("entries").as_array()) {
    if (e.at("user_id") == "user-controller") ++controller_reads;
  }
  EXPECT_EQ(controller_reads, 2);
  ASSERT_EQ(http_.Post("/api/referrals/" + to_police + "/acknowledge", controller,
                       boost::json::object{})
                .status,
            200);
  EXPECT_EQ(http_.Get("/api/board", controller)
                .json.at("referrals_to_police")
                .at("unanswered")
                .as_int64(),
            0);
}

TEST_F(PartnersApi, StreamCarriesOnlySharedIncidentsCutToTheAgreement) {
  const auto since = http_.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  ws.Send(boost::json::serialize(
      boost::json::object{{"type", "hello"}, {"token", tokens_["ambulance"]}, {"since", since}}));
  const std::string unshared = NewIncident();
  const std::string shared = NewIncident();
  ASSERT_EQ(Refer(shared, "las", "ambulance_conveyance").status, 201);
  int events = 0;
  bool saw_referral = false;
  while (auto m = ws.Next(std::chrono::milliseconds(700))) {
    if (m->at("type") != "event") continue;
    ++events;
    const std::string stream(m->at("stream").as_string());
    EXPECT_NE(stream, "incident/" + unshared);
    EXPECT_EQ(m->at("event_type").as_string().find("assignment."), std::string::npos);
    if (m->at("event_type") == "referral.sent") saw_referral = true;
    if (m->at("event_type") == "incident.created") {
      EXPECT_FALSE(m->at("data").as_object().contains("caller"));
    }
  }
  EXPECT_TRUE(saw_referral);
  EXPECT_GT(events, 0);
}

// Live fan-out shapes an event once per audience (here: the agency), but the disclosure is still
// logged once per connection that receives it, and never for one that does not.
TEST_F(PartnersApi, LiveStreamDisclosureIsLoggedForEachRecipient) {
  const auto since = http_.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
  const std::vector<std::string> users = {"ambulance", "ambulance", "clinician"};
  std::vector<WsClient> clients(users.size());
  for (size_t i = 0; i < users.size(); ++i) {
    ASSERT_TRUE(clients[i].Connect(server_.port()));
    clients[i].Send(boost::json::serialize(
        boost::json::object{{"type", "hello"}, {"token", tokens_[users[i]]}, {"since", since}}));
    bool ready = false;
    while (auto m = clients[i].Next(std::chrono::seconds(5))) {
      if (m->at("type") == "ready") {
        ready = true;
        break;
      }
    }
    ASSERT_TRUE(ready) << i;
  }
  const std::string id = NewIncident();
  HttpResult ref = Refer(id, "las", "ambulance_conveyance");
  ASSERT_EQ(ref.status, 201);
  const std::string what = "referral/" + std::string(ref.json.at("id").as_string());
  std::vector<int> received(users.size(), 0);
  for (size_t i = 0; i < users.size(); ++i) {
    while (auto m = clients[i].Next(std::chrono::milliseconds(700))) {
      if (m->at("type") == "event" && m->at("stream") == boost::json::value(what)) ++received[i];
    }
  }
  EXPECT_GT(received[0], 0);
  EXPECT_EQ(received[0], received[1]);
  EXPECT_EQ(received[2], 0);
  AccessQuery q;
  q.what_prefix = what;
  auto rows = server_.app().access().Query(q);
  ASSERT_TRUE(rows.ok());
  int logged = 0;
  for (const auto& r : *rows) {
    if (r.route != "stream") continue;
    EXPECT_EQ(r.role, "ambulance") << r.user_id;
    EXPECT_EQ(r.action, "disclosure");
    ++logged;
  }
  EXPECT_EQ(logged, received[0] + received[1]);
}

TEST_F(PartnersApi, ExpiredAgreementStopsDisclosureAtItsEnd) {
  const std::string id = NewIncident();
  ASSERT_EQ(Refer(id, "las", "ambulance_conveyance").status, 201);
  EXPECT_EQ(Status("ambulance", id), 200);
  // The demo agreement runs 335 days from the seed; move the virtual clock past its end.
  ASSERT_EQ(server_.Advance(336 * 24 * 3600).status, 200);
  tokens_["ambulance"] = server_.Login("ambulance");
  tokens_["controller"] = server_.Login("controller");
  EXPECT_EQ(Status("ambulance", id), 404);
}

TEST_F(PartnersApi, EveryReadIsInTheAccessLog) {
  const std::string id = NewIncident();
  ASSERT_EQ(Refer(id, "trust-slam", "street_triage").status, 201);
  ASSERT_EQ(Status("controller", id), 200);
  ASSERT_EQ(Status("clinician", id), 200);
  ASSERT_EQ(Status("clinician", id), 200);
  EXPECT_EQ(http_.Get("/api/audit/access", tokens_["controller"]).status, 403);
  HttpResult log = http_.Get("/api/audit/access?what=incident/" + id, tokens_["auditor"]);
  ASSERT_EQ(log.status, 200) << log.body;
  int consultations = 0, disclosures = 0;
  for (const auto& e : log.json.at("entries").as_array()) {
    if (e.at("action") == "consultation") ++consultations;
    if (e.at("action") == "disclosure") {
      ++disclosures;
      EXPECT_EQ(e.at("recipient").as_string(), "trust-slam");
    }
    EXPECT_FALSE(e.at("justification").as_string().empty());
  }
  EXPECT_EQ(consultations, 1);
  EXPECT_EQ(disclosures, 2);
}

// Spaces as a query string carries them.
std::string UrlEncode(std::string s) {
  for (size_t i = 0; (i = s.find(' ', i)) != std::string::npos;) s.replace(i, 1, "%20");
  return s;
}

// An auditor asks "who read Sam Taylor's record?" in their own words: a person's name, a bare id,
// a username.
TEST_F(PartnersApi, TheAuditorFindsReadsOfAPersonByNameAndAUserByUsername) {
  HttpResult p = http_.Post(
      "/api/persons", tokens_["controller"],
      boost::json::object{{"name", "Sam Taylor"}, {"date_of_birth", "1990-05-01"}}, "person-sam");
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string pid(p.json.at("id").as_string());
  ASSERT_EQ(http_.Get("/api/persons/" + pid, tokens_["controller"]).status, 200);
  const std::string auditor = tokens_["auditor"];
  for (const std::string& what :
       {std::string("Sam Taylor"), std::string("sam tay"), pid, "person/" + pid}) {
    HttpResult log = http_.Get("/api/audit/access?what=" + UrlEncode(what), auditor);
    ASSERT_EQ(log.status, 200) << what << ": " << log.body;
    ASSERT_GE(log.json.at("count").as_int64(), 1) << what << ": " << log.body;
    for (const auto& e : log.json.at("entries").as_array()) {
      EXPECT_EQ(e.at("what"), boost::json::value("person/" + pid)) << what;
    }
  }
  HttpResult named = http_.Get("/api/audit/access?what=" + UrlEncode("Sam Taylor"), auditor);
  EXPECT_EQ(named.json.at("matched_persons").at(0).at("name"), "Sam Taylor");
  // As the persons register reads names: a title and other case are set aside.
  HttpResult titled = http_.Get("/api/audit/access?what=" + UrlEncode("Mr SAM taylor"), auditor);
  EXPECT_EQ(titled.json.at("matched_persons").at(0).at("name"), "Sam Taylor") << titled.body;
  EXPECT_EQ(http_.Get("/api/audit/access?what=123", auditor).status, 400);
  HttpResult nobody = http_.Get("/api/audit/access?what=Nobody%20Atall", auditor);
  ASSERT_EQ(nobody.status, 200);
  EXPECT_EQ(nobody.json.at("count").as_int64(), 0);
  // A username finds the same entries as the id the log keeps.
  HttpResult by_name = http_.Get("/api/audit/access?user=controller&what=person/" + pid, auditor);
  HttpResult by_id =
      http_.Get("/api/audit/access?user=user-controller&what=person/" + pid, auditor);
  ASSERT_GE(by_name.json.at("count").as_int64(), 1) << by_name.body;
  EXPECT_EQ(by_name.json.at("entries"), by_id.json.at("entries"));
  HttpResult backwards =
      http_.Get("/api/audit/access?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", auditor);
  EXPECT_EQ(backwards.status, 400) << backwards.body;
}

// The auditor's view is the newest entries, newest first: with more entries than the limit, the
// latest reads are the ones shown (they were the ones left out).
TEST_F(PartnersApi, TheAccessLogShowsTheNewestEntriesFirst) {
  const std::string id = NewIncident();
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Status("controller", id), 200);
  HttpResult all = http_.Get("/api/audit/access?limit=10000", tokens_["auditor"]);
  ASSERT_EQ(all.status, 200) << all.body;
  const auto& entries = all.json.at("entries").as_array();
  ASSERT_GE(entries.size(), 4u);
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_GT(entries[i - 1].at("id").as_int64(), entries[i].at("id").as_int64());
  }
  HttpResult two = http_.Get("/api/audit/access?limit=2", tokens_["auditor"]);
  ASSERT_EQ(two.json.at("count").as_int64(), 2);
  EXPECT_EQ(two.json.at("entries").at(0).at("id"), entries[0].at("id"));
  EXPECT_EQ(two.json.at("entries").at(0).at("what"), boost::json::value("incident/" + id));
  for (const char* bad : {"0", "-1", "x", "10001"}) {
    EXPECT_EQ(http_.Get(std::string("/api/audit/access?limit=") + bad, tokens_["auditor"]).status,
              400)
        << bad;
  }
}

// A partner's list of shared incidents is a disclosure of each, logged with the categories its
// agreement let it see: the same as opening the incident logs.
TEST_F(PartnersApi, APartnersListIsLoggedWithTheCategoriesItDisclosed) {
  const std::string id = NewIncident();
  ASSERT_EQ(Refer(id, "trust-slam", "street_triage").status, 201);
  ASSERT_EQ(http_.Get("/api/incidents", tokens_["clinician"]).status, 200);
  ASSERT_EQ(Status("clinician", id), 200);
  HttpResult log = http_.Get("/api/audit/access?what=incident/" + id, tokens_["auditor"]);
  ASSERT_EQ(log.status, 200) << log.body;
  std::vector<std::string> categories;
  for (const auto& e : log.json.at("entries").as_array()) {
    if (e.at("action") == "disclosure") categories.emplace_back(e.at("categories").as_string());
  }
  ASSERT_EQ(categories.size(), 2u) << log.body;
  EXPECT_EQ(categories[0], categories[1]) << "the list and the incident disclosed the same";
  EXPECT_NE(categories[0].find("incident_summary"), std::string::npos) << categories[0];
}

TEST_F(PartnersApi, ClosedIncidentOutsideCurrentWorkNeedsAJustification) {
  const std::string id = NewIncident();
  ASSERT_EQ(http_
                .Post("/api/incidents/" + id + "/close", tokens_["controller"],
                      boost::json::object{{"result_code", "advice"}, {"summary", "done"}})
                .status,
            200);
  ASSERT_EQ(server_.Advance(25 * 3600).status, 200);
  tokens_["analyst"] = server_.Login("analyst");
  HttpResult r = http_.Get("/api/incidents/" + id, tokens_["analyst"]);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json.at("error").at("field").as_string(), "justification");
  EXPECT_EQ(http_
                .Get("/api/incidents/" + id + "?justification=complaint%20review%2012",
                     tokens_["analyst"])
                .status,
            200);
}

TEST_F(PartnersApi, AgenciesAndAgreementsAreListed) {
  auto agencies = http_.Get("/api/agencies", tokens_["clinician"]);
  ASSERT_EQ(agencies.status, 200);
  int trusts = 0, amhp = 0;
  for (const auto& a : agencies.json.as_array()) {
    if (a.at("kind") == "mental_health_trust") ++trusts;
    if (a.at("kind") == "amhp_service") ++amhp;
  }
  EXPECT_EQ(trusts, 10);  // nine of 2021 plus the merged North London NHS FT
  EXPECT_EQ(amhp, 32);
  auto mine = http_.Get("/api/sharing-agreements", tokens_["clinician"]);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json.as_array().size(), 1u);  // only its own agency's
  EXPECT_EQ(mine.json.as_array()[0].at("agency_id").as_string(), "trust-slam");
  EXPECT_TRUE(mine.json.as_array()[0].at("active").as_bool());
}

}  // namespace
}  // namespace concordat::testing
