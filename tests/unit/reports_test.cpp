// Reports (issue 8) computed on the real domain state: each figure checked against incidents
// whose times are set by the virtual clock, so every expected number follows from the script.
#include "core/reports.hpp"

#include <gtest/gtest.h>

#include "cad_fixture.hpp"
#include "core/csv.hpp"

namespace concordat::testing {
namespace {

class ReportsTest : public CadTest {
 protected:
  reports::Report Build(const std::string& name, const std::string& bcu = "") {
    return Read([&](const State& s) {
      const Context ctx{clock_.Now(), &LondonRef(), &policy_};
      auto r = reports::Build(s, ctx, {name, kT0 - Hours(1), clock_.Now() + 1, bcu});
      EXPECT_TRUE(r.ok()) << r.error().message;
      return *r;
    });
  }
  static const boost::json::object& Row(const reports::Report& r, const std::string& table,
                                        std::initializer_list<std::pair<const char*, const char*>>
                                            match) {
    const reports::Table* t = r.Find(table);
    EXPECT_NE(t, nullptr) << table;
    for (const auto& row : t->rows) {
      bool ok = true;
      for (const auto& [k, v] : match) ok = ok && row.at(k) == boost::json::value(v);
      if (ok) return row;
    }
    ADD_FAILURE() << "no row in " << table;
    static const boost::json::object none;
    return none;
  }
  void SetState(const std::string& inc, const std::string& unit, const char* state) {
    MustRun("assignment.state", inc, {{"unit_id", unit}, {"state", state}});
  }
  std::string BcuAt() {
    return Read([&](const State& s) {
      return s.cad.incidents.begin()->second.bcu_code;
    });
  }
};

TEST_F(ReportsTest, ResponseCountsMetMissedAndPendingPerGradeAndBcu) {
  const std::string u1 = CreateUnit("AW11", kLat, kLon);
  const std::string u2 = CreateUnit("AW12", kLat, kLon);
  const std::string met = CreateIncident(kLat, kLon, "concern_for_welfare", "I");
  const std::string missed = CreateIncident(kLat, kLon, "concern_for_welfare", "I");
  ASSERT_TRUE(Assign(met, u1).ok);
  ASSERT_TRUE(Assign(missed, u2).ok);
  Advance(10 * 60);  // 10 minutes: within the 15-minute target
  SetState(met, u1, "en_route");
  SetState(met, u1, "at_scene");
  Advance(10 * 60);  // 20 minutes: missed
  SetState(missed, u2, "en_route");
  SetState(missed, u2, "at_scene");
  const std::string pending = CreateIncident(kLat, kLon, "concern_for_welfare", "I");
  const std::string s_grade = CreateIncident(kLat, kLon, "concern_for_welfare", "S");
  ASSERT_FALSE(pending.empty());
  ASSERT_FALSE(s_grade.empty());

  const auto r = Build("response");
  EXPECT_EQ(r.summary.at("I_incidents"), 3);
  EXPECT_EQ(r.summary.at("I_met_pct"), 50.0);  // the pending one is not judged yet
  EXPECT_EQ(r.summary.at("S_incidents"), 1);
  const std::string bcu = BcuAt();
  const auto& row = Row(r, "by_bcu", {{"bcu", bcu.c_str()}, {"grade", "I"}});
  EXPECT_EQ(row.at("met"), 1);
  EXPECT_EQ(row.at("missed"), 1);
  EXPECT_EQ(row.at("no_arrival"), 0);
  EXPECT_EQ(row.at("pending"), 1);
  EXPECT_EQ(row.at("median_minutes_to_arrival"), 15.0);  // 10 and 20
  const auto& hour = Row(r, "by_hour", {{"hour", "10:00"}, {"grade", "I"}});  // GMT: 10:00 local
  EXPECT_EQ(hour.at("incidents"), 3);
  // Every reference BCU has a row, so a quiet BCU shows zeros rather than vanishing.
  EXPECT_EQ(r.Find("by_bcu")->rows.size(), LondonRef().bcus.size() * 3);  // I, S, E

  // Past the pending incident's target with no arrival: not read as late (nobody may have been
  // sent, or the arrival not recorded), but counted as such beside the share of arrivals.
  Advance(16 * 60);
  const auto later = Build("response");
  EXPECT_EQ(later.summary.at("I_met_pct"), 50.0);
  EXPECT_EQ(later.summary.at("I_no_arrival"), 1);
  const auto& later_row = Row(later, "by_bcu", {{"bcu", bcu.c_str()}, {"grade", "I"}});
  EXPECT_EQ(later_row.at("missed"), 1);
  EXPECT_EQ(later_row.at("no_arrival"), 1);
  EXPECT_EQ(later_row.at("pending"), 0);
  // A grade with no judged incident has no percentage rather than a misleading 0%.
  EXPECT_TRUE(Build("response").summary.at("S_met_pct").is_null());
}

TEST_F(ReportsTest, AttendanceMeasuresPeakExcessAndMinutesOverTheRecommendation) {
  const std::string inc = CreateIncident(kLat, kLon, "concern_for_welfare", "I");  // recommends 2
  std::vector<std::string> units;
  for (int k = 0; k < 5; ++k) units.push_back(CreateUnit("AW2" + std::to_string(k), kLat, kLon));
  ASSERT_TRUE(Assign(inc, units[0]).ok);
  ASSERT_TRUE(Assign(inc, units[1]).ok);
  Advance(60);
  for (int k = 2; k < 5; ++k) {
    Outcome o = Assign(inc, units[static_cast<size_t>(k)], "self_deployed",
                       {{"confirm", true}, {"reason", "passing"}});
    ASSERT_TRUE(o.ok) << o.error.message;
  }
  Advance(5 * 60);
  MustRun("assignment.stand_down", inc,
          {{"unit_ids", boost::json::array{units[2], units[3], units[4]}}, {"reason", "enough"}});
  Advance(60);

  const auto r = Build("attendance");
  ASSERT_EQ(r.Find("over_attendance")->rows.size(), 1u);
  const auto& row = r.Find("over_attendance")->rows[0];
  EXPECT_EQ(row.at("recommended"), 2);
  EXPECT_EQ(row.at("peak_units"), 5);
  EXPECT_EQ(row.at("excess"), 3);
  EXPECT_EQ(row.at("minutes_over"), 5.0);
  EXPECT_EQ(r.summary.at("self_deployed"), 3);
  EXPECT_EQ(r.summary.at("self_deployed_after_advisory"), 3);
  EXPECT_EQ(r.summary.at("stood_down"), 3);
  EXPECT_EQ(r.summary.at("over_recommendation"), 1);
}

TEST_F(ReportsTest, RecordQualitySetsAvlArrivalAgainstRecordedArrival) {
  const std::string inc = CreateIncident(kLat, kLon, "concern_for_welfare", "I");
  const std::string a = CreateUnit("AW31", kLat, LonPlusMetres(3000));
  const std::string b = CreateUnit("AW32", kLat, LonPlusMetres(3000));
  ASSERT_TRUE(Assign(inc, a).ok);
  ASSERT_TRUE(Assign(inc, b).ok);
  SetState(inc, a, "en_route");
  SetState(inc, b, "en_route");
  Advance(60);
  MustRun("unit.location", a, {{"lat", kLat}, {"lon", kLon}});  // at the scene by AVL
  MustRun("unit.location", b, {{"lat", kLat}, {"lon", kLon}});
  Advance(90);
  SetState(inc, a, "at_scene");  // recorded 1.5 minutes after the fixes put it there
  Advance(10 * 60);           // b never records: prompted at 2 min, escalated 3 min later

  const auto r = Build("record-quality");
  EXPECT_EQ(r.summary.at("assignments"), 2);
  EXPECT_EQ(r.summary.at("avl_arrivals"), 2);
  EXPECT_EQ(r.summary.at("arrivals_recorded"), 1);
  EXPECT_EQ(r.summary.at("arrivals_not_recorded"), 1);
  EXPECT_EQ(r.summary.at("median_lag_minutes"), 1.5);
  EXPECT_GE(r.summary.at("status_prompts").as_int64(), 1);
  EXPECT_GE(r.summary.at("status_not_updated").as_int64(), 1);
  const auto& shift = Row(r, "by_shift", {{"shift", "early"}});  // 10:00 London
  EXPECT_EQ(shift.at("assignments"), 2);
  EXPECT_EQ(Row(r, "by_shift", {{"shift", "night"}}).at("assignments"), 0);
}

// The IOPC's incomplete CAD log: officers were there — a detention says so — but no unit's
// arrival was ever recorded.
TEST_F(ReportsTest, RecordQualityCountsADetentionWithNoRecordedArrival) {
  const boost::json::object s136{
      {"power", "s136"},
      {"location_type", "public_place"},
      {"grounds",
       {{"mental_disorder", "responding to voices"},
        {"care_or_control", "walking into traffic"},
        {"necessity", "risk of serious injury"}}},
      {"person", {{"age", 34}}},
      {"consultation",
       {{"name", "Nurse Adebayo"}, {"role", "registered_nurse"}, {"advice", "place of safety"}}}};
  const Actor officer{"user-off", "officer", "mps", "AW-1001"};
  const std::string unrecorded = CreateIncident(kLat, kLon);
  Outcome o = Run("detention.create", unrecorded, s136, officer);
  ASSERT_TRUE(o.ok) << o.error.message;
  const std::string recorded = CreateIncident(kLat, kLon);
  const std::string u = CreateUnit("AW51", kLat, kLon);
  ASSERT_TRUE(Assign(recorded, u).ok);
  SetState(recorded, u, "en_route");
  SetState(recorded, u, "at_scene");
  ASSERT_TRUE(Run("detention.create", recorded, s136, officer).ok);
  CreateIncident(kLat, kLon);  // nothing on record: not counted either way

  const auto r = Build("record-quality");
  EXPECT_EQ(r.summary.at("attended_not_recorded"), 1);
  EXPECT_EQ(Row(r, "by_shift", {{"shift", "early"}}).at("attended_not_recorded"), 1);
  EXPECT_EQ(Row(r, "by_bcu", {{"bcu", "AW"}}).at("attended_not_recorded"), 1);
  const auto& cols = r.tables.at(0).columns;
  const auto col = std::find_if(cols.begin(), cols.end(),
                                [](const auto& c) { return c.key == "attended_not_recorded"; });
  ASSERT_NE(col, cols.end());
  EXPECT_EQ(col->label, "Detention or force on record, no arrival recorded");
}

TEST_F(ReportsTest, MentalHealthCountsTriageOutcomes) {
  const std::string attended = CreateIncident(kLat, kLon);
  const std::string signposted = CreateIncident(kLat, kLon);
  MustRun("mh.triage", signposted,
          {{"call_type", "concern_for_welfare"},
           {"threshold", "none"},
           {"rationale", "no risk to life; known to the crisis team"},
           {"signposted_to", "trust_crisis_line"},
           {"warm_handover", {{"made", true}, {"to", "SLaM crisis line"}}},
           {"caller_told", true}});
  const std::string u = CreateUnit("AW41", kLat, kLon);
  ASSERT_TRUE(Assign(attended, u).ok);
  SetState(attended, u, "en_route");
  SetState(attended, u, "at_scene");
  CreateIncident(kLat, kLon, "burglary", "S", {});  // not mental-health related

  const auto r = Build("mental-health");
  EXPECT_EQ(r.summary.at("incidents"), 2);
  EXPECT_EQ(r.summary.at("attended"), 1);
  EXPECT_EQ(r.summary.at("triaged"), 1);
  EXPECT_EQ(r.summary.at("below_threshold"), 1);
  EXPECT_EQ(Row(r, "rcrp_outcomes", {{"outcome", "triage signposted: trust_crisis_line"}}).at("incidents"),
            1);
  EXPECT_EQ(Row(r, "demand_by_hour", {{"hour", "10:00"}}).at("incidents"), 2);
  // The signposted call is still open: nobody has reached it yet, which is not yet an outcome.
  EXPECT_EQ(Row(r, "rcrp_outcomes", {{"outcome", "police attendance: not yet (incident open)"}})
                .at("incidents"),
            1);
  MustRun("incident.close", signposted,
          {{"result_code", "advice_given"}, {"summary", "signposted"}});
  EXPECT_EQ(
      Row(Build("mental-health"), "rcrp_outcomes", {{"outcome", "police attendance: not attended"}})
          .at("incidents"),
      1);
}

TEST_F(ReportsTest, WindowAndBcuFilterWhatIsCounted) {
  CreateIncident(kLat, kLon, "concern_for_welfare", "I");
  const std::string bcu = BcuAt();
  Read([&](const State& s) {
    const Context ctx{clock_.Now(), &LondonRef(), &policy_};
    // A window that ends before the incident was received counts nothing.
    auto before = reports::Build(s, ctx, {"response", kT0 - Hours(2), kT0 - Hours(1), ""});
    EXPECT_EQ(before->summary.at("I_incidents"), 0);
    const std::string other = bcu == "AW" ? "NE" : "AW";
    auto elsewhere = reports::Build(s, ctx, {"response", kT0 - Hours(1), kT0 + Hours(1), other});
    EXPECT_EQ(elsewhere->summary.at("I_incidents"), 0);
    EXPECT_EQ(elsewhere->Find("by_bcu")->rows.size(), 3u);  // one BCU × I, S, E
    return 0;
  });
}

TEST_F(ReportsTest, BadRequestsAreInvalidArgumentsNamingTheField) {
  Read([&](const State& s) {
    const Context ctx{clock_.Now(), &LondonRef(), &policy_};
    auto unknown = reports::Build(s, ctx, {"nonsense", kT0 - Hours(1), kT0, ""});
    EXPECT_EQ(unknown.error().field, "report");
    auto inverted = reports::Build(s, ctx, {"response", kT0, kT0 - Hours(1), ""});
    EXPECT_EQ(inverted.error().field, "to");
    auto bcu = reports::Build(s, ctx, {"response", kT0 - Hours(1), kT0, "ZZ"});
    EXPECT_EQ(bcu.error().field, "bcu");
    return 0;
  });
}

// A share of nothing is "none yet" (null, shown as "—"), not 0%: an empty window says so.
TEST_F(ReportsTest, AShareOfNothingIsNullNotZero) {
  const auto mh = Build("mental-health");
  EXPECT_EQ(mh.summary.at("incidents"), 0);
  EXPECT_TRUE(mh.summary.at("attended_pct").is_null());
  EXPECT_TRUE(mh.summary.at("ambulance_conveyance_pct").is_null());
  const auto quality = Build("record-quality");
  EXPECT_TRUE(quality.summary.at("arrivals_recorded_pct").is_null());
  CreateIncident(kLat, kLon, "mental_health", "I");
  EXPECT_EQ(Build("mental-health").summary.at("attended_pct"), 0.0);  // one incident, not attended
}

TEST_F(ReportsTest, EveryReportBuildsAndItsTablesWriteAsCsv) {
  CreateIncident(kLat, kLon);
  for (const auto& [name, title] : reports::Catalogue()) {
    const auto r = Build(name);
    EXPECT_EQ(r.title, title);
    EXPECT_FALSE(r.tables.empty()) << name;
    for (const auto& t : r.tables) {
      auto csv = ParseCsv(reports::TableCsv(t));
      ASSERT_TRUE(csv.ok()) << name << "/" << t.name;
      ASSERT_EQ(csv->header.size(), t.columns.size());
      EXPECT_EQ(csv->rows.size(), t.rows.size());
    }
    const auto j = reports::ToJson(r);
    EXPECT_EQ(j.at("report"), name.c_str());
    EXPECT_EQ(j.at("tables").as_array().size(), r.tables.size());
  }
  reports::Table t{"t", "T", {{"a", "A", ""}}, {{{"a", "x, \"y\""}}}};
  EXPECT_EQ(reports::TableCsv(t), "a\r\n\"x, \"\"y\"\"\"\r\n");
}

}  // namespace
}  // namespace concordat::testing
