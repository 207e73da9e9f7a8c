// Assignments, attendance governance, status compliance, the emergency button, recommendations.
#include <algorithm>
#include <random>
#include <set>

#include "cad_fixture.hpp"
#include "core/cad_internal.hpp"

namespace concordat::testing {
namespace {

class GovernanceTest : public CadTest {};

TEST_F(GovernanceTest, InvalidTransitionsAreRefusedAndChangeNothing) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string unit = CreateUnit("AW30", kLat, LonPlusMetres(400));
  const std::string off =
      CreateUnit("AW31", kLat, LonPlusMetres(400), "AW", false, {"response"}, "off_duty");
  const auto head = log_->HeadSeq();
  Outcome early = Run("assignment.state", id, {{"unit_id", unit}, {"state", "at_scene"}});
  EXPECT_EQ(early.error.code, ErrorCode::kFailedPrecondition);  // at scene before assigned
  Outcome offduty = Assign(id, off);
  EXPECT_EQ(offduty.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(offduty.error.field, "unit_id");
  EXPECT_EQ(log_->HeadSeq(), head);
  ASSERT_TRUE(Assign(id, unit).ok);
  EXPECT_EQ(Assign(id, unit).error.code, ErrorCode::kConflict);  // assigned twice
  MustRun("assignment.state", id, {{"unit_id", unit}, {"state", "at_scene"}});
  Outcome back = Run("assignment.state", id, {{"unit_id", unit}, {"state", "en_route"}});
  EXPECT_EQ(back.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(back.error.field, "state");
}

TEST_F(GovernanceTest, EachAssignmentKeepsItsOwnStateAndUnitsStack) {
  const std::string a = CreateIncident(kLat, kLon);
  const std::string b = CreateIncident(kLat, LonPlusMetres(2000));
  const std::string unit = CreateUnit("AW32", kLat, LonPlusMetres(100));
  ASSERT_TRUE(Assign(a, unit).ok);
  ASSERT_TRUE(Assign(b, unit).ok);
  MustRun("assignment.state", a, {{"unit_id", unit}, {"state", "at_scene"}});
  Read([&](const State& s) {
    EXPECT_EQ(Inc(s, a).assignments.at(unit).state, "at_scene");
    EXPECT_EQ(Inc(s, b).assignments.at(unit).state, "assigned");
    EXPECT_EQ(s.cad.units.at(unit).active_incident, a);
    EXPECT_TRUE(s.cad.units.at(unit).stacked.contains(b));
    return 0;
  });
  MustRun("assignment.state", a, {{"unit_id", unit}, {"state", "cleared"}});
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.units.at(unit).active_incident, b);  // the stacked incident becomes active
    EXPECT_EQ(Inc(s, b).assignments.at(unit).state, "assigned");
    return 0;
  });
}

TEST_F(GovernanceTest, GoingToAStackedIncidentMakesItTheUnitsOwnAndItsStatusFollows) {
  const std::string first = CreateIncident(kLat, kLon);
  const std::string second = CreateIncident(kLat, LonPlusMetres(2000));
  const std::string unit = CreateUnit("AW35", kLat, LonPlusMetres(100));
  ASSERT_TRUE(Assign(first, unit).ok);   // assigned, never went
  ASSERT_TRUE(Assign(second, unit).ok);  // stacked behind it
  MustRun("assignment.state", second, {{"unit_id", unit}, {"state", "en_route"}});
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.units.at(unit).active_incident, second);
    EXPECT_TRUE(s.cad.units.at(unit).stacked.contains(first));
    EXPECT_EQ(s.cad.units.at(unit).status, "en_route");
    return 0;
  });
  MustRun("assignment.state", second, {{"unit_id", unit}, {"state", "at_scene"}});
  EXPECT_EQ(Read([&](const State& s) { return s.cad.units.at(unit).status; }), "at_scene");
  // Cleared there: back to the first, still assigned.
  MustRun("assignment.state", second, {{"unit_id", unit}, {"state", "cleared"}});
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.units.at(unit).active_incident, first);
    EXPECT_TRUE(s.cad.units.at(unit).stacked.empty());
    return 0;
  });
}

