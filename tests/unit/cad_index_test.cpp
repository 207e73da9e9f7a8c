// The derived indexes the simulator's year exposed the need for (open incidents, alerts by
// incident): kept in step by apply, rebuilt from a snapshot, and giving the same answers as the
// scans they replace.
#include <set>

#include "cad_fixture.hpp"

namespace concordat::testing {
namespace {

class CadIndexTest : public CadTest {};

TEST_F(CadIndexTest, OpenIncidentsFollowCloseAndReopenAndSurviveASnapshot) {
  const std::string a = CreateIncident(kLat, kLon);
  const std::string b = CreateIncident(kLat, LonPlusMetres(2000));
  MustRun("incident.close", a, {{"result_code", "resolved"}, {"summary", "done"}});
  Read([&](const State& s) { EXPECT_EQ(s.cad.open_ids, (std::set<std::string>{b})); });
  MustRun("incident.reopen", a, {{"reason", "caller rang back"}});
  MustRun("incident.close", a, {{"result_code", "resolved"}, {"summary", "done again"}});
  MustRun("incident.reopen", a, {{"reason", "caller rang back again"}});
  // The grid holds each open incident once, however often it was closed and reopened.
  auto grid_ids = [](const State& s) {
    std::multiset<std::string> seen;
    s.cad.open_grid.VisitNear({kLat, kLon}, 5000, [&](const std::string& id) { seen.insert(id); });
    return seen;
  };
  const State restored = Read([&](const State& s) {
    EXPECT_EQ(s.cad.open_ids, (std::set<std::string>{a, b}));
    EXPECT_EQ(s.cad.open_grid.size(), 2u);
    EXPECT_EQ(grid_ids(s), (std::multiset<std::string>{a, b}));
    return *State::FromJson(s.ToJson());
  });
  EXPECT_EQ(restored.cad.open_ids, (std::set<std::string>{a, b}));
  EXPECT_EQ(grid_ids(restored), (std::multiset<std::string>{a, b}));
}

// The open-incident grid answers a unit's fix: every open incident within the radius must be among
// the candidates it gives, whatever cell edge lies between them, before and after a snapshot.
TEST_F(CadIndexTest, OpenGridFindsEveryIncidentInRangeAcrossCellEdges) {
  std::vector<std::string> ids;
  // A 7 x 7 lattice every 150 m: it straddles several 0.01-degree cell edges.
  for (int r = 0; r < 7; ++r) {
    for (int c = 0; c < 7; ++c) {
      ids.push_back(CreateIncident(kLat + r * 150.0 / 111'320, LonPlusMetres(150.0 * c)));
    }
  }
  MustRun("incident.close", ids[24], {{"result_code", "resolved"}, {"summary", "done"}});
  auto check = [&](const State& s) {
    ASSERT_EQ(s.cad.open_grid.size(), ids.size() - 1);
    for (int r = 0; r < 13; ++r) {
      for (int c = 0; c < 13; ++c) {
        const LatLon p{kLat + r * 70.0 / 111'320, s.cad.incidents.at(ids[0]).location.point.lon +
                                                      (c * 70.0) / (111'320 * 0.6225)};
        for (double radius : {50.0, 100.0, 400.0}) {
          std::set<std::string> got;
          s.cad.open_grid.VisitNear(p, radius, [&](const std::string& id) { got.insert(id); });
          for (const auto& id : s.cad.open_ids) {
            const auto& inc = s.cad.incidents.at(id);
            if (DistanceMetres(p, inc.location.point) <= radius) {
              EXPECT_TRUE(got.contains(id)) << id << " at " << radius << " m";
            }
          }
          EXPECT_FALSE(got.contains(ids[24]));  // closed
        }
      }
    }
  };
  const State restored = Read([&](const State& s) {
    check(s);
    return *State::FromJson(s.ToJson());
  });
  check(restored);
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
