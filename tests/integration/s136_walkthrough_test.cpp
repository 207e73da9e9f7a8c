// A full s136 through the HTTP API, from the call to the outcome: triage, the decision with its
// legal checks, search, conveyance, arrival at an emergency department starting the clock, the
// handover wait alerted at 60 minutes, the trust updating its suite, a transfer that keeps the
// clock, the 4-hour alert, an extension moving the alerts, the outcome — with every alert arriving
// on the WebSocket stream at the right virtual time — and the Home Office return.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/csv.hpp"
#include "core/time.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

constexpr double kLat = 51.50081;  // Westminster Bridge
constexpr double kLon = -0.12186;
constexpr const char* kMaudsley = "pos-maudsley-hospital-denmark-hill";

class S136Walkthrough : public ::testing::Test {
 protected:
  S136Walkthrough() : http_(server_.port()) {
    controller_ = server_.Login("controller");
    officer_ = server_.Login("officer");
  }
  HttpResult Post(const std::string& token, const std::string& target, boost::json::object body) {
    return http_.Post(target, token, body, "walk-" + std::to_string(++key_));
  }
  boost::json::value Must(const std::string& token, const std::string& target,
                          boost::json::object body, int status = 200) {
    HttpResult r = Post(token, target, std::move(body));
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    return r.json;
  }
  Timestamp Now() { return *ParseIso(http_.Get("/api/health", "").json.at("now").as_string()); }
  void Advance(Timestamp t) {
    ASSERT_EQ(server_.Advance(static_cast<int>(t / kMicrosPerSecond)).status, 200);
  }
  // Alert events for `det` that the stream has delivered so far: (type/label, at).
  std::vector<std::pair<std::string, std::string>> StreamedAlerts(WsClient& ws,
                                                                  const std::string& det) {
    while (auto m = ws.Next(std::chrono::milliseconds(400))) {
      if (m->at("type") != "event" || m->at("event_type") != "alert.raised") continue;
      const auto& data = m->at("data").at("data").as_object();
      const auto* d = data.if_contains("detention_id");
      if (d == nullptr || *d != boost::json::value(det)) continue;
      std::string what(m->at("data").at("alert_type").as_string());
      if (const auto* label = data.if_contains("label")) {
        what += ":" + std::string(label->as_string());
      }
      streamed_.emplace_back(what, std::string(m->at("at").as_string()));
    }
    return streamed_;
  }

  TestServer server_;
  HttpClient http_;
  std::string controller_, officer_;
  int key_ = 0;
  std::vector<std::pair<std::string, std::string>> streamed_;
};

