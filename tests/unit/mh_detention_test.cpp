// The decision to detain (RULES.md A1–A3, A9, A11–A13): grounds, where s136 cannot be used,
// consultation, who may detain, s135 warrants, search, conveyance and the end.
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

class DetentionTest : public MhTest {};

TEST_F(DetentionTest, A1AllThreeGroundsAreRequired) {
  const std::string inc = CreateIncident(kLat, kLon);
  for (const char* g : {"mental_disorder", "care_or_control", "necessity"}) {
    auto body = S136();
    body["grounds"].as_object().erase(g);
    const std::string msg = Refused("detention.create", inc, body);
    EXPECT_NE(msg.find("s136(1)"), std::string::npos) << msg;
  }
  auto ok = As(officer_, "detention.create", inc, S136());
  ASSERT_TRUE(ok.ok);
  EXPECT_EQ(ok.reply.at("grounds").at("necessity"), "risk of falling into the river");
}

TEST_F(DetentionTest, A1OnlyAConstableMayDetain) {
  const std::string inc = CreateIncident(kLat, kLon);
  const Actor clinician{"user-cl", "clinician", "trust-slam", ""};
  Outcome o = As(clinician, "detention.create", inc, S136());
  EXPECT_EQ(o.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(o.error.message.find("only a constable"), std::string::npos);
}

TEST_F(DetentionTest, A2DwellingAndCurtilageBlockS136ButCommunalAreasAreAllowed) {
  const std::string inc = CreateIncident(kLat, kLon);
  for (const char* where : {"private_dwelling", "dwelling_curtilage"}) {
    auto body = S136();
    body["location_type"] = where;
    const std::string msg = Refused("detention.create", inc, body);
    EXPECT_EQ(msg.rfind("s136(1A):", 0), 0u) << msg;
    EXPECT_NE(msg.find("section 135 warrant"), std::string::npos);
  }
  auto communal = S136();
  communal["location_type"] = "communal_area";
  EXPECT_FALSE(Detain(inc, communal).empty());
}

TEST_F(DetentionTest, A3ConsultationOrAReasonItWasImpracticable) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto none = S136();
  none.erase("consultation");
  EXPECT_NE(Refused("detention.create", inc, none).find("s136(1C)"), std::string::npos);

  auto reason = S136();
  reason.erase("consultation");
  reason["impracticable_reason"] = "no signal on the bridge; immediate risk";
  const std::string det = Detain(inc, reason);
  EXPECT_EQ(Det(det).consultation.at("impracticable_reason"),
            "no signal on the bridge; immediate risk");

  // Consultation after the decision is not consultation before detaining.
  Advance(600);
  auto late = S136();
  late["decided_at"] = FormatIso(Now() - Minutes(2));
  late["consultation"].as_object()["at"] = FormatIso(Now() - Minutes(1));
  EXPECT_NE(Refused("detention.create", inc, late).find("before the decision"), std::string::npos);

  // Who, when and the advice are kept; the decision stays with the officer.
  const std::string consulted = Detain(inc);
  const auto c = Det(consulted).consultation;
  EXPECT_EQ(c.at("role"), "registered_nurse");
  EXPECT_EQ(c.at("name"), "Nurse Adebayo");
  EXPECT_TRUE(c.contains("at"));
}

TEST_F(DetentionTest, PersonNeedsAnAgeADateOfBirthOrSignsOfAChild) {
  const std::string inc = CreateIncident(kLat, kLon);
  EXPECT_EQ(As(officer_, "detention.create", inc, S136({})).error.field, "person");
  const std::string det = Detain(inc, S136({{"appears_child", true}}));
  Outcome view =
      Step("detention.search", det,
           {{"grounds", {{"danger", "d"}, {"concealing", "c"}}}, {"extent", {"gloves"}}});
  EXPECT_TRUE(view.reply.at("person").at("treated_as_child").as_bool());
  EXPECT_TRUE(view.reply.at("person").at("age").is_null());
}

TEST_F(DetentionTest, S135NeedsAWarrantExecutedWithAnAmhpAndADoctor) {
  const std::string inc = CreateIncident(kLat, kLon);
  boost::json::object body{{"power", "s135"},
                           {"location_type", "private_dwelling"},
                           {"person", {{"age", 51}}},
                           {"warrant", {{"reference", "WLMC/2026/1182"}, {"amhp", "AMHP Clarke"}}}};
  const std::string msg = Refused("detention.create", inc, body);
  EXPECT_EQ(msg.rfind("s135(4):", 0), 0u) << msg;
  body["warrant"].as_object()["doctor"] = "Dr Mensah";
  const std::string det = Detain(inc, body);  // a dwelling is where s135 is used
  EXPECT_EQ(Det(det).power, "s135");
  EXPECT_FALSE(Det(det).clock_started_at.has_value());  // removed: starts on arrival
}

