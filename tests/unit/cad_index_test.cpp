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

// The board's recently closed incidents: each close is kept an hour behind the latest one, a
// reopen takes it out, and a restore keeps exactly the live state's set.
TEST_F(CadIndexTest, RecentlyClosedFollowsClosesAndReopensAndSurvivesASnapshot) {
  using Closed = std::set<std::pair<Timestamp, std::string>>;
  const std::string a = CreateIncident(kLat, kLon);
  const std::string b = CreateIncident(kLat, LonPlusMetres(500));
  const std::string c = CreateIncident(kLat, LonPlusMetres(1000));
  const Timestamp t_a = clock_.Now();
  MustRun("incident.close", a, {{"result_code", "resolved"}, {"summary", "done"}});
  Advance(20 * 60);
  const Timestamp t_b = clock_.Now();
  MustRun("incident.close", b, {{"result_code", "resolved"}, {"summary", "done"}});
  Read([&](const State& s) { EXPECT_EQ(s.cad.recently_closed, (Closed{{t_a, a}, {t_b, b}})); });
  MustRun("incident.reopen", b, {{"reason", "caller rang back"}});
  Read([&](const State& s) { EXPECT_EQ(s.cad.recently_closed, (Closed{{t_a, a}})); });
  // Past the hour: a's close is no longer kept once c closes.
  Advance(50 * 60);
  const Timestamp t_c = clock_.Now();
  MustRun("incident.close", c, {{"result_code", "resolved"}, {"summary", "done"}});
  const State restored = Read([&](const State& s) {
    EXPECT_EQ(s.cad.recently_closed, (Closed{{t_c, c}}));
    return *State::FromJson(s.ToJson());
  });
  EXPECT_EQ(restored.cad.recently_closed, (Closed{{t_c, c}}));
}

// The board shows the open incidents and those closed in the last half hour, and no others,
// however many closed before (found through the indexes, not by visiting every incident).
TEST_F(CadIndexTest, TheBoardShowsOpenAndRecentlyClosedIncidentsOnly) {
  const std::string old_close = CreateIncident(kLat, kLon);
  MustRun("incident.close", old_close, {{"result_code", "resolved"}, {"summary", "done"}});
  Advance(31 * 60);
  const std::string recent = CreateIncident(kLat, LonPlusMetres(300));
  MustRun("incident.close", recent, {{"result_code", "resolved"}, {"summary", "done"}});
  const std::string open = CreateIncident(kLat, LonPlusMetres(600));
  Advance(60);
  const auto shown = [&](const State& s) {
    std::set<std::string> ids;
    for (const auto& id : s.cad.open_ids) ids.insert(id);
    for (const auto& [at, id] : s.cad.recently_closed) {
      if (clock_.Now() - at < Minutes(30)) ids.insert(id);
    }
    return ids;
  };
  Read([&](const State& s) {
    EXPECT_EQ(shown(s), (std::set<std::string>{recent, open}));
    // The same as the scan the board used to make of every incident.
    std::set<std::string> scanned;
    for (const auto& [id, i] : s.cad.incidents) {
      if (i.status == "open" || (i.closed_at && clock_.Now() - *i.closed_at < Minutes(30))) {
        scanned.insert(id);
      }
    }
    EXPECT_EQ(shown(s), scanned);
  });
}

// Going off duty is refused while the unit has an active assignment — on the incident it is on,
// or on one stacked behind it — and allowed once both are cleared.
TEST_F(CadIndexTest, OffDutyIsRefusedWhileAnyAssignmentIsActiveIncludingAStackedOne) {
  const std::string first = CreateIncident(kLat, kLon);
  const std::string second = CreateIncident(kLat, LonPlusMetres(800));
  const std::string unit = CreateUnit("AW40", kLat, LonPlusMetres(200));
  ASSERT_TRUE(Assign(first, unit).ok);
  MustRun("assignment.state", first, {{"unit_id", unit}, {"state", "at_scene"}});
  ASSERT_TRUE(Assign(second, unit).ok);  // stacked behind the one it is at
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.units.at(unit).active_incident, first);
    EXPECT_EQ(s.cad.units.at(unit).stacked, (std::set<std::string>{second}));
  });
  const auto head = log_->HeadSeq();
  Outcome refused = Run("unit.status", unit, {{"status", "off_duty"}});
  EXPECT_EQ(refused.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(log_->HeadSeq(), head);
  MustRun("assignment.state", first, {{"unit_id", unit}, {"state", "cleared"}});
  // Now on the stacked one: still refused, naming it.
  Outcome still = Run("unit.status", unit, {{"status", "off_duty"}});
  EXPECT_EQ(still.error.code, ErrorCode::kFailedPrecondition);
  const std::string second_ref =
      Read([&](const State& s) { return s.cad.incidents.at(second).reference; });
  EXPECT_NE(still.error.message.find(second_ref), std::string::npos) << still.error.message;
  MustRun("assignment.state", second, {{"unit_id", unit}, {"state", "cleared"}});
  MustRun("unit.status", unit, {{"status", "off_duty"}});
  EXPECT_EQ(Read([&](const State& s) { return s.cad.units.at(unit).status; }), "off_duty");
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

// The unacknowledged alerts the board and `?open=true` list: every raised alert until it is
// acknowledged (by a person or closed by the system), the same set as a scan of all alerts, and
// the same after a snapshot.
TEST_F(CadIndexTest, UnacknowledgedAlertsFollowAcknowledgementAndSurviveASnapshot) {
  const std::string id = CreateIncident(kLat, kLon);
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  for (int k = 0; k < 5; ++k) {
    const std::string u = CreateUnit("AW6" + std::to_string(k), kLat, LonPlusMetres(200 * k + 100));
    ASSERT_TRUE(Assign(id, u, k < 2 ? "dispatched" : "self_deployed", why).ok);
  }
  Advance(20 * 60);  // status prompts for the units that have not arrived
  const auto scanned = [](const State& s) {
    std::set<std::string> open;
    for (const auto& [aid, a] : s.alerts.by_id) {
      if (!a.acknowledged_at) open.insert(aid);
    }
    return open;
  };
  const auto before = Read([&](const State& s) {
    EXPECT_EQ(s.alerts.unacknowledged, scanned(s));
    return s.alerts.unacknowledged;
  });
  ASSERT_GE(before.size(), 2u);
  const std::string first = *before.begin();
  MustRun("alert.acknowledge", first, {{"note", "seen"}});
  Read([&](const State& s) {
    EXPECT_FALSE(s.alerts.unacknowledged.contains(first));
    EXPECT_EQ(s.alerts.unacknowledged.size(), before.size() - 1);
    EXPECT_EQ(s.alerts.unacknowledged, scanned(s));
    const State restored = *State::FromJson(s.ToJson());
    EXPECT_EQ(restored.alerts.unacknowledged, s.alerts.unacknowledged);
  });
}

}  // namespace
}  // namespace concordat::testing
