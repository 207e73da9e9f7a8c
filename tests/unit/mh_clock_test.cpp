// The 24-hour clock (RULES.md A4) and the s136B extension (A5), with their boundaries.
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class ClockTest : public MhTest {
 protected:
  boost::json::object Extension(int hours = 12) {
    return {{"hours", hours},
            {"reason", "condition_of_person"},
            {"clinical_reason", "too intoxicated to assess; reassess when sober"},
            {"doctor",
             {{"name", "Dr Mensah"},
              {"role", "registered_medical_practitioner"},
              {"responsible_for_examination", true}}}};
  }
};

TEST_F(ClockTest, A4ArrivalAtAnEmergencyDepartmentStartsTheClock) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  Step("detention.place", det, Ed());
  AdvanceBy(Minutes(25));  // conveyance
  EXPECT_FALSE(Det(det).clock_started_at.has_value());
  const Timestamp arrived = Now();
  Outcome o = Step("detention.arrival", det);
  const auto& clock = o.reply.at("clock");
  EXPECT_EQ(clock.at("started_at"), boost::json::value(FormatIso(arrived)));
  EXPECT_EQ(clock.at("expires_at"), boost::json::value(FormatIso(arrived + Hours(24))));
  EXPECT_TRUE(clock.at("extended_until").is_null());
  EXPECT_EQ(clock.at("basis"), "arrival");
  EXPECT_EQ(Det(det).Current()->site_name, "St Thomas' Hospital");
}

TEST_F(ClockTest, A4KeptWhereTheyAreStartsAtTheDecisionAndS135AtFirstEntry) {
  auto kept = S136();
  kept["location_type"] = "health_setting";
  kept["kept_at_location"] = true;
  // The calls come in first; the decision and the entry follow them.
  const std::string first_call = CreateIncident(kLat, kLon);
  const std::string second_call = CreateIncident(kLat, kLon);
  AdvanceBy(Minutes(5));
  const Timestamp decided = Now() - Minutes(3);
  kept["decided_at"] = FormatIso(decided);
  const std::string det = Detain(first_call, kept);
  EXPECT_EQ(Det(det).clock_started_at, decided);
  EXPECT_EQ(Det(det).clock_basis, "decision");
  EXPECT_EQ(Det(det).status, "at_place_of_safety");

  const Timestamp entered = Now() - Minutes(2);
  const std::string s135 =
      Detain(second_call, {{"power", "s135"},
                           {"location_type", "private_dwelling"},
                           {"person", {{"age", 44}}},
                           {"kept_at_location", true},
                           {"entered_at", FormatIso(entered)},
                           {"warrant", {{"reference", "W1"}, {"amhp", "AMHP"}, {"doctor", "Dr"}}}});
  EXPECT_EQ(Det(s135).clock_started_at, entered);
  EXPECT_EQ(Det(s135).clock_basis, "first_entry");
  EXPECT_EQ(Det(s135).expires_at, entered + Hours(24));
}

TEST_F(ClockTest, A4TransfersNeverRestartTheClock) {
  const std::string det = DetainedAt(Ed());
  const Detention before = Det(det);
  AdvanceBy(Hours(6));
  Step("detention.transfer", det, Hbpos());
  const Detention after = Det(det);
  EXPECT_EQ(after.clock_started_at, before.clock_started_at);
  EXPECT_EQ(after.expires_at, before.expires_at);
  ASSERT_EQ(after.places.size(), 2u);
  EXPECT_EQ(after.places[0].left_at, Now());
  EXPECT_TRUE(after.places[1].transfer);
  EXPECT_EQ(after.places[1].arrived_at, Now());
  // The alert timers still point at the first expiry.
  EXPECT_EQ(Read([&](const State& s) {
              return s.timers.Find("detention-clock:" + det + ":expiry")->due;
            }),
            *before.expires_at);
}