TEST_F(GovernanceTest, ResourcedAdvisoryNeedsConfirmationWithAReason) {
  const std::string id = CreateIncident(kLat, kLon);  // MH, grade I: 2 recommended
  ASSERT_TRUE(Assign(id, CreateUnit("AW33", kLat, LonPlusMetres(300))).ok);
  EXPECT_TRUE(EventsOfType("incident.resourced").empty());
  ASSERT_TRUE(Assign(id, CreateUnit("AW34", kLat, LonPlusMetres(600))).ok);
  auto resourced = EventsOfType("incident.resourced");
  ASSERT_EQ(resourced.size(), 1u);
  const auto& bcus = resourced[0].data.at("advisory_bcus").as_array();
  EXPECT_EQ(bcus[0].as_string(), "AW");
  EXPECT_GT(bcus.size(), 1u);  // neighbouring BCUs are told too

  const std::string late = CreateUnit("AW35", kLat, LonPlusMetres(900));
  const auto head = log_->HeadSeq();
  Outcome refused = Assign(id, late, "self_deployed");
  EXPECT_EQ(refused.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(refused.error.field, "confirm");
  EXPECT_EQ(refused.error.details.at("advisory").at("recommended").as_int64(), 2);
  EXPECT_EQ(refused.error.details.at("advisory").at("assigned").as_int64(), 2);
  EXPECT_NE(refused.error.message.find("already has 2 of 2 units."), std::string::npos)
      << refused.error.message;
  EXPECT_NE(std::string(resourced[0].data.at("message").as_string()).find("2 of 2 units assigned"),
            std::string::npos);
  Outcome no_reason = Assign(id, late, "self_deployed", {{"confirm", true}});
  EXPECT_EQ(no_reason.error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_reason.error.field, "reason");
  Outcome spaces = Assign(id, late, "self_deployed", {{"confirm", true}, {"reason", "   "}});
  EXPECT_EQ(spaces.error.field, "reason") << "a reason of spaces is no reason";
  EXPECT_EQ(log_->HeadSeq(), head);
  Outcome ok =
      Assign(id, late, "self_deployed", {{"confirm", true}, {"reason", "nearest taser officer"}});
  ASSERT_TRUE(ok.ok) << ok.error.message;
  Read([&](const State& s) {
    const Assignment& a = Inc(s, id).assignments.at(late);
    EXPECT_TRUE(a.after_advisory);
    EXPECT_EQ(a.reason, "nearest taser officer");
    EXPECT_EQ(a.mode, "self_deployed");
    return 0;
  });
}

TEST_F(GovernanceTest, OverAttendanceAlertSuggestsFurthestNotAtSceneAndKeepsSpecialists) {
  const std::string id = CreateIncident(kLat, kLon);  // 2 recommended, tolerance 2
  const std::string near = CreateUnit("AW40", kLat, LonPlusMetres(100));
  const std::string mid = CreateUnit("AW41", kLat, LonPlusMetres(1000));
  const std::string far = CreateUnit("AW42", kLat, LonPlusMetres(5000));
  const std::string dog = CreateUnit("AW43", kLat, LonPlusMetres(9000), "AW", false, {"dog"});
  const std::string farther = CreateUnit("AW44", kLat, LonPlusMetres(7000));
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  ASSERT_TRUE(Assign(id, near).ok);
  MustRun("assignment.state", id, {{"unit_id", near}, {"state", "at_scene"}});
  ASSERT_TRUE(Assign(id, mid).ok);
  ASSERT_TRUE(Assign(id, far, "self_deployed", why).ok);
  ASSERT_TRUE(Assign(id, dog, "self_deployed", why).ok);
  EXPECT_TRUE(AlertsOfType("over_attendance").empty());  // 4 = 2 + tolerance 2
  ASSERT_TRUE(Assign(id, farther, "self_deployed", why).ok);
  auto alerts = AlertsOfType("over_attendance");
  ASSERT_EQ(alerts.size(), 1u);
  // 5 attending, 2 recommended: stand down 3 — furthest first, not at scene, not the dog unit.
  ASSERT_EQ(alerts[0].unit_ids.size(), 3u);
  EXPECT_EQ(alerts[0].unit_ids[0], farther);
  EXPECT_EQ(alerts[0].unit_ids[1], far);
  EXPECT_EQ(alerts[0].unit_ids[2], mid);
  EXPECT_EQ(alerts[0].data.at("attending").as_int64(), 5);

  Outcome sd = MustRun("assignment.stand_down", id, {{"alert_id", alerts[0].id}});
  EXPECT_EQ(sd.reply.at("stood_down").as_uint64(), 3u);
  Read([&](const State& s) {
    const Incident& i = Inc(s, id);
    EXPECT_EQ(i.assignments.at(farther).state, "stood_down");
    EXPECT_EQ(i.assignments.at(mid).state, "stood_down");
    EXPECT_EQ(i.assignments.at(dog).state, "assigned");
    EXPECT_EQ(i.assignments.at(near).state, "at_scene");
    EXPECT_TRUE(s.alerts.by_id.at(alerts[0].id).acknowledged_at.has_value());
    EXPECT_EQ(s.cad.units.at(far).status, "available");
    return 0;
  });
}

// The over-attendance alert follows the scene (PC/2334/19: 26 officers after one press). As more
// units come it says so and suggests more; its stand-down stands down what it shows and no more;
// once attendance is back within the recommendation it closes itself.
TEST_F(GovernanceTest, TheOverAttendanceAlertFollowsTheSceneAndStandsDownWhatItShows) {
  const std::string id = CreateIncident(kLat, kLon);  // 2 recommended, tolerance 2
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  std::vector<std::string> units;
  for (int k = 0; k < 9; ++k) {
    units.push_back(CreateUnit("AW6" + std::to_string(k), kLat, LonPlusMetres(500.0 * (k + 1))));
  }
  ASSERT_TRUE(Assign(id, units[0]).ok);
  ASSERT_TRUE(Assign(id, units[1]).ok);
  for (int k = 2; k < 5; ++k) ASSERT_TRUE(Assign(id, units[k], "self_deployed", why).ok);
  auto alerts = AlertsOfType("over_attendance");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].data.at("attending").as_int64(), 5);
  EXPECT_EQ(alerts[0].unit_ids.size(), 3u);
  const std::string alert_id = alerts[0].id;
  for (int k = 5; k < 9; ++k) ASSERT_TRUE(Assign(id, units[k], "self_deployed", why).ok);
  alerts = AlertsOfType("over_attendance");
  ASSERT_EQ(alerts.size(), 1u) << "one alert, kept up to date, not one per arrival";
  EXPECT_EQ(alerts[0].id, alert_id);
  EXPECT_EQ(alerts[0].data.at("attending").as_int64(), 9);
  ASSERT_EQ(alerts[0].unit_ids.size(), 7u);
  EXPECT_EQ(alerts[0].unit_ids[0], units[8]);  // furthest first
  EXPECT_EQ(alerts[0].message.rfind("9 units attending against 2 recommended", 0), 0u)
      << alerts[0].message;
  EXPECT_EQ(alerts[0].data.at("suggested_stand_down").as_array().size(), 7u);

  // The controller stands down the two the screen named: those two, and the alert is answered.
  Outcome sd =
      MustRun("assignment.stand_down", id,
              {{"alert_id", alert_id}, {"unit_ids", boost::json::array{units[8], units[7]}}});
  EXPECT_EQ(sd.reply.at("stood_down").as_uint64(), 2u);
  Read([&](const State& s) {
    const Incident& i = Inc(s, id);
    EXPECT_EQ(i.assignments.at(units[8]).state, "stood_down");
    EXPECT_EQ(i.assignments.at(units[7]).state, "stood_down");
    EXPECT_EQ(i.assignments.at(units[6]).state, "assigned");
    EXPECT_TRUE(s.alerts.by_id.at(alert_id).acknowledged_at.has_value());
    return 0;
  });
  // Still 7 attending against 2 + 2: a new alert says so, with what is left to stand down.
  std::string open_id;
  for (const Alert& a : AlertsOfType("over_attendance")) {
    if (!a.acknowledged_at) open_id = a.id;
  }
  ASSERT_FALSE(open_id.empty());
  // Standing down from it without naming units stands down exactly what it shows.
  std::vector<std::string> shown;
  Read([&](const State& s) {
    shown = s.alerts.by_id.at(open_id).unit_ids;
    return 0;
  });
  ASSERT_EQ(shown.size(), 5u);
  Outcome all = MustRun("assignment.stand_down", id, {{"alert_id", open_id}});
  EXPECT_EQ(all.reply.at("stood_down").as_uint64(), shown.size());
  // Two attending now: within the recommendation, and no over-attendance alert is open.
  for (const Alert& a : AlertsOfType("over_attendance")) {
    EXPECT_TRUE(a.acknowledged_at.has_value()) << a.id << ": " << a.message;
  }
}

