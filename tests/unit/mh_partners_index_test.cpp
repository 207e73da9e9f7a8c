// The derived indexes of detentions, decision records and referrals (live detentions, each by
// incident, referrals to the police not yet answered): kept in step by apply, rebuilt by a
// restore exactly as the live state had them, and giving the answers the scans they replace gave.
#include <set>

#include "core/mh_internal.hpp"
#include "core/partners.hpp"
#include "mh_fixture.hpp"

namespace concordat::testing {
namespace {

using Ids = std::set<std::string>;

class MhPartnersIndexTest : public MhTest {
 protected:
  // The derived sets of `s` against those a restore makes, and against a fresh reindex.
  static void ExpectSameAsRebuilt(const State& s) {
    const State from_json = *State::FromJson(s.ToJson());
    const State from_snapshot = *State::FromSnapshot(s.ToSnapshot());
    State reindexed = s;
    reindexed.mh.Reindex();
    reindexed.partners.Reindex();
    const State* rebuilt[] = {&from_json, &from_snapshot, &reindexed};
    for (const State* r : rebuilt) {
      EXPECT_EQ(r->mh.live, s.mh.live);
      EXPECT_EQ(r->mh.detentions_by_incident, s.mh.detentions_by_incident);
      EXPECT_EQ(r->mh.records_by_incident, s.mh.records_by_incident);
      EXPECT_EQ(r->partners.referrals_by_incident, s.partners.referrals_by_incident);
      EXPECT_EQ(r->partners.unanswered_to_police, s.partners.unanswered_to_police);
    }
  }
  std::string IncidentOf(const std::string& det) { return Det(det).incident_id; }
};

TEST_F(MhPartnersIndexTest, LiveDetentionsFollowTheirLifecycleAndSurviveARestore) {
  const std::string inc = CreateIncident(kLat, kLon);
  const std::string held = Detain(inc);
  const std::string arrived = DetainedAt(Hbpos());
  const std::string other = IncidentOf(arrived);
  Read([&](const State& s) {
    EXPECT_EQ(s.mh.live, (Ids{held, arrived}));
    EXPECT_EQ(s.mh.detentions_by_incident.at(inc), Ids{held});
    EXPECT_EQ(s.mh.detentions_by_incident.at(other), Ids{arrived});
    ExpectSameAsRebuilt(s);
  });
  // The place of safety counts the person there while the detention lasts.
  EXPECT_EQ(Read([&](const State& s) { return mh::OccupancyBySite(s)[kMaudsley].present; }), 1);
  Step("detention.outcome", arrived, {{"outcome", "discharged_with_follow_up"}});
  Read([&](const State& s) {
    EXPECT_EQ(s.mh.live, Ids{held});
    // Ended, it is still the incident's detention.
    EXPECT_EQ(s.mh.detentions_by_incident.at(other), Ids{arrived});
    EXPECT_EQ(mh::OccupancyBySite(s).count(kMaudsley), 0u);
    ExpectSameAsRebuilt(s);
  });
  // Closing is refused only for the incident whose detention goes on.
  const Outcome refused =
      Run("incident.close", inc, {{"result_code", "resolved"}, {"summary", "done"}});
  EXPECT_EQ(refused.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error.message.find(held), std::string::npos) << refused.error.message;
  MustRun("incident.close", other, {{"result_code", "resolved"}, {"summary", "done"}});
}

TEST_F(MhPartnersIndexTest, AnIncidentsPageShowsItsOwnDetentionsAndRecordsOnly) {
  const std::string a = CreateIncident(kLat, kLon);
  const std::string b = CreateIncident(kLat, LonPlusMetres(800));
  const std::string det_a = Detain(a);
  Step("mh.ndm", b,
       {{"decision", "wait for street triage"},
        {"code_of_ethics", "respect"},
        {"stages",
         {{"information", "i"},
          {"threat_and_risk", "t"},
          {"powers_and_policy", "p"},
          {"options", "o"},
          {"action_and_review", "a"}}}});
  Read([&](const State& s) {
    const auto page_a = IncidentMentalHealthJson(s, a, policy_, clock_.Now());
    const auto page_b = IncidentMentalHealthJson(s, b, policy_, clock_.Now());
    ASSERT_EQ(page_a.at("detentions").as_array().size(), 1u);
    EXPECT_EQ(page_a.at("detentions").as_array()[0].at("id"), boost::json::value(det_a));
    EXPECT_TRUE(page_a.at("records").as_array().empty());
    EXPECT_TRUE(page_b.at("detentions").as_array().empty());
    ASSERT_EQ(page_b.at("records").as_array().size(), 1u);
    EXPECT_EQ(page_b.at("records").as_array()[0].at("kind"), boost::json::value("ndm"));
    EXPECT_EQ(DetentionsOf(s, b).size(), 0u);
    ExpectSameAsRebuilt(s);
  });
}

TEST_F(MhPartnersIndexTest, ReferralsByIncidentAndThoseToThePoliceUnansweredSurviveARestore) {
  const std::string a = CreateIncident(kLat, kLon);
  const std::string b = CreateIncident(kLat, LonPlusMetres(800));
  auto refer = [&](const std::string& inc) {
    Outcome o =
        MustRun("referral.create", inc, {{"agency_id", "trust-slam"}, {"type", "street_triage"}});
    return o.ok ? std::string(o.reply.at("id").as_string()) : std::string();
  };
  const std::string r1 = refer(a), r2 = refer(b), r3 = refer(a);
  const Actor amhp{"user-a", "amhp", "amhp-lambeth", ""};
  Outcome raised = Run("referral.raise", "",
                       {{"type", "amhp_assessment"}, {"note", "s135 warrant at 10:00"}}, amhp);
  ASSERT_TRUE(raised.ok) << raised.error.message;
  const std::string to_police(raised.reply.at("id").as_string());
  Read([&](const State& s) {
    EXPECT_EQ(s.partners.referrals_by_incident.at(a), (Ids{r1, r3}));
    EXPECT_EQ(s.partners.referrals_by_incident.at(b), Ids{r2});
    std::vector<std::string> of_a;
    for (const Referral* r : ReferralsOf(s, a)) of_a.push_back(r->id);
    EXPECT_EQ(of_a, (std::vector<std::string>{r1, r3}));
    // Referrals from the police are not the control room's to answer.
    EXPECT_EQ(s.partners.unanswered_to_police, Ids{to_police});
    ExpectSameAsRebuilt(s);
  });
  // A decline withdraws the share only when no other live referral of the incident needs it.
  const Actor slam{"user-p", "clinician", "trust-slam", ""};
  ASSERT_TRUE(Run("referral.decline", r1, {{"reason", "not known to us"}}, slam).ok);
  EXPECT_TRUE(Read([&](const State& s) { return s.partners.SharedWith(a, "trust-slam"); }));
  ASSERT_TRUE(Run("referral.decline", r3, {{"reason", "not known to us"}}, slam).ok);
  EXPECT_FALSE(Read([&](const State& s) { return s.partners.SharedWith(a, "trust-slam"); }));
  ASSERT_TRUE(Run("referral.acknowledge", to_police, {}).ok);
  Read([&](const State& s) {
    EXPECT_TRUE(s.partners.unanswered_to_police.empty());
    ExpectSameAsRebuilt(s);
  });
}

}  // namespace
}  // namespace concordat::testing
