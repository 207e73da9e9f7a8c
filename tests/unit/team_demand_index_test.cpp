// Repeat-demand thresholds at their boundaries (RULES.md F30), on the index alone: 4 vs 5
// contacts in 30 days, the edge of the 30-day window, 11 vs 12 in 90 days, the under-18 rule,
// 14 vs 15 at an address, officer-hours ranking, BCU filtering, merges and splits.
#include "core/team_demand_index.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/team_policy.hpp"

namespace concordat {
namespace {

constexpr Timestamp kNow = 1'795'773'600'000'000;  // 2026-11-27T10:00Z
constexpr Timestamp kDay = kMicrosPerDay;

class DemandIndexTest : public ::testing::Test {
 protected:
  // A contact `days_ago` (fractional days allowed through `extra`) linked to `person`.
  void Contact(const std::string& person, Timestamp at, const std::string& bcu = "AW",
               const std::string& address = "") {
    const std::string id = "inc-" + std::to_string(++n_);
    ix_.AddContact(id, at, bcu, address);
    if (!person.empty()) ix_.LinkPerson(id, person);
  }
  DemandReport Query(const std::string& bcu = "") {
    return ix_.Query(rules_, kNow, bcu,
                     [this](const std::string& p) { return children_.contains(p); });
  }
  static const DemandSubject* Find(const std::vector<DemandSubject>& v, const std::string& id) {
    for (const auto& s : v) {
      if (s.id == id) return &s;
    }
    return nullptr;
  }