TEST_F(ClockTest, A4AlertsAtFourHoursOneHourAndExpiryAndNotAMinuteEarlier) {
  const std::string det = DetainedAt(Hbpos());
  AdvanceBy(Hours(20) - Seconds(1));
  EXPECT_TRUE(AlertsFor("s136_clock", det).empty());
  Advance(1);  // 4 h before expiry
  ASSERT_EQ(AlertsFor("s136_clock", det).size(), 1u);
  EXPECT_EQ(AlertsFor("s136_clock", det)[0].data.at("label"), "4h");
  EXPECT_NE(AlertsFor("s136_clock", det)[0].message.find("4 h 0 min left"), std::string::npos);
  AdvanceBy(Hours(3));
  ASSERT_EQ(AlertsFor("s136_clock", det).size(), 2u);
  // 23 h 59 m: still within the period — no expiry alert, and a transfer is still lawful.
  AdvanceBy(Minutes(59));
  EXPECT_EQ(AlertsFor("s136_clock", det).size(), 2u);
  EXPECT_FALSE(Det(det).period_expired);
  Step("detention.transfer", det, Ed());
  // 24 h: expired.
  AdvanceBy(Minutes(1));
  auto alerts = AlertsFor("s136_clock", det);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[2].data.at("label"), "expiry");
  EXPECT_TRUE(Det(det).period_expired);
  const std::string msg = Refused("detention.transfer", det, Hbpos());
  EXPECT_EQ(msg.rfind("s136(2A):", 0), 0u) << msg;
  // Ending it afterwards records that the period expired.
  Step("detention.outcome", det, {{"outcome", "discharged_with_follow_up"}});
  EXPECT_EQ(Det(det).end_reason, "period_expired");
}

TEST_F(ClockTest, A4AlertTimesAreConfiguration) {
  policy_.mental_health.clock_alerts_before = {Hours(2), Minutes(30)};
  const std::string det = DetainedAt(Hbpos());
  AdvanceBy(Hours(22));
  ASSERT_EQ(AlertsFor("s136_clock", det).size(), 1u);
  EXPECT_EQ(AlertsFor("s136_clock", det)[0].data.at("label"), "2h");
  AdvanceBy(Minutes(90));
  EXPECT_EQ(AlertsFor("s136_clock", det).back().data.at("label"), "30m");
}

TEST_F(ClockTest, A5ExtensionOneMinuteBeforeExpiryIsAllowedAndMovesTheAlerts) {
  const std::string det = DetainedAt(Hbpos());
  const Timestamp expires = *Det(det).expires_at;
  AdvanceBy(Hours(24) - Minutes(1));
  Outcome o = Step("detention.extension", det, Extension(12));
  EXPECT_EQ(o.reply.at("clock").at("extended_until"),
            boost::json::value(FormatIso(expires + Hours(12))));
  EXPECT_EQ(o.reply.at("clock").at("expires_at"), boost::json::value(FormatIso(expires)));
  AdvanceBy(Minutes(1));  // the original 24 h: no expiry
  EXPECT_FALSE(Det(det).period_expired);
  AdvanceBy(Hours(8));  // 4 h before the new end
  EXPECT_EQ(AlertsFor("s136_clock", det).back().data.at("label"), "4h");
  AdvanceBy(Hours(4));
  EXPECT_EQ(AlertsFor("s136_clock", det).back().data.at("label"), "expiry");
  EXPECT_TRUE(Det(det).period_expired);
}