// Every rule the record breaks is told in one answer: the first names the refusal (its code and
// field, as before), the message and details.problems list them all, each field once.
TEST_F(DetentionTest, EveryRuleTheRecordBreaksIsToldAtOnce) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto body = S136({});
  body["location_type"] = "private_dwelling";
  body["grounds"].as_object().erase("care_or_control");
  body["grounds"].as_object().erase("necessity");
  body.erase("consultation");
  const auto head = log_->HeadSeq();
  Outcome o = As(officer_, "detention.create", inc, body);
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(log_->HeadSeq(), head);
  EXPECT_EQ(o.error.code, ErrorCode::kInvalidArgument);  // the first: no age given
  EXPECT_EQ(o.error.field, "person");
  std::vector<std::string> fields;
  for (const auto& p : o.error.details.at("problems").as_array()) {
    fields.emplace_back(p.at("field").as_string());
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"person", "location_type", "grounds.care_or_control",
                                              "grounds.necessity", "consultation"}));
  for (const char* said : {"person.appears_child", "s136(1A):", "all three grounds",
                           "s136(1): record grounds.necessity", "s136(1C):"}) {
    EXPECT_NE(o.error.message.find(said), std::string::npos) << said << ": " << o.error.message;
  }

  // s135: no warrant reference, and neither the AMHP nor the doctor named.
  boost::json::object s135{{"power", "s135"},
                           {"location_type", "private_dwelling"},
                           {"person", {{"age", 51}}},
                           {"warrant", {{"issued_by", "Westminster Magistrates"}}}};
  Outcome w = As(officer_, "detention.create", inc, s135);
  ASSERT_FALSE(w.ok);
  EXPECT_EQ(w.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(w.error.field, "warrant.reference");
  std::vector<std::string> named;
  for (const auto& p : w.error.details.at("problems").as_array()) {
    named.emplace_back(p.at("field").as_string());
  }
  EXPECT_EQ(named,
            (std::vector<std::string>{"warrant.reference", "warrant.amhp", "warrant.doctor"}));
  // One problem alone is as before: no list.
  auto one = S136();
  one["location_type"] = "dwelling_curtilage";
  Outcome single = As(officer_, "detention.create", inc, one);
  EXPECT_EQ(single.error.field, "location_type");
  EXPECT_TRUE(single.error.details.is_null());
}

TEST_F(DetentionTest, A9SearchNeedsBothGroundsAndIsLimitedToOuterClothingGlovesAndMouth) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  const std::string msg = Refused(
      "detention.search", det,
      {{"grounds", {{"danger", "threatened to cut himself"}}}, {"extent", {"outer_clothing"}}});
  EXPECT_EQ(msg.rfind("s136C(1):", 0), 0u) << msg;
  const std::string strip =
      Refused("detention.search", det,
              {{"grounds", {{"danger", "threats"}, {"concealing", "hand in pocket"}}},
               {"extent", {"outer_clothing", "underwear"}}});
  EXPECT_EQ(strip.rfind("s136C(3):", 0), 0u) << strip;
  Step("detention.search", det,
       {{"grounds", {{"danger", "threats"}, {"concealing", "hand in pocket"}}},
        {"extent", {"outer_clothing", "gloves", "mouth"}},
        {"items_found", "craft knife"}});
  ASSERT_EQ(Det(det).searches.size(), 1u);
  EXPECT_EQ(Det(det).searches[0].at("items_found"), "craft knife");
}

