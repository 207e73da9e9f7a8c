// The derived indexes the simulator's year exposed the need for (open incidents, alerts by
// incident): kept in step by apply, rebuilt from a snapshot, and giving the same answers as the
// scans they replace.
#include "cad_fixture.hpp"

namespace concordat::testing {
namespace {

class CadIndexTest : public CadTest {};

TEST_F(CadIndexTest, OpenIncidentsFollowCloseAndReopenAndSurviveASnapshot) {
  const std::string a = CreateIncident(kLat, kLon);
  const std::string b = CreateIncident(kLat, LonPlusMetres(2000));
  MustRun("incident.close", a, {{"result_code", "resolved"}, {"summary", "done"}});
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.open_ids, (std::set<std::string>{b}));
  });
  MustRun("incident.reopen", a, {{"reason", "caller rang back"}});
  const State restored = Read([&](const State& s) {
    EXPECT_EQ(s.cad.open_ids, (std::set<std::string>{a, b}));
    return *State::FromJson(s.ToJson());
  });
  EXPECT_EQ(restored.cad.open_ids, (std::set<std::string>{a, b}));
}

TEST_F(CadIndexTest, AnIncidentShowsItsAlertsOnlyAndAfterASnapshot) {
  const std::string id = CreateIncident(kLat, kLon);  // 2 recommended, tolerance 2
  const std::string other = CreateIncident(kLat, LonPlusMetres(3000));
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  for (int k = 0; k < 5; ++k) {
    const std::string u = CreateUnit("AW5" + std::to_string(k), kLat, LonPlusMetres(200 * k + 100));
    ASSERT_TRUE(Assign(id, u, k < 2 ? "dispatched" : "self_deployed", why).ok);
  }
  ASSERT_EQ(AlertsOfType("over_attendance").size(), 1u);
  // A sixth unit: still one open over-attendance alert for the incident.
  ASSERT_TRUE(Assign(id, CreateUnit("AW59", kLat, LonPlusMetres(900)), "self_deployed", why).ok);
  EXPECT_EQ(AlertsOfType("over_attendance").size(), 1u);
  Read([&](const State& s) {
    const auto view = IncidentJson(s, s.cad.incidents.at(id), policy_, clock_.Now());
    ASSERT_EQ(view.at("alerts").as_array().size(), 1u);
    EXPECT_EQ(view.at("alerts").as_array()[0].at("type").as_string(), "over_attendance");
    const auto none = IncidentJson(s, s.cad.incidents.at(other), policy_, clock_.Now());
    EXPECT_TRUE(none.at("alerts").as_array().empty());
    const State restored = *State::FromJson(s.ToJson());
    EXPECT_EQ(restored.alerts.by_incident, s.alerts.by_incident);
    EXPECT_EQ(boost::json::serialize(
                  IncidentJson(restored, restored.cad.incidents.at(id), policy_, clock_.Now())),
              boost::json::serialize(view));
  });
}

}  // namespace
}  // namespace concordat::testing
