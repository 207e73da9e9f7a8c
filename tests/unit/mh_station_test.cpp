// Police stations as places of safety (RULES.md A6–A8, A14) and the RCRP handover (D25).
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class StationTest : public MhTest {};

// The virtual clock starts on 27 November 2026 (London date).
constexpr const char* kDob17y364d = "2008-11-28";  // 18 tomorrow
constexpr const char* kDob18y0d = "2008-11-27";    // 18 today

TEST_F(StationTest, A6SeventeenYears364DaysIsBlockedAtAPoliceStation) {
  const std::string det =
      Detain(CreateIncident(kLat, kLon), S136({{"date_of_birth", kDob17y364d}}));
  const std::string msg = Refused("detention.place", det, Station());
  EXPECT_EQ(msg.rfind("s136A: a person under 18 may not be taken to a police station", 0), 0u)
      << msg;
}

TEST_F(StationTest, A7EighteenYearsZeroDaysIsAllowedWithTheThreeConditions) {
  const std::string det = Detain(CreateIncident(kLat, kLon), S136({{"date_of_birth", kDob18y0d}}));
  Step("detention.place", det, Station());
  Step("detention.arrival", det);
  EXPECT_TRUE(Det(det).AtPoliceStation());
  EXPECT_EQ(Det(det).Current()->conditions.at("healthcare_professional"),
            "FME Dr Okafor will attend");
}

TEST_F(StationTest, A6UnknownAgeWithSignsOfAChildIsTreatedAsAChild) {
  const std::string det = Detain(CreateIncident(kLat, kLon), S136({{"appears_child", true}}));
  const std::string msg = Refused("detention.place", det, Station());
  EXPECT_NE(msg.find("treated as a child"), std::string::npos) << msg;
  // Kept at a police station is the same as taken to one.
  auto kept = S136({{"age", 15}});
  kept["location_type"] = "police_station";
  kept["kept_at_location"] = true;
  EXPECT_EQ(Refused("detention.create", CreateIncident(kLat, kLon), kept).rfind("s136A:", 0), 0u);
}

TEST_F(StationTest, A7EachConditionAndTheInspectorsAuthorisationAreRequired) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  for (const char* k : {"imminent_risk", "no_other_place", "healthcare_professional"}) {
    auto body = Station();
    body["police_station"].as_object().erase(k);
    const std::string msg = Refused("detention.place", det, body);
    EXPECT_EQ(msg.rfind("reg 2 (SI 2017/1036):", 0), 0u) << msg;
    EXPECT_NE(msg.find(k), std::string::npos) << msg;
  }
  auto no_auth = Station();
  no_auth["police_station"].as_object().erase("inspector_authorisation");
  EXPECT_NE(Refused("detention.place", det, no_auth).find("inspector's authorisation"),
            std::string::npos);
  // An inspector deciding needs nobody else's authorisation.
  no_auth["police_station"].as_object()["decision_maker_rank"] = "inspector";
  Step("detention.place", det, no_auth);
}

TEST_F(StationTest, A14TheMentalHealthAct2025RemovesPoliceStationsFromItsCommencementDate) {
  policy_.mental_health.police_stations_removed_from = Now() + Hours(1);
  const std::string det = Detain(CreateIncident(kLat, kLon));
  Step("detention.place", det, Station());  // before commencement
  AdvanceBy(Hours(1));
  // Arrival after commencement: the gate is checked again.
  const std::string msg = Refused("detention.arrival", det, {});
  EXPECT_EQ(msg.rfind("Mental Health Act 2025:", 0), 0u) << msg;
  Step("detention.place", det, Hbpos());  // a change of plan before arrival
  Step("detention.arrival", det);
}

TEST_F(StationTest, A8WelfareCheckMissedAtThirtyMinutesPlusGrace) {
  const std::string det = DetainedAt(Station());
  const Timestamp grace = policy_.mental_health.welfare_grace;
  AdvanceBy(Minutes(30) + grace - Seconds(1));
  EXPECT_TRUE(AlertsFor("welfare_check_missed", det).empty());
  Advance(1);
  ASSERT_EQ(AlertsFor("welfare_check_missed", det).size(), 1u);
  // A check resets the interval; the next one is due 30 minutes (+ grace) later.
  Step("detention.check", det, {{"kind", "welfare"}, {"by", "Nurse Adebayo"}});
  AdvanceBy(Minutes(30) + grace - Seconds(1));
  EXPECT_EQ(AlertsFor("welfare_check_missed", det).size(), 1u);
  Advance(1);
  EXPECT_EQ(AlertsFor("welfare_check_missed", det).size(), 2u);
  // Still missed: it keeps escalating every 30 minutes.
  AdvanceBy(Minutes(30));
  EXPECT_EQ(AlertsFor("welfare_check_missed", det).size(), 3u);
  // Leaving the police station ends the checks.
  Step("detention.transfer", det, Hbpos());
  AdvanceBy(Hours(2));
  EXPECT_EQ(AlertsFor("welfare_check_missed", det).size(), 3u);
}

