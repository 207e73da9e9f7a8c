// The Home Office s136 annual return (RULES.md A15): financial-year boundaries and the fields.
#include "core/csv.hpp"
#include "core/reports.hpp"
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class ReportTest : public MhTest {
 protected:
  // An incident and an s136 decided at `at` (London), person as given.
  std::string DetainOn(Timestamp at, boost::json::object person) {
    Outcome inc = MustRun("incident.create", "",
                          {{"channel", "999"},
                           {"location", {{"lat", kLat}, {"lon", kLon}, {"type", "public_place"}}},
                           {"type", "mental_health"},
                           {"grade", "I"},
                           {"received_at", FormatIso(at)}});
    auto body = S136(std::move(person));
    body["decided_at"] = FormatIso(at);
    return Detain(std::string(inc.reply.at("id").as_string()), body);
  }
  CsvTable Csv(int year) {
    auto t = ParseCsv(Read([&](const State& s) { return S136ReturnCsv(s, year); }));
    EXPECT_TRUE(t.ok());
    return *t;
  }
};

// 31 March 2026 23:30 BST is still 2025/26; 1 April 2026 00:30 BST is 2026/27.
constexpr Timestamp k31Mar2026 = 1'774'996'200'000'000;  // 2026-03-31T22:30:00Z
constexpr Timestamp k1Apr2026 = 1'775'000'000'000'000;   // 2026-03-31T23:33:20Z

TEST_F(ReportTest, A15FinancialYearByLondonDateOfTheDecision) {
  const std::string march = DetainOn(k31Mar2026, {{"age", 30}});
  const std::string april = DetainOn(k1Apr2026, {{"age", 30}});
  auto y2025 = Csv(2025);
  ASSERT_EQ(y2025.rows.size(), 1u);
  EXPECT_EQ(y2025.rows[0].fields[y2025.Column("detention_id")], march);
  EXPECT_EQ(y2025.rows[0].fields[y2025.Column("financial_year")], "2025/26");
  auto y2026 = Csv(2026);
  ASSERT_EQ(y2026.rows.size(), 1u);
  EXPECT_EQ(y2026.rows[0].fields[y2026.Column("detention_id")], april);
  EXPECT_EQ(y2026.rows[0].fields[y2026.Column("decided_on")], "2026-04-01");
}

TEST_F(ReportTest, A15AgeBandSexEthnicityFirstPlaceTransportAndReason) {
  const std::string child =
      DetainOn(Now(), {{"date_of_birth", "2010-02-01"}, {"sex", "female"}, {"ethnicity", "black"}});
  Step("detention.conveyance", child,
       {{"mode", "police_vehicle"}, {"police_vehicle_reason", "ambulance_not_available"}});
  Step("detention.place", child, Ed());
  Step("detention.arrival", child);
  Step("detention.transfer", child, Hbpos());
  const std::string adult = DetainOn(Now(), {{"age", 70}});
  const std::string s135 =
      Detain(CreateIncident(kLat, kLon),
             {{"power", "s135"},
              {"location_type", "private_dwelling"},
              {"person", {{"age", 40}}},
              {"warrant", {{"reference", "W"}, {"amhp", "A"}, {"doctor", "D"}}}});
  auto t = Csv(2026);
  ASSERT_EQ(t.rows.size(), 2u);  // s135 is not in the s136 return
  const auto& c = t.rows[0].fields;
  EXPECT_EQ(c[t.Column("detention_id")], child);
  EXPECT_EQ(c[t.Column("age_band")], "under_18");
  EXPECT_EQ(c[t.Column("sex")], "female");
  EXPECT_EQ(c[t.Column("ethnicity")], "black");
  EXPECT_EQ(c[t.Column("first_place_of_safety")], "emergency_department");  // not the transfer
  EXPECT_EQ(c[t.Column("transport")], "police_vehicle");
  EXPECT_EQ(c[t.Column("police_vehicle_reason")], "ambulance_not_available");
  const auto& a = t.rows[1].fields;
  EXPECT_EQ(a[t.Column("age_band")], "65_plus");
  EXPECT_EQ(a[t.Column("sex")], "not_stated");
  EXPECT_EQ(a[t.Column("first_place_of_safety")], "not_recorded");
  EXPECT_EQ(a[t.Column("transport")], "not_recorded");
  (void)s135;
}

// The mental-health report's median time detained is of the detentions that have ended; the
// summary says how many have and how many are still running, so "—" is not read as none.
TEST_F(ReportTest, TheMedianTimeDetainedSaysHowManyHaveEndedAndHowManyRun) {
  const std::string running = DetainedAt(Hbpos());
  const std::string ended = DetainedAt(Hbpos());
  AdvanceBy(Hours(3));
  Step("detention.outcome", ended, {{"outcome", "detained_s2"}});
  const auto summary = Read([&](const State& s) {
    const Context ctx{Now(), &LondonRef(), &policy_};
    auto r = reports::Build(s, ctx, {"mental-health", Now() - Hours(24), Now() + 1, ""});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->summary : boost::json::object{};
  });
  EXPECT_EQ(summary.at("detentions_ended").as_int64(), 1);
  EXPECT_EQ(summary.at("detentions_running").as_int64(), 1);
  EXPECT_TRUE(summary.at("median_hours_detained").is_number());
  (void)running;
}