// An alert left open when attendance falls back within the recommendation by other means (units
// cleared one by one) closes itself, saying why.
TEST_F(GovernanceTest, AnOverAttendanceAlertClosesItselfWhenAttendanceFalls) {
  const std::string id = CreateIncident(kLat, kLon);
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  std::vector<std::string> units;
  for (int k = 0; k < 5; ++k) {
    units.push_back(CreateUnit("AW7" + std::to_string(k), kLat, LonPlusMetres(400.0 * (k + 1))));
    ASSERT_TRUE(Assign(id, units.back(), k < 2 ? "dispatched" : "self_deployed", why).ok);
  }
  auto alerts = AlertsOfType("over_attendance");
  ASSERT_EQ(alerts.size(), 1u);
  MustRun("assignment.stand_down", id, {{"unit_ids", boost::json::array{units[4]}}});
  alerts = AlertsOfType("over_attendance");
  ASSERT_EQ(alerts.size(), 1u);
  ASSERT_TRUE(alerts[0].acknowledged_at.has_value());
  Read([&](const State& s) {
    EXPECT_EQ(s.alerts.by_id.at(alerts[0].id).acknowledged_by, "user-ctl");  // who stood it down
    return 0;
  });
  bool noted = false;
  for (const auto& e : EventsOfType("alert.acknowledged")) {
    noted = noted || std::string(e.data.at("note").as_string())
                         .starts_with("attendance back within the recommendation: 4 of 2");
  }
  EXPECT_TRUE(noted);
}

// The status-change and assignment deciders govern attendance on AttendanceCopy, not on a copy
// of the whole incident: for incidents in every state governance meets (under, at and over the
// recommendation, resourced, an emergency press with its presser still en route, a specialist),
// what it decides and whom it would stand down must be the same on either.
TEST_F(GovernanceTest, GoverningTheAttendanceCopyDecidesAsTheWholeIncident) {
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  const std::string busy = CreateIncident(kLat, kLon);  // 2 recommended, tolerance 2
  const std::string quiet = CreateIncident(kLat, LonPlusMetres(3000));
  std::vector<std::string> units;
  for (int k = 0; k < 6; ++k) {
    units.push_back(
        CreateUnit("AW9" + std::to_string(k), kLat, LonPlusMetres(600.0 * (k + 1)), "AW", false,
                   k == 5 ? boost::json::array{"dog"} : boost::json::array{"response"}));
  }
  ASSERT_TRUE(Assign(busy, units[0]).ok);
  MustRun("assignment.state", busy, {{"unit_id", units[0]}, {"state", "at_scene"}});
  ASSERT_TRUE(Assign(busy, units[1]).ok);
  for (int k = 2; k < 6; ++k) ASSERT_TRUE(Assign(busy, units[k], "self_deployed", why).ok);
  const std::string presser = CreateUnit("AW99", kLat, LonPlusMetres(50));
  ASSERT_TRUE(Assign(quiet, presser).ok);
  ASSERT_TRUE(Run("unit.emergency", presser, {}).ok);
  // Acknowledged, the over-attendance alert no longer holds a new one back: governing `busy`
  // again raises one (with its suggested stand-downs and distances).
  for (const Alert& a : AlertsOfType("over_attendance")) MustRun("alert.acknowledge", a.id, {});
  Read([&](const State& s) {
    int checked = 0, raised = 0;
    for (const auto& [id, whole] : s.cad.incidents) {
      Incident incident = whole;
      // Also as if the presser were only on its way and the scene crowded (units found there
      // unassigned), so that only the emergency unit's exemption keeps it off the suggestions.
      if (!incident.emergency_unit_id.empty()) {
        incident.assignments[incident.emergency_unit_id].state = "en_route";
        for (int k = 0; k < 10; ++k)
          incident.present_unassigned.insert("unit-X" + std::to_string(k));
      }
      for (const Incident& i : {whole, incident}) {
        const Incident copy = cad::AttendanceCopy(i);
        EXPECT_EQ(SuggestStandDown(s, copy, policy_), SuggestStandDown(s, i, policy_)) << id;
        EXPECT_EQ(AttendingCount(copy), AttendingCount(i)) << id;
        std::vector<NewEvent> from_whole, from_copy;
        const Context ctx{clock_.Now(), &LondonRef(), &policy_};
        cad::GovernAttendance(s, i, ctx, from_whole, 0);
        cad::GovernAttendance(s, copy, ctx, from_copy, 0);
        EXPECT_EQ(from_copy.size(), from_whole.size()) << id;
        for (size_t k = 0; k < std::min(from_whole.size(), from_copy.size()); ++k) {
          EXPECT_EQ(from_copy[k].type, from_whole[k].type) << id;
          EXPECT_EQ(from_copy[k].data, from_whole[k].data) << id;
          raised += from_whole[k].type == "alert.raised" ? 1 : 0;
        }
        ++checked;
      }
    }
    EXPECT_EQ(checked, 2 * 3);  // busy, quiet and the emergency incident
    EXPECT_GE(raised, 2);       // `busy`, both ways
    return 0;
  });
}

TEST_F(GovernanceTest, StandDownAllNotAtScene) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string a = CreateUnit("AW45", kLat, LonPlusMetres(100));
  const std::string b = CreateUnit("AW46", kLat, LonPlusMetres(900));
  ASSERT_TRUE(Assign(id, a).ok);
  ASSERT_TRUE(Assign(id, b).ok);
  MustRun("assignment.state", id, {{"unit_id", a}, {"state", "at_scene"}});
  EXPECT_EQ(Run("assignment.stand_down", id, {}).error.field, "unit_ids");
  MustRun("assignment.stand_down", id, {{"all_not_at_scene", true}});
  Read([&](const State& s) {
    EXPECT_EQ(Inc(s, id).assignments.at(a).state, "at_scene");
    EXPECT_EQ(Inc(s, id).assignments.at(b).state, "stood_down");
    return 0;
  });
}