TEST_F(ClockTest, A4NotAtAPlaceOfSafetyAlertsEveryHourUntilArrival) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  AdvanceBy(Hours(1) - Seconds(1));
  EXPECT_TRUE(AlertsFor("s136_not_arrived", det).empty());
  Advance(1);
  auto alerts = AlertsFor("s136_not_arrived", det);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].message.find("1 h 0 min ago, no place of safety chosen"), std::string::npos)
      << alerts[0].message;
  Step("detention.place", det, Hbpos());
  AdvanceBy(Hours(1));  // chosen, still not there: told again, on the alert still open
  alerts = AlertsFor("s136_not_arrived", det);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].message.find("2 h 0 min ago, on the way to"), std::string::npos)
      << alerts[0].message;
  EXPECT_EQ(alerts[0].data.at("held_minutes"), 120);
  EXPECT_FALSE(alerts[0].acknowledged_at.has_value());
  // Once someone has acknowledged it, the next telling is a new alert.
  MustRun("alert.acknowledge", alerts[0].id, {});
  AdvanceBy(Hours(1));
  alerts = AlertsFor("s136_not_arrived", det);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_NE(alerts[1].message.find("3 h 0 min ago"), std::string::npos) << alerts[1].message;
  EXPECT_FALSE(alerts[1].acknowledged_at.has_value());
  Step("detention.arrival", det);
  // Arrival made the open one untrue; the one the controller acknowledged stays theirs.
  EXPECT_EQ(AlertsFor("s136_not_arrived", det)[1].acknowledged_by, "system");
  EXPECT_EQ(AlertsFor("s136_not_arrived", det)[0].acknowledged_by, "user-ctl");
  AdvanceBy(Hours(3));
  EXPECT_EQ(AlertsFor("s136_not_arrived", det).size(), 2u);  // none after arrival
  EXPECT_FALSE(TimerExists("detention-arrival:" + det));
}

TEST_F(ClockTest, A4ALongWaitIsOneAlertThatNamesTheDayOfTheDecision) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  AdvanceBy(Hours(30));
  auto alerts = AlertsFor("s136_not_arrived", det);
  ASSERT_EQ(alerts.size(), 1u);  // not thirty
  const std::string decided = FormatDate(ToLondon(Det(det).decided_at).date);
  EXPECT_NE(alerts[0].message.find(" on " + decided + ", 30 h 0 min ago"), std::string::npos)
      << alerts[0].message;
}

TEST_F(ClockTest, A4NotArrivedAlertTimeIsConfigurationAndKeptDetentionsNeverAlert) {
  policy_.mental_health.arrival_alert_after = Minutes(30);
  const std::string det = Detain(CreateIncident(kLat, kLon));
  auto kept = S136();
  kept["location_type"] = "health_setting";
  kept["kept_at_location"] = true;
  const std::string kept_det = Detain(CreateIncident(kLat, kLon), kept);
  AdvanceBy(Minutes(30));
  EXPECT_EQ(AlertsFor("s136_not_arrived", det).size(), 1u);
  EXPECT_TRUE(AlertsFor("s136_not_arrived", kept_det).empty());
  // Ended before arriving (released): the alert closes and no more come.
  Step("detention.outcome", det, {{"outcome", "no_mental_disorder"}});
  EXPECT_EQ(AlertsFor("s136_not_arrived", det)[0].acknowledged_by, "system");
  AdvanceBy(Hours(2));
  EXPECT_EQ(AlertsFor("s136_not_arrived", det).size(), 1u);
}

TEST_F(ClockTest, A5AnExtensionClosesTheWarningsOfTheOldEndAndTheEndClosesTheRest) {
  const std::string det = DetainedAt(Hbpos());
  AdvanceBy(Hours(20));
  ASSERT_EQ(AlertsFor("s136_clock", det).size(), 1u);  // 4 h left
  Step("detention.extension", det, Extension(12));
  auto alerts = AlertsFor("s136_clock", det);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].acknowledged_by, "system");
  AdvanceBy(Hours(12));  // 4 h before the new end
  alerts = AlertsFor("s136_clock", det);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_FALSE(alerts[1].acknowledged_at.has_value());
  Step("detention.outcome", det, {{"outcome", "admitted_informally"}});
  EXPECT_EQ(AlertsFor("s136_clock", det)[1].acknowledged_by, "system");
}

TEST_F(ClockTest, A5ExtensionOneMinuteAfterExpiryIsRefused) {
  const std::string det = DetainedAt(Hbpos());
  AdvanceBy(Hours(24) + Minutes(1));
  const std::string msg = Refused("detention.extension", det, Extension());
  EXPECT_EQ(msg.rfind("s136B(1):", 0), 0u) << msg;
  EXPECT_NE(msg.find("before the period ends"), std::string::npos);
}

