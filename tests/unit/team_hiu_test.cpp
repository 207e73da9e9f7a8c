// HIU flags and cases (RULES.md F31): a flag needs a threshold met and its evidence; it is
// decided only after a health-led review with a lawful basis, review date and expiry; expiry is a
// timer after which the flag stops showing; a case has an owner from the team's high-intensity
// function, partner leads, a SARA plan, actions, and demand before and after it opened.
#include "team_fixture.hpp"

namespace concordat::testing {
namespace {

class HiuTest : public TeamTest {
 protected:
  HiuTest() {
    MustRun("team.establish", "AW",
            {{"holders",
              {{"AW-E09000033-1",
                {{"collar", "AW-HI1"}, {"name", "PC High"}, {"function", "high_intensity"}}},
               {"AW-E09000033-2",
                {{"collar", "AW-PR1"}, {"name", "PC Prevent"}, {"function", "prevention"}}}}}});
    person_ = NewPerson("Sam Taylor", "1991-04-12");
    Contacts(person_, 5, 1, 5);  // 1..21 days ago
  }
  std::string Raise() {
    Outcome o = MustRun("hiu.flag_raise", "",
                        {{"subject_type", "person"},
                         {"subject_id", person_},
                         {"reason", "five contacts in three weeks"}});
    return o.ok ? std::string(o.reply.at("id").as_string()) : std::string();
  }
  boost::json::object Review(const std::string& org = "South London and Maudsley NHS FT",
                             const std::string& review = "2027-01-15",
                             const std::string& expires = "2027-05-26") {
    return {{"health_lead", "Dr A Clinician"},
            {"health_organisation", org},
            {"lawful_basis", "UK GDPR Art 6(1)(e), Art 9(2)(h) with DPA 2018 Sch 1 para 2"},
            {"rationale", "Repeated crisis contacts; joint care planning likely to help"},
            {"review_date", review},
            {"expires_on", expires}};
  }
  boost::json::object FlagView(const std::string& id) {
    return Read([&](const State& s) { return FlagJson(s, s.team.flags.at(id), Ctx()); });
  }
  boost::json::object CaseView(const std::string& id) {
    return Read([&](const State& s) { return CaseJson(s, s.team.cases.at(id), Ctx()); });
  }
  std::string person_;
};

TEST_F(HiuTest, AFlagNeedsAThresholdMetAndKeepsItsEvidence) {
  const std::string other = NewPerson("No Demand");
  Outcome o = Run("hiu.flag_raise", "",
                  {{"subject_type", "person"}, {"subject_id", other}, {"reason", "hunch"}});
  EXPECT_EQ(o.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(o.error.message.find("RULES.md F30"), std::string::npos);
  const std::string flag = Raise();
  const auto v = FlagView(flag);
  EXPECT_EQ(v.at("status").as_string(), "candidate");
  EXPECT_EQ(v.at("bcu").as_string(), "AW");
  EXPECT_EQ(v.at("evidence").at("contacts").as_int64(), 5);
  EXPECT_EQ(v.at("evidence").at("incidents").as_array().size(), 5u);
  EXPECT_EQ(Run("hiu.flag_raise", "",
                {{"subject_type", "person"}, {"subject_id", person_}, {"reason", "again"}})
                .error.code,
            ErrorCode::kConflict);
}

TEST_F(HiuTest, ReviewIsHealthLedWithLawfulBasisReviewDateAndBoundedExpiry) {
  const std::string flag = Raise();
  EXPECT_EQ(Run("hiu.flag_decide", flag, {{"decision", "no_action"}, {"reason", "x"}}).error.code,
            ErrorCode::kFailedPrecondition);  // not before the review
  EXPECT_EQ(Run("hiu.flag_review", flag, Review("Metropolitan Police Service")).error.field,
            "health_organisation");
  EXPECT_EQ(Run("hiu.flag_review", flag, Review("SLaM", "2026-11-27")).error.field, "review_date");
  EXPECT_EQ(Run("hiu.flag_review", flag, Review("SLaM", "2027-01-15", "2027-01-14")).error.field,
            "expires_on");
  EXPECT_EQ(Run("hiu.flag_review", flag, Review("SLaM", "2027-01-15", "2027-11-28")).error.code,
            ErrorCode::kFailedPrecondition);  // more than 365 days ahead
  auto body = Review();
  body.erase("lawful_basis");
  EXPECT_EQ(Run("hiu.flag_review", flag, body).error.field, "lawful_basis");
  MustRun("hiu.flag_review", flag, Review("SLaM", "2027-01-15", "2027-11-27"));
  const auto v = FlagView(flag);
  EXPECT_EQ(v.at("status").as_string(), "reviewed");
  EXPECT_EQ(v.at("review_date").as_string(), "2027-01-15");
  EXPECT_EQ(v.at("expires_at").as_string(), "2027-11-28T00:00:00.000000Z");  // end of the day
  EXPECT_EQ(v.at("reviews").as_array()[0].at("health_lead").as_string(), "Dr A Clinician");
}

TEST_F(HiuTest, AnUnreviewedCandidateExpiresByTimerAndStopsShowing) {
  const std::string flag = Raise();
  Advance(30 * 24 * 3600 - 1);
  EXPECT_EQ(FlagView(flag).at("status").as_string(), "candidate");
  Advance(1);
  const auto v = FlagView(flag);
  EXPECT_EQ(v.at("status").as_string(), "expired");
  EXPECT_FALSE(v.contains("evidence"));
  EXPECT_FALSE(v.contains("subject"));
  EXPECT_EQ(Run("hiu.flag_review", flag, Review()).error.code, ErrorCode::kConflict);
  // A new flag may be raised on fresh evidence.
  Contacts(person_, 5, 0.5, 1);
  Raise();
}

TEST_F(HiuTest, CaseOwnerIsTheHighIntensityOfficerAndExpiryClosesTheCase) {
  const std::string flag = Raise();
  MustRun("hiu.flag_review", flag, Review("SLaM", "2027-01-15", "2027-02-26"));
  Outcome o =
      Run("hiu.flag_decide", flag,
          {{"decision", "case"}, {"reason", "agreed with SLaM"}, {"owner_collar", "AW-PR1"}});
  EXPECT_EQ(o.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(o.error.field, "owner_collar");
  o = MustRun(
      "hiu.flag_decide", flag,
      {{"decision", "case"},
       {"reason", "agreed with SLaM"},
       {"owner_collar", "AW-HI1"},
       {"partner_leads",
        {{{"name", "Dr A Clinician"}, {"organisation", "SLaM"}, {"role", "care co-ordinator"}}}}});
  EXPECT_EQ(o.status, 201);
  const std::string cs(o.reply.at("id").as_string());
  EXPECT_EQ(o.reply.at("owner").at("name").as_string(), "PC High");
  EXPECT_EQ(FlagView(flag).at("status").as_string(), "case");
  MustRun("hiu.case_plan", cs,
          {{"sara", {{"scanning", "5 calls in 3 weeks, evenings"}, {"analysis", "isolation"}}}});
  MustRun("hiu.case_plan", cs, {{"sara", {{"response", "weekly joint visit"}}}});
  auto v = CaseView(cs);
  EXPECT_EQ(v.at("sara").at("scanning").as_string(), "5 calls in 3 weeks, evenings");
  EXPECT_EQ(v.at("sara").at("response").as_string(), "weekly joint visit");
  EXPECT_EQ(
      Run("hiu.case_action_add", cs, {{"text", "x"}, {"owner", "y"}, {"due_on", "2026-11-26"}})
          .error.field,
      "due_on");
  MustRun("hiu.case_action_add", cs,
          {{"text", "Joint visit with care co-ordinator"},
           {"owner", "PC High"},
           {"due_on", "2026-12-04"}});
  MustRun("hiu.case_action_done", cs, {{"action_id", "action-1"}, {"note", "done"}});
  EXPECT_EQ(Run("hiu.case_action_done", cs, {{"action_id", "action-1"}}).error.code,
            ErrorCode::kConflict);
  // Expiry at the end of 26 Feb 2027 (GMT): the flag stops showing and the case closes.
  clock_.Set(*ParseIso("2027-02-26T23:00:00Z"));
  Advance(3599);
  EXPECT_EQ(CaseView(cs).at("status").as_string(), "open");
  Advance(1);
  EXPECT_EQ(FlagView(flag).at("status").as_string(), "expired");
  v = CaseView(cs);
  EXPECT_EQ(v.at("status").as_string(), "closed");
  EXPECT_EQ(v.at("close_reason").as_string(), "the flag expired without a new review");
}

// RULES.md F31: a flag runs only while reviewed. When its latest review's date comes, the team is
// told once on the board (audience mh_team); the next review closes the alert and moves the date;
// the flag's end closes it too. The control room cannot take it off; a supervisor can.
TEST_F(HiuTest, AReviewFallingDueIsAnAlertUntilTheFlagIsReviewedAgain) {
  const std::string flag = Raise();
  MustRun("hiu.flag_review", flag, Review("SLaM", "2026-12-10", "2027-02-26"));
  clock_.Set(*ParseIso("2026-12-09T23:00:00Z"));
  Advance(3599);  // 23:59:59 on 9 Dec (GMT): not yet
  EXPECT_TRUE(AlertsOfType("hiu_review_due").empty());
  Advance(1);
  auto due = AlertsOfType("hiu_review_due");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].audience, "mh_team");
  EXPECT_EQ(due[0].data.at("flag_id").as_string(), flag);
  EXPECT_EQ(due[0].data.at("review_date").as_string(), "2026-12-10");
  EXPECT_NE(due[0].message.find(flag + " (AW): its health-led review is due (review date Thu 10 "
                                       "Dec 2026"),
            std::string::npos)
      << due[0].message;
  EXPECT_FALSE(due[0].acknowledged_at.has_value());
  EXPECT_TRUE(FlagView(flag).at("review_due").as_bool());
  Advance(24 * 3600);  // a day later: still the one alert, also once the log is replayed
  EXPECT_EQ(AlertsOfType("hiu_review_due").size(), 1u);
  Restart();
  Advance(60);
  EXPECT_EQ(AlertsOfType("hiu_review_due").size(), 1u);
  Outcome refused = Run("alert.acknowledge", due[0].id, {});
  EXPECT_EQ(refused.error.code, ErrorCode::kPermissionDenied);

  // Reviewed again: the alert closes, saying so, and the next date has its own timer.
  MustRun("hiu.flag_review", flag, Review("SLaM", "2027-01-20", "2027-02-26"));
  due = AlertsOfType("hiu_review_due");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(due[0].acknowledged_at.has_value());
  EXPECT_FALSE(FlagView(flag).at("review_due").as_bool());
  clock_.Set(*ParseIso("2027-01-20T00:00:00Z"));
  Advance(1);
  due = AlertsOfType("hiu_review_due");
  ASSERT_EQ(due.size(), 2u);
  const Alert& second = due[0].acknowledged_at ? due[1] : due[0];
  EXPECT_FALSE(second.acknowledged_at.has_value());
  EXPECT_EQ(second.data.at("review_date").as_string(), "2027-01-20");

  // The flag's end closes it; a supervisor could have taken it off before.
  clock_.Set(*ParseIso("2027-02-26T23:59:59Z"));
  Advance(1);
  EXPECT_EQ(FlagView(flag).at("status").as_string(), "expired");
  for (const Alert& a : AlertsOfType("hiu_review_due")) {
    EXPECT_TRUE(a.acknowledged_at.has_value()) << a.id;
  }
}

TEST_F(HiuTest, NoActionEndsTheFlag) {
  const std::string flag = Raise();
  MustRun("hiu.flag_review", flag, Review());
  MustRun("hiu.flag_decide", flag, {{"decision", "no_action"}, {"reason", "care plan in place"}});
  const auto v = FlagView(flag);
  EXPECT_EQ(v.at("status").as_string(), "no_action");
  EXPECT_FALSE(v.at("ended_at").is_null());
  EXPECT_TRUE(Read([&](const State& s) { return s.timers.Find("hiu.expire:" + flag) == nullptr; }));
}

TEST_F(HiuTest, DemandBeforeAndAfterTheCaseInEqualWindows) {
  const std::string flag = Raise();
  MustRun("hiu.flag_review", flag, Review());
  Outcome o = MustRun("hiu.flag_decide", flag,
                      {{"decision", "case"}, {"reason", "r"}, {"owner_collar", "AW-HI1"}});
  const std::string cs(o.reply.at("id").as_string());
  Advance(10 * 24 * 3600);  // ten days of case work
  Link(MhIncident(2), person_);
  const auto d = CaseView(cs).at("demand").as_object();
  EXPECT_DOUBLE_EQ(d.at("window_days").as_double(), 10.0);
  EXPECT_EQ(d.at("before").at("contacts").as_int64(), 2);  // 1 and 6 days before it opened
  EXPECT_EQ(d.at("after").at("contacts").as_int64(), 1);
  EXPECT_EQ(d.at("change").at("contacts").as_int64(), -1);
}

}  // namespace
}  // namespace concordat::testing
