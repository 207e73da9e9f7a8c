// Organisation: strength and vacancy computed from the posts, and the org_vacancy alert raised
// for supervisors the moment a team has no liaison officer or falls below strength — at
// formation, on a vacancy, or on the day a notified departure takes effect (engine timer).
#include <set>

#include "team_fixture.hpp"

namespace concordat::testing {
namespace {

class OrgTest : public TeamTest {
 protected:
  // Holders for every post of `bcu` except those in `skip`.
  boost::json::object Holders(const std::string& bcu, const std::set<std::string>& skip = {}) {
    const Bcu* b = LondonRef().FindBcu(bcu);
    boost::json::object h;
    int n = 0;
    auto add = [&](const std::string& post, const char* function) {
      if (skip.contains(post)) return;
      boost::json::object o{{"collar", bcu + "-T" + std::to_string(++n)},
                            {"name", "Officer " + post}};
      if (*function != 0) o["function"] = function;
      h[post] = o;
    };
    add(bcu + "-sergeant", "");
    add(bcu + "-liaison", "");
    for (const auto& boro : b->borough_codes) {
      add(bcu + "-" + boro + "-1", "high_intensity");
      add(bcu + "-" + boro + "-2", "prevention");
    }
    return h;
  }
  std::vector<Alert> Open(const std::string& bcu) {
    std::vector<Alert> out;
    for (const auto& a : AlertsOfType("org_vacancy")) {
      if (a.data.at("bcu").as_string() == bcu && !a.acknowledged_at) out.push_back(a);
    }
    return out;
  }
};

TEST_F(OrgTest, EstablishmentIsASergeantTwoConstablesPerBoroughAndALiaisonOfficer) {
  MustRun("team.establish", "AW", {{"holders", Holders("AW")}});
  const auto b = OrgBcu("AW");
  EXPECT_EQ(b.at("establishment").as_int64(), 8);  // AW has three boroughs
  EXPECT_EQ(b.at("strength").as_int64(), 8);
  EXPECT_EQ(b.at("vacancies").as_int64(), 0);
  EXPECT_TRUE(b.at("has_liaison").as_bool());
  EXPECT_FALSE(b.at("below_strength").as_bool());
  EXPECT_EQ(b.at("functions").at("high_intensity").as_int64(), 3);
  EXPECT_EQ(b.at("functions_uncovered").as_array().size(), 1u);  // no partnerships_crisis
  EXPECT_TRUE(AlertsOfType("org_vacancy").empty());
  EXPECT_EQ(Org("").at("not_established").as_array().size(), 11u);
}

// The alert is the supervisors' (the IOPC case: a year without a liaison officer went unseen):
// a call handler or controller acknowledging it would take it off their board unread.
TEST_F(OrgTest, ASupervisorsAlertIsAcknowledgedOnlyByASupervisor) {
  MustRun("team.establish", "CN", {{"holders", Holders("CN", {"CN-liaison"})}});
  const auto alerts = Open("CN");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].audience, "supervisor");
  for (const char* role : {"call_handler", "controller"}) {
    Outcome o = Run("alert.acknowledge", alerts[0].id, {}, {"user-x", role, "mps", ""});
    EXPECT_EQ(o.error.code, ErrorCode::kPermissionDenied) << role;
    EXPECT_NE(o.error.message.find("supervisors"), std::string::npos) << o.error.message;
  }
  EXPECT_EQ(Open("CN").size(), 1u);  // still there for them
  Outcome ok = Run("alert.acknowledge", alerts[0].id, {}, {"user-sup", "supervisor", "mps", ""});
  EXPECT_TRUE(ok.ok) << ok.error.message;
  EXPECT_TRUE(Open("CN").empty());
}

TEST_F(OrgTest, ATeamFormedWithoutItsLiaisonOfficerIsVisibleTheSameMoment) {
  MustRun("team.establish", "CN", {{"holders", Holders("CN", {"CN-liaison"})}});
  const auto alerts = Open("CN");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].data.at("condition").as_string(), "no_liaison");
  EXPECT_EQ(alerts[0].audience, "supervisor");
  EXPECT_EQ(alerts[0].raised_at, clock_.Now());
  EXPECT_NE(alerts[0].message.find("Liaison"), std::string::npos);
  // 5 of 6 posts is 83%: above the 80% strength line, so only the liaison condition.
  EXPECT_FALSE(OrgBcu("CN").at("below_strength").as_bool());
}

