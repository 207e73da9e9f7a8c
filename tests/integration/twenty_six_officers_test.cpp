// The case behind the IOPC recommendations, replayed through the HTTP API: an officer at a
// mental-health incident presses the emergency button and officers keep self-deploying. Every
// deployment must be recorded, the advisory given, over-attendance flagged with a correct
// stand-down list, stand-down must work, and units at the scene without a status update must be
// prompted and then reported — at the configured virtual times — with the timeline showing it all.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

constexpr double kLat = 51.5010;  // Westminster (BCU AW)
constexpr double kLon = -0.1420;
double East(double metres) { return kLon + metres / 69'400.0; }
std::string Unit(int n) { return "unit-TS" + std::string(n < 10 ? "0" : "") + std::to_string(n); }
std::string CallSign(int n) { return "TS" + std::string(n < 10 ? "0" : "") + std::to_string(n); }

class TwentySixOfficers : public ::testing::Test {
 protected:
  TwentySixOfficers() : http_(server_.port()) {
    token_ = server_.Login("controller");
    supervisor_ = server_.Login("supervisor");
  }
  void AddUnit(const std::string& call_sign, const std::string& status) {
    HttpResult r = http_.Post("/api/units", supervisor_,
                              boost::json::object{{"call_sign", call_sign},
                                                  {"bcu", "AW"},
                                                  {"status", status},
                                                  {"crew", boost::json::array{{{"collar", call_sign + "-1"},
                                                                               {"rank", "PC"}}}}},
                              "unit-" + call_sign);
    EXPECT_EQ(r.status, 201) << r.body;
  }

  HttpResult Post(const std::string& target, boost::json::object body) {
    return http_.Post(target, token_, body, "key-" + std::to_string(++key_));
  }
  HttpResult MustPost(const std::string& target, boost::json::object body, int status = 200) {
    HttpResult r = Post(target, std::move(body));
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    return r;
  }
  void Fix(int n, double lat, double lon) {
    MustPost("/api/units/" + Unit(n) + "/location", {{"lat", lat}, {"lon", lon}});
  }
  void Advance(int seconds) { ASSERT_EQ(server_.Advance(seconds).status, 200); }
  // A grade S concern for welfare at the scenario's place; its id.
  std::string WelfareIncident() {
    HttpResult r = MustPost("/api/incidents",
                            {{"channel", "101"},
                             {"location", {{"lat", kLat}, {"lon", kLon}, {"type", "public_place"}}},
                             {"type", "concern_for_welfare"},
                             {"grade", "S"}},
                            201);
    return std::string(r.json.at("id").as_string());
  }

  TestServer server_;
  HttpClient http_;
  std::string token_;
  std::string supervisor_;
  int key_ = 0;
};

TEST_F(TwentySixOfficers, EveryDeploymentRecordedAdvisedGovernedAndPrompted) {
  // The demo's own units' fixes go stale (30 min) so only this scenario's units are ranked.
  Advance(31 * 60);
  WsClient ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  auto health = http_.Get("/api/health", "");
  const auto since = health.json.at("log_seq").to_number<std::uint64_t>();
  ws.Send(boost::json::serialize(
      boost::json::object{{"type", "hello"}, {"token", token_}, {"since", since}}));

  // 32 response units strung out east of the scene, 300 m apart; TU01/TU02 are never assigned.
  for (int n = 1; n <= 32; ++n) {
    const std::string cs = n <= 30 ? CallSign(n) : "TU0" + std::to_string(n - 30);
    AddUnit(cs, "available");
    MustPost("/api/units/unit-" + cs + "/location", {{"lat", kLat}, {"lon", East(300.0 * n)}});
  }

  // The mental-health incident: two units dispatched, both at scene.
  HttpResult mh = MustPost("/api/incidents",
                           {{"channel", "999"},
                            {"caller", {{"name", "Ward manager"}, {"phone", "020 7000 0000"}}},
                            {"location", {{"lat", kLat}, {"lon", kLon}, {"address", "St James's Park"},
                                          {"type", "public_place"}}},
                            {"type", "mental_health"},
                            {"grade", "I"},
                            {"flags", {"mental_health", "vulnerability", "children"}},
                            {"description", "17-year-old patient absent from escorted leave"}},
                           201);
  const std::string mh_id(mh.json.at("id").as_string());
  for (int n : {1, 2}) {
    MustPost("/api/incidents/" + mh_id + "/assignments", {{"unit_id", Unit(n)}, {"mode", "dispatched"}},
             201);
    Fix(n, kLat, kLon);
    MustPost("/api/incidents/" + mh_id + "/assignments/" + Unit(n) + "/state", {{"state", "at_scene"}});
  }

  // One officer presses the emergency button.
  HttpResult em = MustPost("/api/units/" + Unit(1) + "/emergency", {}, 201);
  const std::string em_id(em.json.at("id").as_string());
  EXPECT_EQ(em.json.at("type").as_string(), "officer_assistance");
  EXPECT_TRUE(em.json.at("resourced").as_bool());
  std::set<std::string> dispatched;
  for (const auto& a : em.json.at("assignments").as_array()) {
    if (a.at("mode") == "dispatched") dispatched.insert(std::string(a.at("unit_id").as_string()));
  }
  // Four in all: TS02, already at the scene on the MH incident, joins the emergency and counts
  // towards them, so only the nearest three available are sent, TS03..TS05.
  EXPECT_EQ(dispatched, (std::set<std::string>{Unit(2), Unit(3), Unit(4), Unit(5)}));

  // Self-deployments begin. Every one is told the call is resourced, and needs a reason.
  const std::string assign = "/api/incidents/" + em_id + "/assignments";
  auto self_deploy = [&](int n) {
    HttpResult refused = Post(assign, {{"unit_id", Unit(n)}, {"mode", "self_deployed"}});
    EXPECT_EQ(refused.status, 422) << CallSign(n) << " " << refused.body;
    EXPECT_EQ(refused.json.at("error").at("field").as_string(), "confirm");
    EXPECT_TRUE(refused.json.at("error").at("details").at("advisory").is_object());
    MustPost(assign, {{"unit_id", Unit(n)}, {"mode", "self_deployed"}, {"confirm", true},
                      {"reason", "heard the emergency on the radio"}},
             201);
    Advance(10);
  };
  self_deploy(7);
  self_deploy(8);
  self_deploy(9);  // 7 helping (the presser is the one helped) > 4 recommended + 2 tolerance
  auto board = http_.Get("/api/board", token_);
  const boost::json::value* over = nullptr;
  for (const auto& a : board.json.at("alerts").as_array()) {
    if (a.at("type") == "over_attendance" && a.at("incident_id") == boost::json::value(em_id)) over = &a;
  }
  ASSERT_NE(over, nullptr) << board.body;
  // Stand-down list: not at scene, furthest first, enough to return to 4.
  std::vector<std::string> suggested;
  for (const auto& u : over->at("unit_ids").as_array()) suggested.emplace_back(u.as_string());
  EXPECT_EQ(suggested, (std::vector<std::string>{Unit(9), Unit(8), Unit(7)}));
  const std::string over_id(over->at("id").as_string());
  HttpResult sd = MustPost("/api/incidents/" + em_id + "/stand-down", {{"alert_id", over_id}});
  for (const auto& a : sd.json.at("assignments").as_array()) {
    const std::string uid(a.at("unit_id").as_string());
    const bool surplus = uid == Unit(7) || uid == Unit(8) || uid == Unit(9);
    EXPECT_EQ(a.at("state").as_string() == "stood_down", surplus) << uid;
  }

  // More keep coming: 10..30. Six of them arrive without updating their status, one does it right.
  for (int n = 10; n <= 30; ++n) self_deploy(n);
  const auto arrival = http_.Get("/api/health", "").json.at("now");
  for (int n = 10; n <= 15; ++n) Fix(n, kLat, East(20));
  Fix(16, kLat, East(20));
  MustPost("/api/incidents/" + em_id + "/assignments/" + Unit(16) + "/state",
           {{"state", "at_scene"}});
  // Two units turn up with no assignment at all.
  MustPost("/api/units/unit-TU01/location", {{"lat", kLat}, {"lon", East(30)}});
  MustPost("/api/units/unit-TU02/location", {{"lat", kLat}, {"lon", East(40)}});

  auto count_alerts = [&](const std::string& type) {
    auto b = http_.Get("/api/alerts", token_);
    std::set<std::string> units;
    for (const auto& a : b.json.as_array()) {
      if (a.at("type") == boost::json::value(type)) {
        for (const auto& u : a.at("unit_ids").as_array()) units.insert(std::string(u.as_string()));
      }
    }
    return units;
  };
  Advance(119);
  EXPECT_TRUE(count_alerts("status_prompt").empty());
  EXPECT_TRUE(count_alerts("unrecorded_attendance").empty());
  Advance(1);  // two minutes after arriving
  std::set<std::string> prompted;
  for (int n = 10; n <= 15; ++n) prompted.insert(Unit(n));
  EXPECT_EQ(count_alerts("status_prompt"), prompted);  // not TS16: it updated its status
  EXPECT_EQ(count_alerts("unrecorded_attendance"),
            (std::set<std::string>{"unit-TU01", "unit-TU02"}));
  EXPECT_TRUE(count_alerts("status_not_updated").empty());
  Advance(180);  // three minutes after the prompt
  EXPECT_EQ(count_alerts("status_not_updated"), prompted);

  // The timeline has it all, in order.
  HttpResult inc = http_.Get("/api/incidents/" + em_id, token_);
  ASSERT_EQ(inc.status, 200);
  const auto& timeline = inc.json.at("timeline").as_array();
  std::uint64_t last = 0;
  std::map<std::string, int> counts;
  for (const auto& e : timeline) {
    const auto seq = e.at("seq").to_number<std::uint64_t>();
    EXPECT_GT(seq, last);
    last = seq;
    std::string type(e.at("type").as_string());
    if (type == "alert.raised") type += ":" + std::string(e.at("data").at("alert_type").as_string());
    counts[type]++;
  }
  EXPECT_EQ(counts["incident.created"], 1);
  EXPECT_EQ(counts["assignment.created"], 1 + 4 + 24);  // presser, dispatched, self-deployed
  EXPECT_EQ(counts["assignment.stood_down"], 3);
  EXPECT_EQ(counts["incident.resourced"], 1);
  EXPECT_GE(counts["alert.raised:over_attendance"], 1);
  EXPECT_EQ(counts["alert.raised:status_prompt"], 6);
  EXPECT_EQ(counts["alert.raised:status_not_updated"], 6);
  int after_advisory = 0;
  for (const auto& a : inc.json.at("assignments").as_array()) {
    after_advisory += a.at("after_advisory").as_bool() ? 1 : 0;
  }
  EXPECT_EQ(after_advisory, 24);
  // The four (TS02 joined, three sent) and the 21 still deployed: the presser is the one they
  // came to help.
  EXPECT_EQ(inc.json.at("attending_count").as_int64(), 4 + 21);
  // A helper was there at the press: TS02, at the scene of the mental-health incident, joined the
  // emergency at scene. (That the presser alone does not stop the clock is
  // GovernanceTest.AnEmergencyIsAtThePressersFixAndThePresserIsNotAHelper.)
  EXPECT_EQ(inc.json.at("first_arrival_at").as_string(), inc.json.at("received_at").as_string());
  // The two unassigned units are counted once, at the co-located incident whose timer fired
  // first (the mental-health one): never twice.
  HttpResult parent = http_.Get("/api/incidents/" + mh_id, token_);
  EXPECT_EQ(parent.json.at("present_unassigned").as_array().size() +
                inc.json.at("present_unassigned").as_array().size(),
            2u);

  // The stream carried the same alerts live, in sequence order.
  std::map<std::string, int> streamed;
  std::uint64_t stream_last = since;
  while (auto m = ws.Next(std::chrono::milliseconds(500))) {
    if (m->at("type") != "event") continue;
    const auto seq = m->at("seq").to_number<std::uint64_t>();
    EXPECT_GT(seq, stream_last);
    stream_last = seq;
    if (m->at("event_type") == "alert.raised") {
      streamed[std::string(m->at("data").at("alert_type").as_string())]++;
    }
  }
  EXPECT_EQ(streamed["status_prompt"], 6);
  EXPECT_EQ(streamed["status_not_updated"], 6);
  EXPECT_EQ(streamed["unrecorded_attendance"], 2);
  EXPECT_GE(streamed["over_attendance"], 1);
  (void)arrival;
}

TEST_F(TwentySixOfficers, InvalidTransitionsAreClientErrorsThatChangeNothing) {
  const std::string id = WelfareIncident();
  AddUnit("ZZ1", "off_duty");
  AddUnit("ZZ2", "available");
  const auto head = http_.Get("/api/health", "").json.at("log_seq");
  EXPECT_EQ(Post("/api/incidents/" + id + "/assignments/unit-ZZ2/state", {{"state", "at_scene"}}).status,
            422);
  EXPECT_EQ(Post("/api/incidents/" + id + "/assignments", {{"unit_id", "unit-ZZ1"},
                                                          {"mode", "dispatched"}}).status,
            422);
  EXPECT_EQ(Post("/api/incidents/nope/assignments", {{"unit_id", "unit-ZZ2"},
                                                     {"mode", "dispatched"}}).status,
            404);
  EXPECT_EQ(http_.Get("/api/health", "").json.at("log_seq"), head);
  MustPost("/api/incidents/" + id + "/close", {{"result_code", "no_trace"}, {"summary", "gone"}});
  HttpResult twice = Post("/api/incidents/" + id + "/close", {{"result_code", "x"}, {"summary", "y"}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json.at("error").at("code").as_string(), "conflict");
}

// The board lists the open incidents and those closed in the last half hour, in id order, and
// drops a closed one once its half hour has passed (and shows it again if it is reopened).
TEST_F(TwentySixOfficers, TheBoardShowsAClosedIncidentForHalfAnHourOnly) {
  const auto board_ids = [&] {
    std::vector<std::string> ids;
    for (const auto& i : http_.Get("/api/board", token_).json.at("incidents").as_array()) {
      ids.emplace_back(i.at("id").as_string());
    }
    return ids;
  };
  const auto shown = [&](const std::string& id) {
    const auto ids = board_ids();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  const std::string closed = WelfareIncident();
  const std::string open = WelfareIncident();
  MustPost("/api/incidents/" + closed + "/close",
           {{"result_code", "no_trace"}, {"summary", "gone"}});
  Advance(29 * 60);
  EXPECT_TRUE(shown(closed));
  EXPECT_TRUE(shown(open));
  const auto ids = board_ids();
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // the incidents' own (id) order
  Advance(2 * 60);
  EXPECT_FALSE(shown(closed));
  EXPECT_TRUE(shown(open));
  MustPost("/api/incidents/" + closed + "/reopen", {{"reason", "caller rang again"}});
  EXPECT_TRUE(shown(closed));
}

}  // namespace
}  // namespace concordat::testing