  RepeatDemandIndex ix_;
  std::vector<RepeatRule> rules_ = TeamPolicy{}.repeat_rules;
  std::set<std::string> children_;
  int n_ = 0;
};

TEST_F(DemandIndexTest, FourContactsIn30DaysIsNotAFlagFiveIs) {
  for (int i = 0; i < 4; ++i) Contact("p1", kNow - (i * 7 + 1) * kDay);
  EXPECT_EQ(Find(Query().persons, "p1"), nullptr);
  Contact("p1", kNow - 2 * kDay);
  const DemandReport r = Query();
  const DemandSubject* s = Find(r.persons, "p1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->triggered.size(), 1u);
  EXPECT_EQ(s->triggered[0].rule, "person_30d");
  EXPECT_EQ(s->triggered[0].count, 5);
  EXPECT_EQ(s->demand.contacts, 5);
  EXPECT_EQ(s->demand.incidents.size(), 5u);
}

TEST_F(DemandIndexTest, TheThirtyDayWindowIsHalfOpen) {
  // Four recent contacts and one exactly 30 days ago: that one no longer counts.
  for (int i = 0; i < 4; ++i) Contact("p1", kNow - (i + 1) * kDay);
  Contact("p1", kNow - 30 * kDay);
  EXPECT_EQ(Find(Query().persons, "p1"), nullptr);
  // One microsecond later it would still have counted.
  Contact("p2", kNow - 30 * kDay + 1);
  for (int i = 0; i < 4; ++i) Contact("p2", kNow - (i + 1) * kDay);
  ASSERT_NE(Find(Query().persons, "p2"), nullptr);
  // A contact after "now" (a query of the past) is not counted either.
  Contact("p3", kNow + 1);
  for (int i = 0; i < 4; ++i) Contact("p3", kNow - (i + 1) * kDay);
  EXPECT_EQ(Find(Query().persons, "p3"), nullptr);
}

TEST_F(DemandIndexTest, TwelveIn90DaysWithoutFiveIn30) {
  // Spread so that no 30-day window (ending now) holds five: 4 in the last 30, 7 more before.
  for (int i = 0; i < 4; ++i) Contact("p1", kNow - (i * 6 + 1) * kDay);
  for (int i = 0; i < 7; ++i) Contact("p1", kNow - (35 + i * 7) * kDay);
  EXPECT_EQ(Find(Query().persons, "p1"), nullptr);  // 11 in 90 days
  Contact("p1", kNow - 89 * kDay);
  const DemandReport r = Query();
  const DemandSubject* s = Find(r.persons, "p1");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->triggered[0].rule, "person_90d");
  EXPECT_EQ(s->window_days, 90);
  EXPECT_EQ(s->demand.contacts, 12);
}

TEST_F(DemandIndexTest, ChildrenAtThreeIn180DaysAdultsNot) {
  for (const char* p : {"child", "adult"}) {
    Contact(p, kNow - 10 * kDay);
    Contact(p, kNow - 100 * kDay);
  }
  children_.insert("child");
  EXPECT_EQ(Find(Query().persons, "child"), nullptr);  // two
  Contact("child", kNow - 179 * kDay);
  Contact("adult", kNow - 179 * kDay);
  const DemandReport r = Query();
  const DemandSubject* c = Find(r.persons, "child");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->triggered[0].rule, "under_18_180d");
  EXPECT_EQ(c->demand.contacts, 3);
  EXPECT_EQ(Find(r.persons, "adult"), nullptr);
  // 180 days ago exactly is outside the window.
  Contact("child2", kNow - 180 * kDay);
  Contact("child2", kNow - 20 * kDay);
  Contact("child2", kNow - 10 * kDay);
  children_.insert("child2");
  EXPECT_EQ(Find(Query().persons, "child2"), nullptr);
}

TEST_F(DemandIndexTest, AnAddressAtFifteenNotFourteen) {
  const std::string a = "3/12 HIGH STREET E1 6AN";
  for (int i = 0; i < 14; ++i) Contact("", kNow - (i + 1) * kDay, "CE", a);
  EXPECT_TRUE(Query().addresses.empty());
  Contact("", kNow - 29 * kDay, "CE", a);
  ASSERT_EQ(Query().addresses.size(), 1u);
  EXPECT_EQ(Query().addresses[0].id, a);
  EXPECT_EQ(Query().addresses[0].demand.contacts, 15);
}

TEST_F(DemandIndexTest, RankedByOfficerHoursWithOpenAttendanceCountingToNow) {
  for (int i = 0; i < 5; ++i) Contact("few-hours", kNow - (i + 1) * kDay);
  for (int i = 0; i < 5; ++i) Contact("many-hours", kNow - (i + 1) * kDay);
  // many-hours: 2 officers for 3 hours on one incident (closed); few-hours: one open hour.
  ix_.SetAttendance("inc-6", 2 * Hours(3), {});
  ix_.SetAttendance("inc-1", 0, {OpenAttendance{kNow - Hours(1), 1}});
  const DemandReport r = Query();
  ASSERT_EQ(r.persons.size(), 2u);
  EXPECT_EQ(r.persons[0].id, "many-hours");
  EXPECT_EQ(r.persons[0].demand.officer_micros, Hours(6));
  EXPECT_EQ(r.persons[1].demand.officer_micros, Hours(1));
}

TEST_F(DemandIndexTest, BcuFilterListsSubjectsWithContactsThereCountingForceWide) {
  for (int i = 0; i < 4; ++i) Contact("p1", kNow - (i + 1) * kDay, "AW");
  Contact("p1", kNow - 6 * kDay, "CS");
  ASSERT_NE(Find(Query("CS").persons, "p1"), nullptr);
  EXPECT_EQ(Find(Query("CS").persons, "p1")->demand.contacts, 5);
  EXPECT_TRUE(Query("NA").persons.empty());
}

TEST_F(DemandIndexTest, MergeCountsOnceAndSplitRestoresExactly) {
  for (int i = 0; i < 3; ++i) Contact("a", kNow - (i + 1) * kDay);
  for (int i = 0; i < 2; ++i) Contact("b", kNow - (i + 5) * kDay);
  ix_.LinkPerson("inc-1", "b");  // both records linked to the same incident
  EXPECT_TRUE(Query().persons.empty());
  ix_.Merge("a", "b");
  EXPECT_EQ(ix_.Canonical("b"), "a");
  const DemandReport merged = Query();
  ASSERT_EQ(merged.persons.size(), 1u);
  EXPECT_EQ(merged.persons[0].id, "a");
  EXPECT_EQ(merged.persons[0].demand.contacts, 5);  // inc-1 once
  ix_.Split("b");
  EXPECT_EQ(ix_.Canonical("b"), "b");
  EXPECT_TRUE(Query().persons.empty());
  EXPECT_EQ(ix_.PersonDemand("a", kNow - 30 * kDay, kNow, kNow, false).contacts, 3);
  EXPECT_EQ(ix_.PersonDemand("b", kNow - 30 * kDay, kNow, kNow, false).contacts, 3);
}

TEST_F(DemandIndexTest, ChainedMergesAndSplitOfTheMiddle) {
  Contact("a", kNow - 1 * kDay);
  Contact("b", kNow - 2 * kDay);
  Contact("c", kNow - 3 * kDay);
  ix_.Merge("b", "c");
  ix_.Merge("a", "b");
  EXPECT_EQ(ix_.Canonical("c"), "a");
  EXPECT_EQ(ix_.PersonDemand("c", kNow - 30 * kDay, kNow, kNow, false).contacts, 3);
  ix_.Split("b");  // b and c leave a together
  EXPECT_EQ(ix_.Canonical("c"), "b");
  EXPECT_EQ(ix_.PersonDemand("a", kNow - 30 * kDay, kNow, kNow, false).contacts, 1);
  EXPECT_EQ(ix_.PersonDemand("b", kNow - 30 * kDay, kNow, kNow, false).contacts, 2);
}

TEST_F(DemandIndexTest, ContactsOutOfOrderAreKeptSorted) {
  Contact("p", kNow - 1 * kDay);
  Contact("p", kNow - 40 * kDay);
  Contact("p", kNow - 3 * kDay);
  const auto t = ix_.PersonDemand("p", kNow - 90 * kDay, kNow, kNow, true);
  ASSERT_EQ(t.incidents.size(), 3u);
  EXPECT_EQ(t.incidents[0].incident_id, "inc-2");
  EXPECT_EQ(t.incidents[2].incident_id, "inc-1");
}

// The force-wide query settles subjects named fewer times than the lowest threshold in the widest
// window without reading their contacts, and asks `under_18` only of subjects at some threshold.
TEST_F(DemandIndexTest, ForceWideSkipsOnlySubjectsUnderEveryThreshold) {
  for (int i = 0; i < 3; ++i) Contact("child", kNow - (i * 50 + 1) * kDay);  // 3 in 180: lowest
  for (int i = 0; i < 2; ++i) Contact("once-or-twice", kNow - (i + 1) * kDay);
  children_.insert("child");
  children_.insert("once-or-twice");
  int asked = 0;
  const DemandReport r = ix_.Query(rules_, kNow, "", [&](const std::string& p) {
    ++asked;
    return children_.contains(p);
  });
  ASSERT_NE(Find(r.persons, "child"), nullptr);
  EXPECT_EQ(Find(r.persons, "child")->demand.contacts, 3);
  EXPECT_EQ(Find(r.persons, "once-or-twice"), nullptr);
  EXPECT_EQ(asked, 1);  // only "child"

  // A rule at one contact: nobody can be skipped.
  rules_ = {{"any", "person", 30, 1}};
  EXPECT_NE(Find(Query().persons, "once-or-twice"), nullptr);
  // No address rule: no address is listed; no person rule: no person is.
  Contact("", kNow - kDay, "AW", "ADDR");
  EXPECT_TRUE(Query().addresses.empty());
  rules_ = {{"addr", "address", 30, 1}};
  EXPECT_TRUE(Query().persons.empty());
  EXPECT_NE(Find(Query().addresses, "ADDR"), nullptr);
}

// A merged person whose two records are both linked to one incident is named twice by it in the
// scan: that may keep them as a candidate, never count the incident twice.
TEST_F(DemandIndexTest, AMergedPersonNamedTwiceByOneIncidentCountsItOnce) {
  for (int i = 0; i < 4; ++i) {
    Contact("a", kNow - (i + 1) * kDay);
    ix_.LinkPerson("inc-" + std::to_string(n_), "b");
  }
  ix_.Merge("a", "b");
  EXPECT_TRUE(Query().persons.empty());  // 4 incidents, 8 links: under 5 in 30 days
  Contact("b", kNow - 6 * kDay);
  const DemandReport r = Query();
  ASSERT_EQ(r.persons.size(), 1u);
  EXPECT_EQ(r.persons[0].demand.contacts, 5);
}

}  // namespace
}  // namespace concordat