TEST_F(DetentionTest, A12PoliceVehicleNeedsAReasonAndTheAmbulanceTimesAreKept) {
  const std::string det = Detain(CreateIncident(kLat, kLon));
  EXPECT_EQ(As(officer_, "detention.conveyance", det, {{"mode", "police_vehicle"}}).error.field,
            "police_vehicle_reason");
  const Timestamp asked = Now() - Minutes(10);
  Outcome o = Step("detention.conveyance", det,
                   {{"mode", "police_vehicle"},
                    {"ambulance_requested_at", FormatIso(asked)},
                    {"ambulance_eta", FormatIso(asked + Minutes(20))},
                    {"police_vehicle_reason", "ambulance_delayed"}});
  // Guidance, not a block: an ETA inside 30 minutes is flagged in the reply.
  ASSERT_EQ(o.reply.at("warnings").as_array().size(), 1u);
  const Conveyance c = Det(det).conveyances.at(0);
  EXPECT_EQ(c.mode, "police_vehicle");
  EXPECT_EQ(c.ambulance_requested_at, asked);
  EXPECT_EQ(c.ambulance_eta, asked + Minutes(20));
  EXPECT_EQ(c.police_vehicle_reason, "ambulance_delayed");
}

TEST_F(DetentionTest, A13OutcomeEndsTheDetentionAndCancelsItsTimers) {
  const std::string det = DetainedAt(Hbpos());
  EXPECT_TRUE(TimerExists("detention-clock:" + det + ":expiry"));
  EXPECT_TRUE(TimerExists("detention-handover:" + det));
  EXPECT_EQ(As(officer_, "detention.outcome", det, {{"outcome", "other"}}).error.field, "notes");
  Step("detention.outcome", det, {{"outcome", "detained_s2"}});
  const Detention d = Det(det);
  EXPECT_EQ(d.status, "ended");
  EXPECT_EQ(d.outcome, "detained_s2");
  EXPECT_EQ(d.end_reason, "assessment_complete");
  EXPECT_FALSE(TimerExists("detention-clock:" + det + ":expiry"));
  EXPECT_FALSE(TimerExists("detention-clock:" + det + ":4h"));
  EXPECT_FALSE(TimerExists("detention-handover:" + det));
  Refused("detention.arrival", det, {}, ErrorCode::kConflict);
  AdvanceBy(Hours(30));
  EXPECT_TRUE(AlertsFor("s136_clock", det).empty());
}

// A detention goes on whatever happens to the call: the incident cannot be closed (clearing the
// units of the officers responsible for the person) until the detention has its outcome.
TEST_F(DetentionTest, AnIncidentWithALiveDetentionCannotBeClosed) {
  const std::string det = DetainedAt(Hbpos());
  const std::string inc = Det(det).incident_id;
  Outcome refused = Run("incident.close", inc, {{"result_code", "advice"}, {"summary", "s"}});
  EXPECT_EQ(refused.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error.message.find("a detention on this incident is still live (" + det + ")"),
            std::string::npos)
      << refused.error.message;
  Step("detention.outcome", det, {{"outcome", "detained_s2"}});
  MustRun("incident.close", inc, {{"result_code", "advice"}, {"summary", "s"}});
}

TEST_F(DetentionTest, ClosedIncidentsAndUnknownIdsAreRefused) {
  const std::string inc = CreateIncident(kLat, kLon);
  MustRun("incident.close", inc, {{"result_code", "advice"}, {"summary", "s"}});
  Refused("detention.create", inc, S136());
  Refused("detention.create", "inc-999", S136(), ErrorCode::kNotFound);
  Refused("detention.arrival", "det-999", {}, ErrorCode::kNotFound);
}

TEST_F(DetentionTest, EffectiveDatedBefore2017NoS136InPrivatePlacesButNoDwellingRuleEither) {
  // A detention recorded for 1 June 2017 (before the Policing and Crime Act 2017 commenced):
  // s136 then applied only in a place to which the public had access, with no consultation duty.
  const Timestamp june2017 = 1'496'300'400'000'000;  // 2017-06-01T07:00:00Z
  Outcome inc = MustRun("incident.create", "",
                        {{"channel", "999"},
                         {"location", {{"lat", kLat}, {"lon", kLon}, {"type", "public_place"}}},
                         {"type", "mental_health"},
                         {"grade", "I"},
                         {"received_at", FormatIso(june2017)}});
  const std::string id(inc.reply.at("id").as_string());
  auto body = S136();
  body.erase("consultation");
  body["decided_at"] = FormatIso(june2017 + Minutes(20));
  body["location_type"] = "health_setting";
  EXPECT_NE(Refused("detention.create", id, body).find("before 11 December 2017"),
            std::string::npos);
  body["location_type"] = "public_place";
  const std::string det = Detain(id, body);  // no consultation needed then
  EXPECT_TRUE(Det(det).consultation.empty());
}

}  // namespace
}  // namespace concordat::testing