TEST_F(GovernanceTest, StatusPromptAtTwoMinutesThenControllerAtFive) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string unit = CreateUnit("AW50", kLat, LonPlusMetres(3000));
  ASSERT_TRUE(Assign(id, unit).ok);
  MustRun("unit.location", unit, {{"lat", kLat}, {"lon", LonPlusMetres(60)}});  // within 100 m
  Advance(119);
  EXPECT_TRUE(AlertsOfType("status_prompt").empty());
  Advance(1);
  auto prompts = AlertsOfType("status_prompt");
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_EQ(prompts[0].unit_ids[0], unit);
  EXPECT_EQ(prompts[0].audience, "unit");
  EXPECT_EQ(prompts[0].raised_at, kT0 + Seconds(120));
  Advance(179);
  EXPECT_TRUE(AlertsOfType("status_not_updated").empty());
  Advance(1);
  auto escalated = AlertsOfType("status_not_updated");
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0].raised_at, kT0 + Seconds(300));
  EXPECT_EQ(escalated[0].audience, "control");
}

// A prompt that has been answered does not stay open on the board: recording at scene answers
// the unit's own prompt and escalation (not another unit's); closing the incident answers the rest.
TEST_F(GovernanceTest, PromptsAreAnsweredByTheStatusUpdateAndByTheClosure) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string a = CreateUnit("AW56", kLat, LonPlusMetres(3000));
  const std::string b = CreateUnit("AW57", kLat, LonPlusMetres(3000));
  ASSERT_TRUE(Assign(id, a).ok);
  ASSERT_TRUE(Assign(id, b).ok);
  MustRun("unit.location", a, {{"lat", kLat}, {"lon", LonPlusMetres(40)}});
  MustRun("unit.location", b, {{"lat", kLat}, {"lon", LonPlusMetres(40)}});
  Advance(300);  // prompted at 2 minutes, escalated at 5
  auto open_for = [&](const std::string& unit) {
    int n = 0;
    for (const char* type : {"status_prompt", "status_not_updated"}) {
      for (const auto& al : AlertsOfType(type)) {
        n += !al.acknowledged_at && al.unit_ids[0] == unit ? 1 : 0;
      }
    }
    return n;
  };
  ASSERT_EQ(open_for(a), 2);
  ASSERT_EQ(open_for(b), 2);
  MustRun("assignment.state", id, {{"unit_id", a}, {"state", "at_scene"}});
  EXPECT_EQ(open_for(a), 0);
  EXPECT_EQ(open_for(b), 2);
  for (const auto& al : AlertsOfType("status_prompt")) {
    if (al.unit_ids[0] == a) {
      EXPECT_EQ(al.acknowledged_at, std::optional<Timestamp>(kT0 + Seconds(300)));
    }
  }
  MustRun("incident.close", id, {{"result_code", "resolved"}, {"summary", "done"}});
  EXPECT_EQ(open_for(b), 0);
  // Other alerts are not touched: the escalation's audience still sees what happened, in the log.
  EXPECT_EQ(AlertsOfType("status_prompt").size(), 2u);
}

TEST_F(GovernanceTest, NoPromptWhenStatusIsUpdatedOrTheUnitMovesOn) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string a = CreateUnit("AW51", kLat, LonPlusMetres(3000));
  const std::string b = CreateUnit("AW52", kLat, LonPlusMetres(3000));
  ASSERT_TRUE(Assign(id, a).ok);
  ASSERT_TRUE(Assign(id, b).ok);
  MustRun("unit.location", a, {{"lat", kLat}, {"lon", LonPlusMetres(20)}});
  MustRun("unit.location", b, {{"lat", kLat}, {"lon", LonPlusMetres(20)}});
  Advance(60);
  MustRun("assignment.state", id, {{"unit_id", a}, {"state", "at_scene"}});
  MustRun("unit.location", b, {{"lat", kLat}, {"lon", LonPlusMetres(500)}});  // drove past
  Advance(600);
  EXPECT_TRUE(AlertsOfType("status_prompt").empty());
  EXPECT_TRUE(AlertsOfType("status_not_updated").empty());
}

TEST_F(GovernanceTest, UnrecordedAttendanceCountsTowardsOverAttendance) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string stranger = CreateUnit("AW53", kLat, LonPlusMetres(3000));
  MustRun("unit.location", stranger, {{"lat", kLat}, {"lon", LonPlusMetres(30)}});
  Advance(119);
  EXPECT_TRUE(AlertsOfType("unrecorded_attendance").empty());
  Advance(1);
  auto alerts = AlertsOfType("unrecorded_attendance");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].unit_ids[0], stranger);
  EXPECT_EQ(Read([&](const State& s) { return AttendingCount(Inc(s, id)); }), 1);
  // Recording the attendance removes it from the unassigned count.
  ASSERT_TRUE(Assign(id, stranger, "self_deployed").ok);
  Read([&](const State& s) {
    EXPECT_TRUE(Inc(s, id).present_unassigned.empty());
    EXPECT_EQ(AttendingCount(Inc(s, id)), 1);
    return 0;
  });
}