TEST_F(S136Walkthrough, FromCallToOutcomeWithAlertsOnTheStreamAtTheRightTimes) {
  WsClient ws;
  ASSERT_TRUE(ws.Connect(server_.port()));
  const auto since = http_.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
  ws.Send(boost::json::serialize(
      boost::json::object{{"type", "hello"}, {"token", controller_}, {"since", since}}));

  // The call and its RCRP triage.
  auto inc = Must(controller_, "/api/incidents",
                  {{"channel", "999"},
                   {"location",
                    {{"lat", kLat},
                     {"lon", kLon},
                     {"address", "Westminster Bridge"},
                     {"type", "public_place"}}},
                   {"type", "mental_health"},
                   {"grade", "I"},
                   {"flags", {"mental_health"}}},
                  201);
  const std::string inc_id(inc.at("id").as_string());
  auto triage = Must(controller_, "/api/incidents/" + inc_id + "/triage",
                     {{"call_type", "concern_for_welfare"},
                      {"threshold", "risk_to_life"},
                      {"rationale", "man on the parapet talking of jumping"},
                      {"caller_told", true}});
  EXPECT_TRUE(triage.at("police_attend").as_bool());

  // The decision: refused where the law says no, then made lawfully.
  boost::json::object decision{
      {"power", "s136"},
      {"location_type", "private_dwelling"},
      {"grounds",
       {{"mental_disorder", "psychotic"},
        {"care_or_control", "on the parapet"},
        {"necessity", "risk of drowning"}}},
      {"person", {{"age", 29}, {"sex", "male"}, {"ethnicity", "white"}}},
      {"consultation",
       {{"name", "Nurse Adebayo"}, {"role", "registered_nurse"}, {"advice", "agrees"}}}};
  HttpResult dwelling = Post(officer_, "/api/incidents/" + inc_id + "/detentions", decision);
  EXPECT_EQ(dwelling.status, 422);
  EXPECT_EQ(std::string(dwelling.json.at("error").at("message").as_string()).rfind("s136(1A):", 0),
            0u);
  EXPECT_EQ(Post(controller_, "/api/incidents/" + inc_id + "/detentions", decision).status, 403);
  decision["location_type"] = "public_place";
  auto det = Must(officer_, "/api/incidents/" + inc_id + "/detentions", decision, 201);
  const std::string id(det.at("id").as_string());
  const std::string base = "/api/detentions/" + id;
  EXPECT_TRUE(det.at("clock").at("started_at").is_null());

  // The nearest suitable place is suggested; the control room can read it all.
  auto view = http_.Get(base, controller_);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.json.at("suggested_places_of_safety").at("sites").as_array().at(0).at("site_id"),
            boost::json::value(kMaudsley));

  Must(officer_, base + "/search",
       {{"grounds", {{"danger", "threatened to cut himself"}, {"concealing", "hand in pocket"}}},
        {"extent", {"outer_clothing"}},
        {"items_found", "none"}});
  Must(officer_, base + "/place-of-safety",
       {{"kind", "emergency_department"}, {"site_id", "RJ122"}});
  const Timestamp asked = Now();
  Must(officer_, base + "/conveyance",
       {{"mode", "ambulance"},
        {"ambulance_requested_at", FormatIso(asked)},
        {"ambulance_eta", FormatIso(asked + Minutes(12))}});
  Advance(Minutes(25));

  // Arrival at the ED starts the clock.
  const Timestamp arrived = Now();
  auto at_ed = Must(officer_, base + "/arrival", {});
  EXPECT_EQ(at_ed.at("clock").at("started_at"), boost::json::value(FormatIso(arrived)));
  EXPECT_EQ(at_ed.at("clock").at("expires_at"), boost::json::value(FormatIso(arrived + Hours(24))));
  Must(officer_, base + "/handover", {{"stage", "requested"}, {"to", "ED nurse in charge"}});

  // No acceptance within the hour: handover_wait at exactly 60 minutes, with an escalation.
  Advance(Minutes(59));
  EXPECT_TRUE(StreamedAlerts(ws, id).empty());
  Advance(Minutes(1));
  auto alerts = StreamedAlerts(ws, id);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].first, "handover_wait");
  EXPECT_EQ(alerts[0].second, FormatIso(arrived + Minutes(60)));
  auto after_hour = http_.Get(base, officer_).json;
  EXPECT_EQ(after_hour.at("handover").at("escalations").as_array().size(), 1u);
  Must(officer_, base + "/handover", {{"stage", "accepted"}, {"by", "Charge Nurse Bello"}});
  Must(officer_, base + "/handover", {{"stage", "officers_left"}});

  // The trust reports a free suite at its HBPoS (and may not touch another trust's site).
  const std::string clinician = server_.Login("clinician");
  auto suite = Must(clinician, std::string("/api/places-of-safety/") + kMaudsley + "/availability",
                    {{"suites_free", 1}});
  EXPECT_EQ(suite.at("suites_free").as_int64(), 1);
  EXPECT_EQ(Post(clinician,
                 "/api/places-of-safety/pos-oxleas-house-queen-elizabeth-hospital-woolwich/"
                 "availability",
                 {{"suites_free", 1}})
                .status,
            403);
  EXPECT_EQ(http_.Get(base, clinician).status, 403);  // partners get nothing on detentions

  // Medically fit: transferred to the HBPoS. The clock keeps running from the ED arrival.
  Advance(Hours(2));
  auto moved = Must(officer_, base + "/transfer", {{"kind", "hbpos"}, {"site_id", kMaudsley}});
  EXPECT_EQ(moved.at("clock").at("started_at"), boost::json::value(FormatIso(arrived)));
  EXPECT_EQ(moved.at("place_of_safety").at("site_id"), boost::json::value(kMaudsley));
  for (const char* stage : {"requested", "accepted", "officers_left"}) {
    Must(officer_, base + "/handover",
         {{"stage", stage}, {"by", "HBPoS nurse"}, {"to", "HBPoS nurse"}});
  }

  // 4 hours before the end: s136_clock at arrival + 20 h.
  Advance(arrived + Hours(20) - Now());
  alerts = StreamedAlerts(ws, id);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].first, "s136_clock:4h");
  EXPECT_EQ(alerts[1].second, FormatIso(arrived + Hours(20)));

  // The examining doctor extends by 6 hours before the end: the alerts move with it.
  Advance(Hours(2));
  HttpResult bed = Post(officer_, base + "/extension",
                        {{"hours", 6},
                         {"reason", "awaiting_bed"},
                         {"clinical_reason", "x"},
                         {"doctor",
                          {{"name", "Dr Mensah"},
                           {"role", "registered_medical_practitioner"},
                           {"responsible_for_examination", true}}}});
  EXPECT_EQ(bed.status, 422);
  auto ext = Must(officer_, base + "/extension",
                  {{"hours", 6},
                   {"reason", "condition_of_person"},
                   {"clinical_reason", "too intoxicated to assess"},
                   {"doctor",
                    {{"name", "Dr Mensah"},
                     {"role", "registered_medical_practitioner"},
                     {"responsible_for_examination", true}}}});
  EXPECT_EQ(ext.at("clock").at("extended_until"),
            boost::json::value(FormatIso(arrived + Hours(30))));
  Advance(arrived + Hours(26) - Now());  // 4 h before the new end, and no 1 h alert at 23 h
  alerts = StreamedAlerts(ws, id);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[2].first, "s136_clock:4h");
  EXPECT_EQ(alerts[2].second, FormatIso(arrived + Hours(26)));

  // The live list shows it with its clock until the outcome ends it.
  auto live = http_.Get("/api/detentions?active=true", controller_).json;
  bool listed = false;
  for (const auto& d : live.at("detentions").as_array()) {
    listed = listed || d.at("id") == boost::json::value(id);
  }
  EXPECT_TRUE(listed);
  auto board = http_.Get("/api/board", controller_).json;
  EXPECT_FALSE(board.at("places_of_safety").as_array().empty());
  EXPECT_FALSE(board.at("detentions").as_array().empty());
  auto ended = Must(officer_, base + "/outcome", {{"outcome", "admitted_informally"}});
  EXPECT_EQ(ended.at("status"), "ended");
  Advance(Hours(6));  // past the extended end: no more alerts for it
  EXPECT_EQ(StreamedAlerts(ws, id).size(), 3u);
  auto after = http_.Get("/api/detentions?active=true", controller_).json;
  for (const auto& d : after.at("detentions").as_array()) {
    EXPECT_NE(d.at("id"), boost::json::value(id));
  }

  // Shared with the trust (its agreement covers the detention record), the clinician reads the
  // record without police-internal detail; the police view lists the referral.
  auto referral = Must(controller_, "/api/incidents/" + inc_id + "/referrals",
                       {{"agency_id", "trust-slam"}, {"type", "crisis_team"}}, 201);
  auto shared = http_.Get("/api/incidents/" + inc_id, server_.Login("clinician")).json;
  ASSERT_EQ(shared.at("detentions").as_array().size(), 1u) << shared;
  const auto& seen = shared.at("detentions").at(0).as_object();
  EXPECT_EQ(seen.at("id"), boost::json::value(id));
  EXPECT_EQ(seen.at("clock").at("extended_until"),
            boost::json::value(FormatIso(arrived + Hours(30))));
  EXPECT_FALSE(seen.contains("officer_collar"));
  EXPECT_FALSE(seen.contains("decided_by"));
  auto police = http_.Get("/api/incidents/" + inc_id, controller_).json;
  ASSERT_EQ(police.at("referrals").as_array().size(), 1u);
  EXPECT_EQ(police.at("referrals").at(0).at("id"), referral.at("id"));

  // The timeline and the Home Office return.
  auto full = http_.Get(base, controller_).json;
  std::vector<std::string> types;
  for (const auto& e : full.at("timeline").as_array()) types.emplace_back(e.at("type").as_string());
  for (const char* t : {"detention.created", "detention.searched", "detention.place_chosen",
                        "detention.conveyance_recorded", "detention.arrived",
                        "detention.transferred", "detention.extended", "detention.ended"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), t), types.end()) << t;
  }
  HttpResult csv = http_.Get("/api/reports/s136?year=2026", server_.Login("analyst"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["content-type"].rfind("text/csv", 0), 0u);
  auto table = ParseCsv(csv.body);
  ASSERT_TRUE(table.ok());
  bool found = false;
  for (const auto& row : table->rows) {
    if (row.fields[table->Column("detention_id")] != id) continue;
    found = true;
    EXPECT_EQ(row.fields[table->Column("age_band")], "25_34");
    EXPECT_EQ(row.fields[table->Column("first_place_of_safety")], "emergency_department");
    EXPECT_EQ(row.fields[table->Column("transport")], "ambulance");
  }
  EXPECT_TRUE(found) << csv.body;
  // The year is a whole year: not a fraction, not followed by anything.
  for (const char* bad : {"2026.5", "2026x", "", "99999999999"}) {
    EXPECT_EQ(
        http_.Get(std::string("/api/reports/s136?year=") + bad, server_.Login("analyst")).status,
        400)
        << bad;
  }
}

}  // namespace
}  // namespace concordat::testing
