// Right Care, Right Person triage (RULES.md D22–D26) and the national MoU (E28).
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class TriageTest : public MhTest {
 protected:
  const Actor handler_{"user-ch", "call_handler", "mps", ""};
  Outcome Triage(const std::string& inc, boost::json::object body) {
    return As(handler_, "mh.triage", inc, std::move(body));
  }
  static boost::json::object Base(const char* threshold) {
    return {{"call_type", "concern_for_welfare"},
            {"threshold", threshold},
            {"rationale", "caller's neighbour not seen for three days"},
            {"caller_told", true}};
  }
};

TEST_F(TriageTest, D22AboveTheThresholdPoliceAttendWithTheRationaleKept) {
  const std::string inc = CreateIncident(kLat, kLon);
  Outcome o = Triage(inc, Base("risk_to_life"));
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_TRUE(o.reply.at("police_attend").as_bool());
  EXPECT_EQ(o.reply.at("version").as_uint64(), 1u);
  Outcome again = Triage(inc, Base("crime"));
  EXPECT_EQ(again.reply.at("version").as_uint64(), 2u);  // each triage a new version
  Read([&](const State& s) {
    EXPECT_EQ(s.mh.triage.at(inc).size(), 2u);
    EXPECT_EQ(s.mh.triage.at(inc)[0].data.at("threshold"), "risk_to_life");
    return 0;
  });
}

TEST_F(TriageTest, D22BelowTheThresholdNeedsSignpostingAndTheWarmHandover) {
  const std::string inc = CreateIncident(kLat, kLon);
  EXPECT_EQ(Triage(inc, Base("none")).error.field, "signposted_to");
  auto body = Base("none");
  body["signposted_to"] = "trust_crisis_line";
  EXPECT_EQ(Triage(inc, body).error.field, "warm_handover.made");
  body["warm_handover"] = {{"made", false}};
  EXPECT_EQ(Triage(inc, body).error.field, "warm_handover.reason_not_made");
  body["warm_handover"] = {{"made", true}, {"to", "SLaM crisis line"}};
  Outcome o = Triage(inc, body);
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_FALSE(o.reply.at("police_attend").as_bool());
  EXPECT_EQ(o.reply.at("warm_handover").at("to"), "SLaM crisis line");
}

TEST_F(TriageTest, D22BelowTheThresholdTheIncidentNoLongerWaitsForAUnit) {
  const std::string inc = CreateIncident(kLat, kLon);
  ASSERT_TRUE(Read([&](const State& s) { return s.cad.incidents.at(inc).target_at.has_value(); }));
  auto body = Base("none");
  body["signposted_to"] = "trust_crisis_line";
  body["warm_handover"] = {{"made", true}, {"to", "SLaM crisis line"}};
  ASSERT_TRUE(Triage(inc, body).ok);
  Read([&](const State& s) {
    const Incident& i = s.cad.incidents.at(inc);
    EXPECT_EQ(i.grade, "R");
    EXPECT_FALSE(i.target_at.has_value());  // not overdue however long it stays open
    return 0;
  });
  // Triaged again, now above the threshold: the grade is the controller's to raise, and the
  // reply says so.
  Outcome again = Triage(inc, Base("risk_to_life"));
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(Read([&](const State& s) { return s.cad.incidents.at(inc).grade; }), "R");
  EXPECT_NE(boost::json::serialize(again.reply.at("warnings")).find("regrade it"),
            std::string::npos);
}

TEST_F(TriageTest, D23CallTypesAndD26CallerToldIsRequired) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto body = Base("crime");
  body["call_type"] = "noise";
  EXPECT_EQ(Triage(inc, body).error.field, "call_type");
  body = Base("crime");
  body.erase("caller_told");
  EXPECT_EQ(Triage(inc, body).error.field, "caller_told");
  body["caller_told"] = false;
  Outcome o = Triage(inc, body);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.reply.at("warnings").as_array().size(), 1u);
}

TEST_F(TriageTest, D24InformalPatientsCannotBeReturnedUnderSection18) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto body = Base("serious_harm");
  body["call_type"] = "awol";
  EXPECT_EQ(Triage(inc, body).error.field, "awol.patient_legal_status");
  body["awol"] = {{"patient_legal_status", "informal"}, {"return_under_s18", true}};
  Outcome o = Triage(inc, body);
  EXPECT_EQ(o.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(o.error.message.rfind("MHA 1983 s18:", 0), 0u);
  body["awol"] = {{"patient_legal_status", "part2"}, {"return_under_s18", true}};
  Outcome ok = Triage(inc, body);
  ASSERT_TRUE(ok.ok);
  EXPECT_NE(std::string(ok.reply.at("awol").at("powers").as_string()).find("s18"),
            std::string::npos);
}

TEST_F(TriageTest, D24PartThreeDangerousOrVulnerableAreReportedImmediately) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto body = Base("serious_harm");
  body["call_type"] = "awol";
  body["awol"] = {{"patient_legal_status", "part3"}};
  EXPECT_EQ(Triage(inc, body).error.field, "awol.hospital_reported_at");
  AdvanceBy(Hours(3));
  body["awol"] = {{"patient_legal_status", "informal"},
                  {"particularly_vulnerable", true},
                  {"absent_since", FormatIso(Now() - Hours(3))},
                  {"hospital_reported_at", FormatIso(Now() - Minutes(30))}};
  Outcome o = Triage(inc, body);
  ASSERT_TRUE(o.ok);
  EXPECT_TRUE(o.reply.at("awol").at("immediate_report_required").as_bool());
  EXPECT_TRUE(o.reply.at("awol").at("late_report").as_bool());
}

TEST_F(TriageTest, E28AUnitRequestRecordsItsExceptionOrIsFlagged) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto body = Base("serious_harm");
  body["mh_unit_request"] = {{"unit", "Ladywell Unit"}, {"purpose", "help with a depot injection"}};
  Outcome flagged = Triage(inc, body);
  ASSERT_TRUE(flagged.ok);
  EXPECT_TRUE(flagged.reply.at("mh_unit_request").at("mou_flag").as_bool());
  ASSERT_EQ(AlertsOfType("mou_flag").size(), 1u);
  body["mh_unit_request"] = {{"unit", "Ladywell Unit"}, {"exception", "weapon_or_hostage"}};
  Outcome ok = Triage(inc, body);
  EXPECT_FALSE(ok.reply.at("mh_unit_request").at("mou_flag").as_bool());
  EXPECT_EQ(AlertsOfType("mou_flag").size(), 1u);
}

}  // namespace
}  // namespace concordat::testing