TEST_F(GovernanceTest, EmergencyButtonCreatesIncidentAndDispatchesTheNearestFour) {
  const std::string mh = CreateIncident(kLat, kLon);
  const std::string presser = CreateUnit("AW60", kLat, kLon);
  ASSERT_TRUE(Assign(mh, presser).ok);
  std::vector<std::string> by_distance;
  for (int k = 1; k <= 6; ++k) {
    by_distance.push_back(CreateUnit("AW6" + std::to_string(k), kLat, LonPlusMetres(k * 700)));
  }
  CreateUnit("AW67", kLat, LonPlusMetres(50), "AW", false, {"response"}, "off_duty");
  Outcome o = MustRun("unit.emergency", presser, {});
  const std::string em(o.reply.at("id").as_string());
  EXPECT_NE(em, mh);
  EXPECT_EQ(o.reply.at("type").as_string(), "officer_assistance");
  EXPECT_EQ(o.reply.at("grade").as_string(), "I");
  EXPECT_EQ(o.reply.at("channel").as_string(), "emergency_button");
  EXPECT_TRUE(o.reply.at("resourced").as_bool());
  Read([&](const State& s) {
    const Incident& i = Inc(s, em);
    EXPECT_TRUE(i.HasFlag("mental_health"));  // inherited from the incident they were at
    EXPECT_EQ(i.parent_incident_id, mh);
    EXPECT_EQ(i.assignments.at(presser).state, "at_scene");
    for (int k = 0; k < 4; ++k) {
      const auto& a = i.assignments.at(by_distance[static_cast<size_t>(k)]);
      EXPECT_EQ(a.mode, "dispatched");
      EXPECT_EQ(a.dispatched_by, "system:emergency");
    }
    EXPECT_FALSE(i.assignments.contains(by_distance[4]));
    EXPECT_FALSE(i.assignments.contains("unit-AW67"));
    EXPECT_TRUE(s.cad.units.at(presser).emergency);
    return 0;
  });
  // A second press joins the same incident.
  Outcome again = MustRun("unit.emergency", presser, {});
  EXPECT_EQ(again.reply.at("id").as_string(), em);
  // All OK: units not yet at scene are stood down.
  MustRun("unit.emergency_cancel", presser, {{"note", "all OK"}});
  Read([&](const State& s) {
    EXPECT_EQ(Inc(s, em).assignments.at(by_distance[0]).state, "stood_down");
    EXPECT_FALSE(s.cad.units.at(presser).emergency);
    return 0;
  });
}

// PC/2334/19: pressed at the scene of a job other units are already assigned to, those units are
// going to the same place and count towards the four; only the rest are sent. (Configurable:
// attendance.emergency_counts_units_at_scene_incident.)
TEST_F(GovernanceTest, UnitsAlreadyAssignedAtThePressersSceneCountTowardsTheEmergencyUnits) {
  const std::string job = CreateIncident(kLat, kLon);
  const std::string presser = CreateUnit("AW70", kLat, kLon);
  const std::string there = CreateUnit("AW71", kLat, LonPlusMetres(30));
  const std::string coming = CreateUnit("AW72", kLat, LonPlusMetres(4000));
  ASSERT_TRUE(Assign(job, presser).ok);
  ASSERT_TRUE(Assign(job, there).ok);
  ASSERT_TRUE(Assign(job, coming).ok);
  MustRun("assignment.state", job, {{"unit_id", presser}, {"state", "at_scene"}});
  MustRun("assignment.state", job, {{"unit_id", there}, {"state", "at_scene"}});
  std::vector<std::string> free;
  for (int k = 1; k <= 4; ++k) {
    free.push_back(CreateUnit("AW8" + std::to_string(k), kLat, LonPlusMetres(k * 600)));
  }
  Outcome o = MustRun("unit.emergency", presser, {});
  const std::string em(o.reply.at("id").as_string());
  Read([&](const State& s) {
    const Incident& i = Inc(s, em);
    EXPECT_TRUE(i.assignments.contains(free[0]));
    EXPECT_TRUE(i.assignments.contains(free[1]));
    EXPECT_FALSE(i.assignments.contains(free[2])) << "4 less the 2 already assigned there";
    // Those two join the emergency as they are: its attendance counts them.
    EXPECT_EQ(i.assignments.at(there).state, "at_scene");
    EXPECT_EQ(i.assignments.at(coming).state, "assigned");
    EXPECT_EQ(AttendingCount(i), 4);
    EXPECT_NE(i.description.find("2 units already assigned there (AW71, AW72) join it and count "
                                 "towards the 4, so 2 more are sent"),
              std::string::npos)
        << i.description;
    return 0;
  });
  MustRun("unit.emergency_cancel", presser, {{"note", "all OK"}});
  // With the rule off, a press sends the full four.
  policy_.attendance.emergency_counts_units_at_scene_incident = false;
  Advance(60);
  Outcome again = MustRun("unit.emergency", presser, {});
  Read([&](const State& s) {
    int dispatched = 0;
    for (const auto& [uid, a] : Inc(s, std::string(again.reply.at("id").as_string())).assignments) {
      dispatched += a.dispatched_by == "system:emergency" ? 1 : 0;
    }
    EXPECT_EQ(dispatched, 4);
    return 0;
  });
}

// Pressed on the way to a job, the emergency is where the unit is, not at the job's address
// (which would send help kilometres off); pressed at the job, the job's address is right. The
// unit that pressed is the one being helped: it neither starts the response clock nor counts
// among the units the recommendation is for.
TEST_F(GovernanceTest, AnEmergencyIsAtThePressersFixAndThePresserIsNotAHelper) {
  const std::string job = CreateIncident(kLat, kLon);
  const std::string away = CreateUnit("AW80", kLat, LonPlusMetres(3000));
  ASSERT_TRUE(Assign(job, away).ok);
  for (int k = 1; k <= 4; ++k) {
    CreateUnit("AW8" + std::to_string(k), kLat, LonPlusMetres(3000 + k * 300));
  }
  Outcome o = MustRun("unit.emergency", away, {});
  const std::string em(o.reply.at("id").as_string());
  Read([&](const State& s) {
    const Incident& i = Inc(s, em);
    const Incident& parent = Inc(s, job);
    EXPECT_NE(i.location.address, parent.location.address);
    EXPECT_EQ(i.location.address.rfind("Last fix of AW80: ", 0), 0u) << i.location.address;
    EXPECT_NE(i.description.find("away from " + parent.reference), std::string::npos)
        << i.description;
    EXPECT_NEAR(i.location.point.lon, LonPlusMetres(3000), 1e-9);
    EXPECT_EQ(i.parent_incident_id, job);
    EXPECT_EQ(i.assignments.at(away).state, "at_scene");
    EXPECT_FALSE(i.first_arrival_at.has_value());  // nobody has come to help yet
    EXPECT_EQ(AttendingCount(i), 4);               // the four sent, not the presser
    EXPECT_TRUE(i.resourced);
    return 0;
  });
  MustRun("assignment.state", em, {{"unit_id", "unit-AW81"}, {"state", "at_scene"}});
  Read([&](const State& s) {
    EXPECT_TRUE(Inc(s, em).first_arrival_at.has_value());
    return 0;
  });

  const std::string job2 = CreateIncident(kLat, LonPlusMetres(-2000));
  const std::string there = CreateUnit("AW90", kLat, LonPlusMetres(-2000 + 40));
  ASSERT_TRUE(Assign(job2, there).ok);
  Outcome o2 = MustRun("unit.emergency", there, {});
  Read([&](const State& s) {
    const Incident& i = Inc(s, std::string(o2.reply.at("id").as_string()));
    EXPECT_EQ(i.location.address, Inc(s, job2).location.address);
    EXPECT_NE(i.description.find(" at " + Inc(s, job2).reference), std::string::npos);
    return 0;
  });

  // A job with only an address: whether the unit is there is unknown, its fix is not.
  Outcome addressed = MustRun("incident.create", "",
                              {{"channel", "999"},
                               {"location", {{"address", "Flat 3, Somewhere Street"}}},
                               {"type", "concern_for_welfare"},
                               {"grade", "S"}});
  const std::string job3(addressed.reply.at("id").as_string());
  const std::string third = CreateUnit("AW95", kLat, LonPlusMetres(-5000));
  ASSERT_TRUE(Assign(job3, third).ok);
  Outcome o3 = MustRun("unit.emergency", third, {});
  Read([&](const State& s) {
    const Incident& i = Inc(s, std::string(o3.reply.at("id").as_string()));
    EXPECT_EQ(i.location.address.rfind("Last fix of AW95: ", 0), 0u) << i.location.address;
    EXPECT_NE(i.description.find("which has no coordinates"), std::string::npos) << i.description;
    EXPECT_EQ(i.description.find(" m off"), std::string::npos) << i.description;
    return 0;
  });
}