TEST_F(OrgTest, BelowStrengthAtTheBoundary) {
  // AW: 8 posts; 7 filled is 87.5%, 6 filled is 75% (< 80%).
  MustRun("team.establish", "AW", {{"holders", Holders("AW", {"AW-E09000033-1"})}});
  EXPECT_TRUE(Open("AW").empty());
  EXPECT_EQ(OrgBcu("AW").at("strength_percent").as_int64(), 87);
  MustRun("team.post_vacate", "AW-E09000033-2", {{"reason", "promoted"}});
  const auto alerts = Open("AW");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].data.at("condition").as_string(), "below_strength");
  EXPECT_NE(alerts[0].message.find("6 of 8"), std::string::npos);
  const auto b = OrgBcu("AW");
  EXPECT_TRUE(b.at("below_strength").as_bool());
  EXPECT_EQ(b.at("vacancies").as_int64(), 2);
  EXPECT_EQ(b.at("conditions").as_array()[0].at("alert_id").as_string(), alerts[0].id);
}

TEST_F(OrgTest, AConditionClearsWhenFilledAndAlertsAgainWhenItRecurs) {
  MustRun("team.establish", "AW", {{"holders", Holders("AW")}});
  MustRun("team.post_vacate", "AW-liaison", {{"reason", "transferred"}});
  ASSERT_EQ(Open("AW").size(), 1u);
  // A second vacancy (6 of 8) adds the strength alert, and does not repeat the liaison one.
  MustRun("team.post_vacate", "AW-E09000013-2", {{"reason", "sick leave"}});
  const auto open = Open("AW");
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[1].data.at("condition").as_string(), "below_strength");
  MustRun("team.post_assign", "AW-liaison", {{"collar", "AW-NEW"}, {"name", "Alex New"}});
  EXPECT_EQ(OrgBcu("AW").at("conditions").as_array().size(), 0u);  // 7 of 8, liaison in post
  EXPECT_TRUE(Read([](const State& s) { return s.team.bcus.at("AW").raised.empty(); }));
  // Both alerts are off the board, closed by the system with what changed (not left saying the
  // BCU has no liaison officer until a supervisor happens to acknowledge them).
  EXPECT_TRUE(Open("AW").empty());
  const auto closed = EventsOfType("alert.acknowledged");
  ASSERT_EQ(closed.size(), 2u);
  for (const auto& e : closed) {
    const std::string note(e.data.at("note").as_string());
    EXPECT_NE(note.find("PC Alex New (AW-NEW) took post AW-liaison; 7 of 8 posts filled"),
              std::string::npos)
        << note;
  }
  MustRun("team.post_vacate", "AW-liaison", {{"reason", "left again"}});
  EXPECT_EQ(AlertsOfType("org_vacancy").size(), 4u);  // both conditions again
  EXPECT_EQ(Open("AW").size(), 2u);
}

TEST_F(OrgTest, FillingAPostThatClearsNoConditionClosesNoAlert) {
  MustRun("team.establish", "AW", {{"holders", Holders("AW")}});
  MustRun("team.post_vacate", "AW-liaison", {{"reason", "transferred"}});
  MustRun("team.post_vacate", "AW-E09000013-2", {{"reason", "sick leave"}});
  ASSERT_EQ(Open("AW").size(), 2u);
  // 7 of 8 again, but the liaison post is still empty: only the strength alert closes.
  MustRun("team.post_assign", "AW-E09000013-2",
          {{"collar", "AW-BACK"}, {"name", "Sam Back"}, {"function", "prevention"}});
  const auto open = Open("AW");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].data.at("condition").as_string(), "no_liaison");
}

