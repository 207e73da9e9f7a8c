// Decision records: National Decision Model (RULES.md C19), Mental Capacity Act s5/s6 (B16–B18),
// use of force with body-worn video (E29).
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class RecordsTest : public MhTest {
 protected:
  static boost::json::object Capacity(boost::json::object person = {{"age", 40}}) {
    return {{"person", std::move(person)},
            {"decision", "whether to go to hospital for the overdose"},
            {"impairment", "acute intoxication and disturbance of mind"},
            {"unable_to", {"retain", "use_or_weigh"}},
            {"support_given", "explained simply, twice, with the paramedic"},
            {"steps_taken", "asked him to repeat back; he could not"},
            {"reasonably_believes_lacks_capacity", true},
            {"best_interests", "untreated overdose is life-threatening"},
            {"act", "convey to the ED"},
            {"least_restrictive", "persuasion tried first; walking with him"}};
  }
};

TEST_F(RecordsTest, C19TheNdmRecordHasTheCodeOfEthicsAndFiveStages) {
  const std::string inc = CreateIncident(kLat, kLon);
  boost::json::object body{{"decision", "use s136"},
                           {"code_of_ethics", "respect for the person's dignity"},
                           {"stages",
                            {{"information", "i"},
                             {"threat_and_risk", "t"},
                             {"powers_and_policy", "p"},
                             {"options", "o"}}}};
  EXPECT_EQ(As(officer_, "mh.ndm", inc, body).error.field, "stages.action_and_review");
  body["stages"].as_object()["action_and_review"] = "a";
  Outcome o = Step("mh.ndm", inc, body);
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.reply.at("data").at("stages").as_object().size(), 5u);
}

TEST_F(RecordsTest, B16MentalCapacityActDoesNotApplyUnderSixteen) {
  const std::string inc = CreateIncident(kLat, kLon);
  const std::string msg = Refused("mh.capacity", inc, Capacity({{"age", 15}}));
  EXPECT_EQ(msg.rfind("MCA 2005 s2(5):", 0), 0u) << msg;
  Step("mh.capacity", inc, Capacity({{"age", 16}}));
}

TEST_F(RecordsTest, B16UnwiseIsNotIncapacityAndB17TheSection5Conditions) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto unwise = Capacity();
  unwise["unwise_decision_only"] = true;
  EXPECT_EQ(Refused("mh.capacity", inc, unwise).rfind("MCA 2005 s1(4):", 0), 0u);
  auto none = Capacity();
  none["unable_to"] = boost::json::array{};
  EXPECT_EQ(Refused("mh.capacity", inc, none).rfind("MCA 2005 s3(1):", 0), 0u);
  for (const auto& [field, law] :
       {std::pair{"support_given", "s1(3)"}, std::pair{"steps_taken", "s5(1)(a)"},
        std::pair{"best_interests", "s5(1)(b)(ii)"}}) {
    auto body = Capacity();
    body.erase(field);
    EXPECT_NE(Refused("mh.capacity", inc, body).find(law), std::string::npos) << field;
  }
  auto belief = Capacity();
  belief["reasonably_believes_lacks_capacity"] = false;
  EXPECT_NE(Refused("mh.capacity", inc, belief).find("s5(1)(b)(i)"), std::string::npos);
}

TEST_F(RecordsTest, B18RestraintNeedsACapacityRecordNecessityAndProportionality) {
  const std::string inc = CreateIncident(kLat, kLon);
  boost::json::object body{{"harm_prevented", "walking into traffic"},
                           {"necessity", "only way to stop him"},
                           {"proportionality", "brief hold, released when calm"},
                           {"type", "arm hold"},
                           {"duration_minutes", 3},
                           {"de_escalation", "talking, space"},
                           {"reasonably_believed_necessary", true},
                           {"proportionate", true}};
  EXPECT_EQ(Refused("mh.restraint", inc, body).rfind("MCA 2005 s6(1):", 0), 0u);
  Outcome cap = Step("mh.capacity", inc, Capacity());
  body["capacity_record_id"] = cap.reply.at("id");
  auto not_prop = body;
  not_prop["proportionate"] = false;
  EXPECT_EQ(Refused("mh.restraint", inc, not_prop).rfind("MCA 2005 s6(3):", 0), 0u);
  auto not_nec = body;
  not_nec["reasonably_believed_necessary"] = false;
  EXPECT_EQ(Refused("mh.restraint", inc, not_nec).rfind("MCA 2005 s6(2):", 0), 0u);
  Outcome ok = Step("mh.restraint", inc, body);
  EXPECT_EQ(ok.reply.at("data").at("duration_minutes").as_int64(), 3);
}

TEST_F(RecordsTest, E29UseOfForceNeedsBodyWornVideoFlagsAndAReasonWhenNotRecording) {
  MustRun("incident.create", "",
          {{"channel", "partner"},
           {"location", {{"lat", kLat}, {"lon", kLon}, {"type", "health_setting"}}},
           {"type", "mental_health"},
           {"grade", "I"}});
  const std::string inc = "inc-1";
  const std::string det = Detain(inc);
  boost::json::object body{{"detention_id", det},
                           {"reason", "assault on staff"},
                           {"place", "Ladywell Unit, ward 2"},
                           {"started_at", FormatIso(Now() - Minutes(20))},
                           {"duration_minutes", 4},
                           {"types", {"restraint_standing"}},
                           {"in_care_plan", false},
                           {"how_used", "two officers, arm holds"},
                           {"staff_involved", "two officers, one nurse"},
                           {"why_police_involved", "a weapon (MoU exception)"},
                           {"outcome", "weapon removed"},
                           {"injury", "none"},
                           {"efforts_to_avoid", "talking for 10 minutes"},
                           {"bwv_worn", true},
                           {"bwv_recording", false}};
  EXPECT_EQ(As(officer_, "mh.use_of_force", inc, body).error.field, "bwv_reason");
  body["bwv_reason"] = "camera battery failed";
  Outcome o = Step("mh.use_of_force", inc, body);
  EXPECT_TRUE(o.reply.at("data").at("at_mh_unit").as_bool());
  EXPECT_EQ(o.reply.at("data").at("retain_until"), "2029-11-27");  // kept 3 years
  EXPECT_EQ(o.reply.at("detention_id"), boost::json::value(det));
  // A mistyped year is not a record of force used at this incident.
  auto when = body;
  when["started_at"] = "1900-01-01T00:00:00Z";
  Outcome old = As(officer_, "mh.use_of_force", inc, when);
  EXPECT_EQ(old.error.field, "started_at");
  EXPECT_NE(old.error.message.find("before this incident began"), std::string::npos)
      << old.error.message;
  body["detention_id"] = "det-99";
  EXPECT_EQ(As(officer_, "mh.use_of_force", inc, body).error.field, "detention_id");
}

}  // namespace
}  // namespace concordat::testing