// The walk-through found a unit "At hospital"/"At scene" by its own status while its assignment
// still said "Assigned". A unit's status of en route or at scene moves its assignment on the
// incident it is on (and so records the arrival); other statuses leave the assignment alone.
TEST_F(GovernanceTest, AUnitsOwnEnRouteOrAtSceneMovesItsAssignmentToo) {
  const std::string job = CreateIncident(kLat, kLon);
  const std::string unit = CreateUnit("AW70", kLat, LonPlusMetres(900));
  ASSERT_TRUE(Assign(job, unit).ok);
  auto state = [&] {
    return Read([&](const State& s) { return Inc(s, job).assignments.at(unit).state; });
  };
  MustRun("unit.status", unit, {{"status", "transporting"}});
  EXPECT_EQ(state(), "assigned");
  MustRun("unit.status", unit, {{"status", "en_route"}});
  EXPECT_EQ(state(), "en_route");
  EXPECT_FALSE(Read([&](const State& s) { return Inc(s, job).first_arrival_at.has_value(); }));
  MustRun("unit.status", unit, {{"status", "at_scene"}});
  EXPECT_EQ(state(), "at_scene");
  Read([&](const State& s) {
    EXPECT_TRUE(Inc(s, job).first_arrival_at.has_value());
    EXPECT_EQ(s.cad.units.at(unit).status, "at_scene");
    return 0;
  });
  // En route again from the scene: the unit has left it (conveying, say), and the record says so.
  MustRun("unit.status", unit, {{"status", "en_route"}});
  EXPECT_EQ(state(), "left_scene");
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.units.at(unit).status, "en_route");
    EXPECT_EQ(s.cad.units.at(unit).active_incident, job);
    return 0;
  });
  MustRun("unit.status", unit, {{"status", "en_route"}});
  EXPECT_EQ(state(), "left_scene");
  // Back at the scene: the assignment follows again.
  MustRun("unit.status", unit, {{"status", "at_scene"}});
  EXPECT_EQ(state(), "at_scene");
}

TEST_F(GovernanceTest, EmergencyWithoutAFixIsRefused) {
  MustRun("unit.create", "", {{"call_sign", "AW70"}, {"bcu", "AW"}, {"status", "available"}});
  Outcome o = Run("unit.emergency", "unit-AW70", {});
  EXPECT_EQ(o.error.code, ErrorCode::kFailedPrecondition);
}

TEST_F(GovernanceTest, OfficersActOnlyForTheirOwnUnit) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string unit = CreateUnit("AW71", kLat, LonPlusMetres(300));
  Actor other{"user-x", "officer", "mps", "AW99-1"};
  Outcome o = Run("assignment.create", id, {{"unit_id", unit}, {"mode", "self_deployed"}}, other);
  EXPECT_EQ(o.error.code, ErrorCode::kPermissionDenied);
  Actor crew{"user-y", "officer", "mps", "AW71-1"};
  EXPECT_TRUE(
      Run("assignment.create", id, {{"unit_id", unit}, {"mode", "self_deployed"}}, crew).ok);
  Outcome dispatch =
      Run("assignment.create", id,
          {{"unit_id", CreateUnit("AW72", kLat, kLon)}, {"mode", "dispatched"}}, crew);
  EXPECT_EQ(dispatch.error.code, ErrorCode::kPermissionDenied);
}

TEST_F(GovernanceTest, RecommendationPrefersTrainedCrewsAndHomeBcuWithReasons) {
  const std::string id = CreateIncident(kLat, kLon);
  CreateUnit("AW80", kLat, LonPlusMetres(1000));              // nearest, untrained
  CreateUnit("AW81", kLat, LonPlusMetres(1500), "AW", true);  // trained: preferred
  CreateUnit("CS80", kLat, LonPlusMetres(1100), "CS");        // other BCU: penalised
  RecommendResult r =
      Read([&](const State& s) { return RecommendUnits(s, Inc(s, id), policy_, clock_.Now(), 3); });
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.units[0].unit_id, "unit-AW81");
  EXPECT_EQ(r.units[1].unit_id, "unit-AW80");
  EXPECT_EQ(r.units[2].unit_id, "unit-CS80");
  EXPECT_NE(r.units[0].reasons[1].find("mental-health-trained"), std::string::npos);
  EXPECT_NE(r.units[2].reasons.back().find("home BCU"), std::string::npos);
}