TEST_F(ReportTest, HandoverWaitsRunUntilTheOfficersLeaveAndOnlyFinishedOnesMakeTheMean) {
  const std::string done = DetainedAt(Hbpos());
  const std::string waiting = DetainedAt(Hbpos());
  AdvanceBy(Minutes(20));
  Step("detention.handover", done, {{"stage", "requested"}, {"to", "nurse in charge"}});
  AdvanceBy(Minutes(50));  // accepted at 70 min
  Step("detention.handover", done, {{"stage", "accepted"}, {"by", "RMN Okafor"}});
  AdvanceBy(Minutes(5));  // officers leave at 75 min: the wait is theirs
  Step("detention.handover", done, {{"stage", "officers_left"}});
  AdvanceBy(Hours(10));  // the other wait still runs
  const auto r = Read([&](const State& s) {
    const Context ctx{Now(), &LondonRef(), &policy_};
    return reports::Build(s, ctx, {"mental-health", Now() - Hours(24), Now() + 1, ""}).value();
  });
  EXPECT_EQ(r.summary.at("mean_handover_wait_minutes").as_double(), 75.0);
  EXPECT_EQ(r.summary.at("handover_waits_running").as_int64(), 1);
  EXPECT_EQ(r.summary.at("handover_waits_over_60").as_int64(), 2);
  for (const auto& t : r.tables) {
    if (t.name != "detentions") continue;
    for (const auto& row : t.rows) {
      if (row.at("detention_id") == boost::json::value(done)) {
        EXPECT_EQ(row.at("handover_wait_minutes").as_double(), 75.0);
        EXPECT_EQ(row.at("handover_wait_running"), boost::json::value(false));
      } else if (row.at("detention_id") == boost::json::value(waiting)) {
        // Still running: counted up to the report's time, and the row says so.
        EXPECT_EQ(row.at("handover_wait_minutes").as_double(), 675.0);  // from arrival at 0
        EXPECT_EQ(row.at("handover_wait_running"), boost::json::value(true));
      }
    }
  }
  // The limit is the force's (mental_health.handover_alert_minutes), and the report says which.
  policy_.mental_health.handover_alert_after = Minutes(90);
  const auto r90 = Read([&](const State& s) {
    const Context ctx{Now(), &LondonRef(), &policy_};
    return reports::Build(s, ctx, {"mental-health", Now() - Hours(24), Now() + 1, ""}).value();
  });
  EXPECT_EQ(r90.summary.at("handover_limit_minutes").as_int64(), 90);
  EXPECT_EQ(r90.summary.at("handover_waits_over_60").as_int64(), 1);  // 75 min is within 90
  for (const auto& t : r90.tables) {
    for (const auto& c : t.columns) {
      if (c.key == "handover_over_60") {
        EXPECT_EQ(c.label, "Handover over 90 min");
      }
    }
  }
}

TEST_F(ReportTest,
       ADetainedPersonsIncidentWasAttendedAndAWelfareCallTriagedBelowTheThresholdCounts) {
  const std::string det = DetainedAt(Hbpos());  // its incident has no unit arrival recorded
  Outcome welfare = MustRun("incident.create", "",
                            {{"channel", "101"},
                             {"location", {{"lat", kLat}, {"lon", kLon}, {"type", "public_place"}}},
                             {"type", "concern_for_welfare"},
                             {"grade", "S"}});
  ASSERT_TRUE(welfare.ok);
  const std::string wid(welfare.reply.at("id").as_string());
  ASSERT_TRUE(MustRun("mh.triage", wid,
                      {{"call_type", "concern_for_welfare"},
                       {"threshold", "none"},
                       {"rationale", "known to the crisis team, safe at home"},
                       {"caller_told", true},
                       {"signposted_to", "trust_crisis_line"},
                       {"warm_handover", {{"made", true}, {"to", "SLaM crisis line"}}}})
                  .ok);
  const auto summary = Read([&](const State& s) {
    const Context ctx{Now(), &LondonRef(), &policy_};
    return reports::Build(s, ctx, {"mental-health", Now() - Hours(24), Now() + 1, ""})
        .value()
        .summary;
  });
  EXPECT_EQ(summary.at("incidents").as_int64(), 2);
  EXPECT_EQ(summary.at("attended").as_int64(), 1);  // the detention's
  EXPECT_EQ(summary.at("below_threshold").as_int64(), 1);
  (void)det;
}

}  // namespace
}  // namespace concordat::testing