TEST_F(StationTest, A8WelfareChecksOnlyAtAPoliceStationAndCustodyReviewsHourly) {
  const std::string hb = DetainedAt(Hbpos());
  Refused("detention.check", hb, {{"by", "Nurse"}});
  const std::string det = DetainedAt(Station());
  for (int i = 0; i < 4; ++i) {
    AdvanceBy(Minutes(15));
    Step("detention.check", det, {{"by", "Nurse Adebayo"}});
  }
  EXPECT_TRUE(AlertsFor("welfare_check_missed", det).empty());
  ASSERT_EQ(AlertsFor("custody_review_due", det).size(), 1u);  // at 60 minutes (*check*)
  Outcome o = Step("detention.check", det,
                   {{"kind", "custody_review"}, {"by", "Insp Rahman"}, {"conditions_met", false}});
  EXPECT_EQ(o.reply.at("warnings").as_array().size(), 1u);
  EXPECT_EQ(AlertsFor("custody_review", det).size(), 1u);
}

TEST_F(StationTest, D25HandoverAlertAtExactlySixtyMinutesWithAnEscalationRecord) {
  const std::string det = DetainedAt(Ed());
  // A request must say whom it was made to: the wait is escalated with them.
  const std::string unnamed =
      Refused("detention.handover", det, {{"stage", "requested"}}, ErrorCode::kInvalidArgument);
  EXPECT_NE(unnamed.find("whom the handover was requested from"), std::string::npos);
  Step("detention.handover", det, {{"stage", "requested"}, {"to", "ED nurse in charge"}});
  AdvanceBy(Minutes(60) - Seconds(1));
  EXPECT_TRUE(AlertsFor("handover_wait", det).empty());
  Advance(1);
  auto alerts = AlertsFor("handover_wait", det);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].data.at("waited_minutes").as_int64(), 60);
  const Detention d = Det(det);
  ASSERT_EQ(d.handover.escalations.size(), 1u);
  EXPECT_EQ(d.handover.escalations[0].at("alert_id"), boost::json::value(alerts[0].id));
  EXPECT_EQ(d.handover.escalations[0].at("waited_minutes").as_int64(), 60);
  // Guidance, not a block: the officers stay until health accepts.
  const std::string msg = Refused("detention.handover", det, {{"stage", "officers_left"}});
  EXPECT_NE(msg.find("accept"), std::string::npos);
  Step("detention.handover", det, {{"stage", "accepted"}, {"by", "Charge Nurse Bello"}});
  Step("detention.handover", det, {{"stage", "officers_left"}});
  EXPECT_EQ(Det(det).handover.officers_left_at, Now());
}

TEST_F(StationTest, D25NoAlertWhenOfficersLeaveWithinTheHour) {
  const std::string det = DetainedAt(Hbpos());
  AdvanceBy(Minutes(20));
  Step("detention.handover", det, {{"stage", "requested"}, {"to", "Nurse in charge"}});
  Step("detention.handover", det, {{"stage", "accepted"}, {"by", "Nurse"}});
  Step("detention.handover", det, {{"stage", "officers_left"}});
  AdvanceBy(Hours(2));
  EXPECT_TRUE(AlertsFor("handover_wait", det).empty());
  EXPECT_FALSE(TimerExists("detention-handover:" + det));
  // With the officers gone there is no wait left to escalate.
  const std::string msg =
      Refused("detention.handover", det, {{"stage", "escalated"}, {"notes", "rang the manager"}});
  EXPECT_NE(msg.find("the handover is over"), std::string::npos) << msg;
}

TEST_F(StationTest, D25TheTrustRunningThePlaceOfSafetyAcceptsTheHandoverAndNothingElse) {
  const std::string det = DetainedAt(Hbpos());  // the Maudsley: run by SLaM
  Step("detention.handover", det, {{"stage", "requested"}, {"to", "nurse in charge"}});
  const Actor slam{"user-rmn", "clinician", "trust-slam", ""};
  const Actor elft{"user-elft", "clinician", "trust-elft", ""};
  Outcome other = As(elft, "detention.handover", det, {{"stage", "accepted"}, {"by", "RMN"}});
  EXPECT_EQ(other.error.code, ErrorCode::kPermissionDenied);
  EXPECT_NE(other.error.message.find("only the trust running"), std::string::npos);
  Outcome leave = As(slam, "detention.handover", det, {{"stage", "officers_left"}});
  EXPECT_EQ(leave.error.code, ErrorCode::kPermissionDenied);
  Outcome ok = As(slam, "detention.handover", det, {{"stage", "accepted"}, {"by", "RMN Okafor"}});
  ASSERT_TRUE(ok.ok) << ok.error.message;
  EXPECT_EQ(Det(det).handover.accepted_by, "RMN Okafor");
  // The officers record their own leaving.
  Step("detention.handover", det, {{"stage", "officers_left"}});
  EXPECT_TRUE(Det(det).handover.officers_left_at.has_value());
}

}  // namespace
}  // namespace concordat::testing