TEST_F(OrgTest, ANotifiedDepartureVacatesThePostOnTheDayByTimer) {
  MustRun("team.establish", "AW", {{"holders", Holders("AW")}});
  const Timestamp leaves = clock_.Now() + Hours(23);
  MustRun("team.post_vacate", "AW-liaison",
          {{"reason", "retires"}, {"effective_at", FormatIso(leaves)}});
  EXPECT_TRUE(Open("AW").empty());
  const auto post = OrgBcu("AW").at("posts").as_array()[1].as_object();
  EXPECT_EQ(post.at("id").as_string(), "AW-liaison");
  EXPECT_EQ(post.at("vacates_at").as_string(), FormatIso(leaves));
  EXPECT_FALSE(post.at("vacant").as_bool());
  Advance(23 * 3600 - 1);
  EXPECT_TRUE(Open("AW").empty());
  Advance(1);
  const auto alerts = Open("AW");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].raised_at, leaves);
  EXPECT_TRUE(OrgBcu("AW").at("posts").as_array()[1].at("vacant").as_bool());
  // The record survives a restart (snapshot or replay) unchanged.
  Restart();
  EXPECT_EQ(Open("AW").size(), 1u);
  EXPECT_EQ(OrgBcu("AW").at("vacancies").as_int64(), 1);
}

TEST_F(OrgTest, AReplacementBeforeTheDayCancelsTheDeparture) {
  MustRun("team.establish", "AW", {{"holders", Holders("AW")}});
  MustRun("team.post_vacate", "AW-liaison",
          {{"reason", "retires"}, {"effective_at", FormatIso(clock_.Now() + Hours(5))}});
  MustRun("team.post_assign", "AW-liaison",
          {{"collar", "AW-NEXT"}, {"name", "PC Next"}, {"replace", true}});
  Advance(6 * 3600);
  EXPECT_TRUE(Open("AW").empty());
  EXPECT_EQ(OrgBcu("AW").at("posts").as_array()[1].at("holder").at("collar").as_string(),
            "AW-NEXT");
}

TEST_F(OrgTest, InvalidInputNamesTheFieldAndChangesNothing) {
  const auto head = log_->HeadSeq();
  EXPECT_EQ(Run("team.establish", "ZZ", {}).error.code, ErrorCode::kNotFound);
  Outcome o = Run("team.establish", "AW", {{"holders", {{"AW-nobody", {{"collar", "x"}}}}}});
  EXPECT_EQ(o.error.field, "holders.AW-nobody");
  o = Run("team.establish", "AW",
          {{"holders", {{"AW-E09000033-1", {{"collar", "x"}, {"name", "PC X"}}}}}});
  EXPECT_EQ(o.error.field, "holders.AW-E09000033-1.function");
  o = Run("team.establish", "AW",
          {{"holders",
            {{"AW-sergeant", {{"collar", "x"}, {"name", "PS X"}}},
             {"AW-liaison", {{"collar", "x"}, {"name", "PC X"}}}}}});
  EXPECT_EQ(o.error.code, ErrorCode::kConflict);
  EXPECT_EQ(log_->HeadSeq(), head);
  MustRun("team.establish", "AW", {{"holders", Holders("AW")}});
  EXPECT_EQ(Run("team.establish", "AW", {}).error.code, ErrorCode::kConflict);
  EXPECT_EQ(Run("team.post_assign", "AW-liaison", {{"collar", "Z"}, {"name", "Z"}}).error.code,
            ErrorCode::kConflict);  // held: vacate first or replace
  EXPECT_EQ(Run("team.post_assign", "CN-liaison", {{"collar", "Z"}, {"name", "Z"}}).error.code,
            ErrorCode::kNotFound);
  MustRun("team.post_vacate", "AW-liaison", {{"reason", "moved"}});
  EXPECT_EQ(Run("team.post_vacate", "AW-liaison", {{"reason", "again"}}).error.code,
            ErrorCode::kConflict);
  EXPECT_EQ(Run("team.post_assign", "AW-liaison", {{"collar", "AW-T1"}, {"name", "Z"}}).error.code,
            ErrorCode::kConflict);  // AW-T1 already holds the sergeant post
}

}  // namespace
}  // namespace concordat::testing