TEST_F(GovernanceTest, RecommendationSaysWhyNone) {
  const std::string id = CreateIncident(kLat, kLon);
  RecommendResult r =
      Read([&](const State& s) { return RecommendUnits(s, Inc(s, id), policy_, clock_.Now(), 5); });
  EXPECT_TRUE(r.units.empty());
  ASSERT_FALSE(r.why_none.empty());
  EXPECT_NE(r.why_none[0].find("no unit is available"), std::string::npos);
}

bool HasReason(const Recommendation& r, const std::string& text) {
  for (const auto& reason : r.reasons) {
    if (reason.find(text) != std::string::npos) return true;
  }
  return false;
}

// Every ranked unit scored the plain way, sorted by score then unit id: what the grid search, with
// all its pruning, must reproduce exactly.
struct Ranked {
  std::vector<std::pair<Timestamp, std::string>> units;  // (score, unit id), best first
  size_t stale = 0;
};
// Units further than `reach_m` are left out, as they are beyond the grid search's last ring.
Ranked BruteForceRanking(const State& s, const Incident& i, const Policy& p, Timestamp now,
                         const std::set<std::string>& exclude, double reach_m) {
  const auto& rp = p.recommend;
  const GradePolicy* g = p.FindGrade(i.grade);
  const double speed_ms = std::max(1.0, (g ? g->speed_kmh : 25.0) / 3.6);
  const bool mh = i.HasFlag("mental_health") || i.type == "mental_health";
  Ranked out;
  for (const auto& [id, u] : s.cad.units) {
    if (u.status != "available" || !u.fix || exclude.contains(id)) continue;
    const double d = DistanceMetres(i.location.point, u.fix->point);
    if (d > reach_m) continue;
    if (now - u.fix->fixed_at > rp.max_fix_age) {
      ++out.stale;
      continue;
    }
    Timestamp score = static_cast<Timestamp>(d * rp.detour_factor / speed_ms * kMicrosPerSecond);
    if (mh && u.MentalHealthTrained()) score -= rp.mental_health_bonus;
    if (!i.bcu_code.empty() && u.bcu != i.bcu_code) score += rp.out_of_bcu_penalty;
    out.units.emplace_back(score, id);
  }
  std::sort(out.units.begin(), out.units.end());
  return out;
}

TEST_F(GovernanceTest, GridSearchAgreesWithABruteForceScan) {
  // Units over Greater London in every BCU, and a cluster near Aberdeen (a grid cell is narrower
  // there than in London, which a bound fixed for London would get wrong). A quarter of crews are
  // mental-health trained; some units share a point (ties broken by unit id), some fixes are
  // stale or ageing, some units are off duty.
  const char* const bcus[] = {"AW", "CN", "CE", "CS", "NA", "NE",
                              "NW", "EA", "SE", "SN", "SW", "WA"};
  struct Area {
    double south, north, west, east;
  };
  const Area london{51.28, 51.70, -0.52, 0.32}, aberdeen{57.05, 57.25, -2.30, -1.90};
  std::mt19937 rng(7);
  auto in = [&](const Area& a) {
    return LatLon{std::uniform_real_distribution<double>(a.south, a.north)(rng),
                  std::uniform_real_distribution<double>(a.west, a.east)(rng)};
  };
  const Timestamp now = clock_.Now();
  constexpr double kReach = 200'000;  // all of one cluster, none of the other
  LatLon previous;
  for (int k = 0; k < 500; ++k) {
    const LatLon at = k < 4        ? LatLon{kLat, kLon}
                      : k % 9 == 4 ? previous
                                   : in(k < 400 ? london : aberdeen);
    previous = at;
    const std::string call_sign = "Q" + std::to_string(k);
    MustRun("unit.create", "",
            {{"call_sign", call_sign},
             {"bcu", bcus[rng() % 12]},
             {"status", k % 13 == 0 ? "off_duty" : "available"},
             {"crew", boost::json::array{
                          {{"collar", "q" + std::to_string(k)},
                           {"skills", k % 4 == 0 ? boost::json::array{"mental_health_trained"}
                                                 : boost::json::array{}}}}}});
    boost::json::object fix{{"lat", at.lat}, {"lon", at.lon}};
    if (k % 7 == 0) fix["fixed_at"] = FormatIso(now - Minutes(40));  // stale: not ranked
    if (k % 7 == 1) fix["fixed_at"] = FormatIso(now - Minutes(12));  // ranked, with a reason
    MustRun("unit.location", "unit-" + call_sign, fix);
  }
  const size_t ks[] = {1, 3, 5, 12};
  for (int q = 0; q < 120; ++q) {
    const bool mh = q % 2 == 0;
    // Mostly random points; some exactly on a unit (distance zero, ties among co-located units).
    const LatLon at = q % 10 == 9 ? LatLon{kLat, kLon} : in(q % 5 == 3 ? aberdeen : london);
    const std::string id = CreateIncident(
        at.lat, at.lon, mh ? "mental_health" : "concern_for_welfare", q % 3 == 0 ? "S" : "I",
        mh ? boost::json::array{"mental_health"} : boost::json::array{});
    Read([&](const State& s) {
      const Incident& i = Inc(s, id);
      // Exclude a few of the best units for some queries (as when they are already assigned).
      std::set<std::string> exclude;
      if (q % 3 == 1) {
        const Ranked all = BruteForceRanking(s, i, policy_, now, {}, kReach);
        for (size_t n = 0; n < all.units.size() && n < 8; n += 2) {
          exclude.insert(all.units[n].second);
        }
      }
      const Ranked want = BruteForceRanking(s, i, policy_, now, exclude, kReach);
      const size_t k = ks[q % 4];
      const RecommendResult got = RecommendUnits(s, i, policy_, now, k, exclude);
      EXPECT_EQ(got.units.size(), k) << "query " << q;
      for (size_t n = 0; n < got.units.size() && n < want.units.size(); ++n) {
        SCOPED_TRACE("query " + std::to_string(q) + " rank " + std::to_string(n));
        const Recommendation& r = got.units[n];
        EXPECT_EQ(r.unit_id, want.units[n].second);
        EXPECT_EQ(r.score, want.units[n].first);
        const Unit& u = s.cad.units.at(r.unit_id);
        EXPECT_EQ(r.distance_m, DistanceMetres(i.location.point, u.fix->point));
        EXPECT_FALSE(exclude.contains(r.unit_id));
        EXPECT_EQ(HasReason(r, "mental-health-trained"), mh && u.MentalHealthTrained());
        EXPECT_EQ(HasReason(r, "home BCU"), !i.bcu_code.empty() && u.bcu != i.bcu_code);
        EXPECT_EQ(HasReason(r, "min old"), now - u.fix->fixed_at >= Minutes(5));
      }
      // Asking for more than there are ranks every unit, the same way, and says why it is short.
      if (q % 10 == 0) {
        const RecommendResult every = RecommendUnits(s, i, policy_, now, 1000, exclude);
        EXPECT_EQ(every.units.size(), want.units.size());
        for (size_t n = 0; n < every.units.size() && n < want.units.size(); ++n) {
          EXPECT_EQ(every.units[n].unit_id, want.units[n].second) << "query " << q << " rank " << n;
        }
        const std::string stale = std::to_string(want.stale) + " available units have fixes";
        EXPECT_TRUE(!every.why_none.empty() && every.why_none[0].starts_with(stale))
            << "query " << q << ": expected \"" << stale << "...\"";
      }
      return 0;
    });
  }
}

}  // namespace
}  // namespace concordat::testing