TEST_F(ClockTest, A5OnlyTheExaminingDoctorForTheCondition) {
  const std::string det = DetainedAt(Hbpos());
  auto nurse = Extension();
  nurse["doctor"].as_object()["role"] = "registered_nurse";
  EXPECT_EQ(Refused("detention.extension", det, nurse).rfind("s136B(1):", 0), 0u);
  for (const char* why : {"awaiting_bed", "awaiting_professional"}) {
    auto bed = Extension();
    bed["reason"] = why;
    EXPECT_EQ(Refused("detention.extension", det, bed).rfind("s136B(2):", 0), 0u);
  }
  EXPECT_NE(Refused("detention.extension", det, Extension(13)).find("up to 12 hours"),
            std::string::npos);
  Step("detention.extension", det, Extension(6));
  EXPECT_NE(Refused("detention.extension", det, Extension(6)).find("once"), std::string::npos);
  EXPECT_EQ(Det(det).extended_until, *Det(det).expires_at + Hours(6));
}

TEST_F(ClockTest, A5AtAPoliceStationASuperintendentMustApprove) {
  const std::string det = DetainedAt(Station());
  const std::string msg = Refused("detention.extension", det, Extension());
  EXPECT_EQ(msg.rfind("s136B(3):", 0), 0u) << msg;
  auto approved = Extension();
  approved["superintendent"] = {{"name", "Supt Hale"}, {"rank", "inspector"}};
  Refused("detention.extension", det, approved);  // an inspector is not enough
  approved["superintendent"] = {{"name", "Supt Hale"}, {"rank", "superintendent"}};
  Step("detention.extension", det, approved);
  EXPECT_EQ(Det(det).extension.at("superintendent").at("name"), "Supt Hale");
}

TEST_F(ClockTest, EffectiveDated72HoursAndNoExtensionBefore2017) {
  const Timestamp june2017 = 1'496'300'400'000'000;
  Outcome inc = MustRun("incident.create", "",
                        {{"channel", "999"},
                         {"location", {{"lat", kLat}, {"lon", kLon}, {"type", "public_place"}}},
                         {"type", "mental_health"},
                         {"grade", "I"},
                         {"received_at", FormatIso(june2017)}});
  auto body = S136();
  body["decided_at"] = FormatIso(june2017 + Minutes(10));
  const std::string det = Detain(std::string(inc.reply.at("id").as_string()), body);
  Step("detention.place", det,
       {{"kind", "hbpos"}, {"site_id", kMaudsley}, {"at", FormatIso(june2017 + Minutes(11))}});
  Step("detention.arrival", det, {{"at", FormatIso(june2017 + Minutes(40))}});
  EXPECT_EQ(Det(det).expires_at, june2017 + Minutes(40) + Hours(72));
  EXPECT_NE(Refused("detention.extension", det,
                    {{"hours", 1},
                     {"reason", "condition_of_person"},
                     {"clinical_reason", "x"},
                     {"doctor", {{"name", "Dr"}}},
                     {"at", FormatIso(june2017 + Hours(2))}})
                .find("72-hour"),
            std::string::npos);
}

TEST_F(ClockTest, ReplayAndSnapshotRebuildTheSameClockAndTimers) {
  const std::string det = DetainedAt(Station());
  Step("detention.extension", det, [&] {
    auto e = Extension(3);
    e["superintendent"] = {{"name", "Supt Hale"}, {"rank", "chief_superintendent"}};
    return e;
  }());
  const auto before = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  Restart();  // replays the log from the start
  const auto after = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  EXPECT_EQ(before, after);
  auto restored = State::FromJson(boost::json::parse(after));
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(boost::json::serialize(restored->ToJson()), after);
}

}  // namespace
}  // namespace concordat::testing