namespace concordat::testing {
namespace {

TEST_F(GovernanceTest, AttendanceRecordedAtACoLocatedIncidentIsNotUnrecorded) {
  const std::string parent = CreateIncident(kLat, kLon);
  const std::string sibling = CreateIncident(kLat, LonPlusMetres(10));
  const std::string unit = CreateUnit("AW90", kLat, LonPlusMetres(2000));
  ASSERT_TRUE(Assign(sibling, unit).ok);
  MustRun("unit.location", unit, {{"lat", kLat}, {"lon", LonPlusMetres(5)}});
  Advance(600);
  EXPECT_TRUE(AlertsOfType("unrecorded_attendance").empty());
  EXPECT_EQ(AlertsOfType("status_prompt").size(), 1u);  // for its own incident
  (void)parent;
}

}  // namespace
}  // namespace concordat::testing

namespace concordat::testing {
namespace {

// Closing an incident ends the presence watches of the units near it (assigned or not) and
// forgets which units were near; the derived index of those units is the one a restore rebuilds.
TEST_F(GovernanceTest, ClosingAnIncidentEndsThePresenceWatchOfUnitsNearIt) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string other = CreateIncident(kLat, LonPlusMetres(2000));
  const std::string stranger = CreateUnit("AW70", kLat, LonPlusMetres(3000));
  const std::string assigned = CreateUnit("AW71", kLat, LonPlusMetres(3000));
  const std::string elsewhere = CreateUnit("AW72", kLat, LonPlusMetres(3000));
  ASSERT_TRUE(Assign(id, assigned).ok);
  MustRun("unit.location", stranger, {{"lat", kLat}, {"lon", LonPlusMetres(30)}});
  MustRun("unit.location", assigned, {{"lat", kLat}, {"lon", LonPlusMetres(40)}});
  MustRun("unit.location", elsewhere, {{"lat", kLat}, {"lon", LonPlusMetres(2020)}});
  Read([&](const State& s) {
    const auto& near = s.cad.near_units;
    EXPECT_EQ(near.at(id), (std::set<std::string>{assigned, stranger}));
    EXPECT_EQ(near.at(other), (std::set<std::string>{elsewhere}));
    CadState rebuilt = s.cad;
    rebuilt.near_units.clear();
    rebuilt.Reindex();
    EXPECT_EQ(rebuilt.near_units, near);
    return 0;
  });
  Advance(60);
  MustRun("incident.close", id, {{"result_code", "advice_given"}, {"summary", "resolved"}});
  Read([&](const State& s) {
    EXPECT_FALSE(s.cad.near_units.contains(id));
    EXPECT_FALSE(s.cad.units.at(stranger).near.contains(id));
    EXPECT_FALSE(s.cad.units.at(assigned).near.contains(id));
    EXPECT_TRUE(s.cad.units.at(elsewhere).near.contains(other));
    return 0;
  });
  Advance(600);
  // The closed incident's watches were cancelled; the open one's still ran.
  for (const auto& a : AlertsOfType("unrecorded_attendance")) EXPECT_EQ(a.incident_id, other);
  EXPECT_EQ(AlertsOfType("unrecorded_attendance").size(), 1u);
  EXPECT_TRUE(AlertsOfType("status_prompt").empty());
}

TEST_F(GovernanceTest, ResourcedFollowsCloseRegradeAndEmergencyCancel) {
  // Close then reopen: nobody is attached, so no advisory for an empty incident.
  const std::string id = CreateIncident(kLat, kLon, "concern_for_welfare", "S", {});
  ASSERT_TRUE(Assign(id, CreateUnit("AW91", kLat, LonPlusMetres(300))).ok);
  EXPECT_TRUE(Read([&](const State& s) { return Inc(s, id).resourced; }));
  MustRun("incident.close", id, {{"result_code", "x"}, {"summary", "y"}});
  MustRun("incident.reopen", id, {{"reason", "again"}});
  EXPECT_FALSE(Read([&](const State& s) { return Inc(s, id).resourced; }));
  // Regrade S → I raises the recommendation from 1 to 2: one unit no longer resources it.
  ASSERT_TRUE(Assign(id, "unit-AW91").ok);
  EXPECT_TRUE(Read([&](const State& s) { return Inc(s, id).resourced; }));
  MustRun("incident.regrade", id, {{"grade", "I"}, {"reason", "weapon mentioned"}});
  EXPECT_FALSE(Read([&](const State& s) { return Inc(s, id).resourced; }));
  // Emergency cancelled: the dispatched units stand down and the advisory ends.
  const std::string presser = CreateUnit("AW92", kLat, kLon);
  for (int k = 1; k <= 4; ++k)
    CreateUnit("AW9" + std::to_string(k + 2), kLat, LonPlusMetres(k * 500));
  Outcome em = MustRun("unit.emergency", presser, {});
  const std::string em_id(em.reply.at("id").as_string());
  EXPECT_TRUE(em.reply.at("resourced").as_bool());
  MustRun("unit.emergency_cancel", presser, {});
  EXPECT_FALSE(Read([&](const State& s) { return Inc(s, em_id).resourced; }));
}

}  // namespace
}  // namespace concordat::testing
