// Persons and repeat demand through the domain: possible matches with evidence and never an
// automatic merge; merges and splits as events that the counts follow; address keys that make
// repeat addresses one; thresholds at their boundaries from the CAD's own incidents.
#include "core/reports.hpp"
#include "team_fixture.hpp"

namespace concordat::testing {
namespace {

class PersonsTest : public TeamTest {};

const boost::json::object* FindSubject(const boost::json::object& demand, const char* list,
                                       const char* key, const std::string& id) {
  for (const auto& v : demand.at(list).as_array()) {
    if (v.at(key).as_string() == id) return &v.as_object();
  }
  return nullptr;
}

TEST_F(PersonsTest, CreateValidatesAndSuggestsMatchesWithEvidenceWithoutMerging) {
  const std::string a = NewPerson("Jon Smith", "1984-09-30", "020 7946 0001");
  Outcome o = MustRun(
      "person.create", "",
      {{"name", "Mr John Smith"}, {"date_of_birth", "1984-09-30"}, {"phone", "+44 20 7946 0001"}});
  EXPECT_EQ(o.status, 201);
  const auto& matches = o.reply.at("possible_matches").as_array();
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].at("person_id").as_string(), a);
  const auto& evidence = matches[0].at("evidence").as_array();
  ASSERT_EQ(evidence.size(), 3u);
  EXPECT_EQ(evidence[0].as_string(), "similar name: JOHN SMITH / JON SMITH");
  EXPECT_EQ(evidence[1].as_string(), "same date of birth: 1984-09-30");
  EXPECT_EQ(evidence[2].as_string(), "same phone: 02079460001");
  EXPECT_TRUE(o.reply.at("merged_into").is_null());
  EXPECT_TRUE(EventsOfType("person.merged").empty());
  // A household (same phone and address, different name) is not a match.
  NewPerson("Mary Jones", "", "020 7946 0001");
  EXPECT_EQ(
      Read([&](const State& s) { return PossibleMatchesJson(s, s.team.persons.at(a)); }).size(),
      1u);
  // Different dates of birth count against a match.
  const std::string c = NewPerson("John Smith", "1990-01-01");
  EXPECT_TRUE(
      Read([&](const State& s) { return PossibleMatchesJson(s, s.team.persons.at(c)); }).empty());
  EXPECT_EQ(Run("person.create", "", {{"name", "  "}}).error.field, "name");
  EXPECT_EQ(
      Run("person.create", "", {{"name", "X Y"}, {"date_of_birth", "1984-13-01"}}).error.field,
      "date_of_birth");
  EXPECT_EQ(
      Run("person.create", "", {{"name", "X Y"}, {"date_of_birth", "2027-01-01"}}).error.field,
      "date_of_birth");
}

TEST_F(PersonsTest, LinkNeedsARecordedPerson) {
  const std::string inc = MhIncident(1);
  Outcome o = Run("incident.link_person", inc, {{"person_id", "person-404"}});
  EXPECT_EQ(o.error.code, ErrorCode::kNotFound);
  const std::string p = NewPerson("Ann Lee");
  Link(inc, p);
  EXPECT_EQ(Run("incident.link_person", inc, {{"person_id", p}}).error.code, ErrorCode::kConflict);
}

TEST_F(PersonsTest, PersonCrossesTheThresholdOnTheFifthContact) {
  const std::string p = NewPerson("Sam Taylor", "1991-04-12");
  Contacts(p, 4, 1, 6);  // 1, 7, 13, 19 days ago
  EXPECT_EQ(FindSubject(RepeatDemand(), "persons", "person_id", p), nullptr);
  // A non-mental-health incident does not count.
  Link(MhIncident(2, "Somewhere", {}, "theft"), p);
  EXPECT_EQ(FindSubject(RepeatDemand(), "persons", "person_id", p), nullptr);
  // The type alone makes a contact mental-health related.
  Link(MhIncident(3, "Somewhere", {}, "mental_health"), p);
  const auto demand = RepeatDemand("AW");
  const auto* s = FindSubject(demand, "persons", "person_id", p);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->at("contacts").as_int64(), 5);
  EXPECT_EQ(s->at("name").as_string(), "Sam Taylor");
  EXPECT_EQ(s->at("incidents").as_array().size(), 5u);
  EXPECT_EQ(s->at("triggered").as_array()[0].at("rule").as_string(), "person_30d");
  EXPECT_EQ(std::string(s->at("incidents").as_array()[0].at("reference").as_string()).substr(0, 4),
            "CAD ");
}

TEST_F(PersonsTest, ARepeatPersonIsInTheBcuOfMostOfTheirContactsInTheTeamsReport) {
  const std::string p = NewPerson("Sam Taylor", "1990-01-01");
  Contacts(p, 5);  // Westminster: AW
  const auto persons = RepeatDemand().at("persons").as_array();
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(persons[0].at("bcu"), "AW");
  const auto report = Read([&](const State& s) {
    return reports::Build(s, Ctx(), {"teams", clock_.Now() - 30 * kDay, clock_.Now() + 1, ""})
        .value();
  });
  EXPECT_EQ(report.summary.at("repeat_persons").as_int64(), 1);
  for (const auto& t : report.tables) {
    if (t.name != "repeat_demand") continue;
    for (const auto& row : t.rows) {
      EXPECT_NE(row.at("bcu"), "unknown");
      EXPECT_EQ(row.at("persons").as_int64(), row.at("bcu") == "AW" ? 1 : 0) << row.at("bcu");
    }
  }
}

// An empty table says what it is empty of: the HIU cases are every case the force holds, not
// the window's, so "none in this window" would mislead; the window's own tables say that.
TEST_F(PersonsTest, AnEmptyTableSaysWhatItIsEmptyOf) {
  for (const std::string bcu : {"", "AW"}) {
    const auto json = Read([&](const State& s) {
      return reports::ToJson(
          reports::Build(s, Ctx(), {"teams", clock_.Now() - 30 * kDay, clock_.Now() + 1, bcu})
              .value());
    });
    bool seen = false;
    for (const auto& t : json.at("tables").as_array()) {
      const auto& o = t.as_object();
      if (o.at("name") == "hiu_cases") {
        seen = true;
        EXPECT_TRUE(o.at("rows").as_array().empty());
        EXPECT_EQ(o.at("empty"), bcu.empty()
                                     ? "No high-intensity-user cases have been opened."
                                     : "No high-intensity-user cases have been opened in AW.");
      } else {
        EXPECT_EQ(o.at("empty"), "None in this window.") << o.at("name");
      }
    }
    EXPECT_TRUE(seen);
  }
}

TEST_F(PersonsTest, TheOldestContactLeavesTheWindowAsTimePasses) {
  const std::string p = NewPerson("Sam Taylor");
  Contacts(p, 5, 1, 7);  // 1, 8, 15, 22, 29 days ago
  ASSERT_NE(FindSubject(RepeatDemand(), "persons", "person_id", p), nullptr);
  Advance(24 * 3600 - 1);  // the oldest is now 30 days less a second old
  ASSERT_NE(FindSubject(RepeatDemand(), "persons", "person_id", p), nullptr);
  Advance(1);  // exactly 30 days: out
  EXPECT_EQ(FindSubject(RepeatDemand(), "persons", "person_id", p), nullptr);
}

TEST_F(PersonsTest, UnderEighteenAtThreeIn180DaysByDateOfBirth) {
  // 27 Nov 2026: born 28 Nov 2008 is 17; born 27 Nov 2008 turned 18 today.
  const std::string child = NewPerson("Amy Child", "2008-11-28");
  const std::string adult = NewPerson("Ben Adult", "2008-11-27");
  for (const auto& p : {child, adult}) Contacts(p, 3, 10, 50);  // 10, 60, 110 days ago
  const auto demand = RepeatDemand();
  const auto* c = FindSubject(demand, "persons", "person_id", child);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->at("under_18").as_bool());
  EXPECT_EQ(c->at("triggered").as_array()[0].at("rule").as_string(), "under_18_180d");
  EXPECT_EQ(FindSubject(demand, "persons", "person_id", adult), nullptr);
}

TEST_F(PersonsTest, RepeatAddressesWrittenDifferentlyCountAsOne) {
  const char* forms[] = {"Flat 3, 12 High St, London E1 6AN", "3/12 High Street E16AN",
                         "flat 3 12 high street e1 6an"};
  for (int i = 0; i < 15; ++i) MhIncident(1 + i, forms[i % 3], {}, "mental_health");
  const auto demand = RepeatDemand();
  const auto* a = FindSubject(demand, "addresses", "address_key", "3/12 HIGH STREET E1 6AN");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->at("contacts").as_int64(), 15);
  EXPECT_EQ(a->at("postcode").as_string(), "E1 6AN");
}

TEST_F(PersonsTest, OfficerHoursFromAttendanceRankTheList) {
  const std::string quiet = NewPerson("Quiet Case");
  const std::string busy = NewPerson("Busy Case");
  Contacts(quiet, 5);
  Contacts(busy, 5);
  const std::string unit = CreateUnit("AW90", kLat, kLon);  // one crew member
  const std::string inc = MhIncident(0);
  Link(inc, busy);
  ASSERT_TRUE(Assign(inc, unit).ok);
  MustRun("assignment.state", inc, {{"unit_id", unit}, {"state", "at_scene"}});
  Advance(90 * 60);
  MustRun("assignment.state", inc, {{"unit_id", unit}, {"state", "left_scene"}});
  const auto demand = RepeatDemand();
  const auto& persons = demand.at("persons").as_array();
  ASSERT_EQ(persons.size(), 2u);
  EXPECT_EQ(persons[0].at("person_id").as_string(), busy);
  EXPECT_DOUBLE_EQ(persons[0].at("officer_hours").as_double(), 1.5);
  EXPECT_EQ(persons[0].at("contacts").as_int64(), 6);
}

TEST_F(PersonsTest, MergeAndSplitAreEventsTheCountsFollow) {
  const std::string a = NewPerson("Jon Smith", "1984-09-30");
  const std::string b = NewPerson("John Smith", "1984-09-30");
  Contacts(a, 3);
  Contacts(b, 2, 5);
  EXPECT_TRUE(RepeatDemand().at("persons").as_array().empty());
  MustRun("person.merge", a, {{"person_id", b}, {"reason", "same man; confirmed with GP"}});
  auto demand = RepeatDemand();
  ASSERT_EQ(demand.at("persons").as_array().size(), 1u);
  EXPECT_EQ(demand.at("persons").as_array()[0].at("person_id").as_string(), a);
  EXPECT_EQ(Run("person.merge", a, {{"person_id", b}, {"reason", "x"}}).error.code,
            ErrorCode::kConflict);
  // The index is rebuilt from the log the same way.
  Restart();
  EXPECT_EQ(RepeatDemand().at("persons").as_array().size(), 1u);
  MustRun("person.split", a, {{"person_id", b}, {"reason", "different people after all"}});
  EXPECT_TRUE(RepeatDemand().at("persons").as_array().empty());
  EXPECT_EQ(Run("person.split", a, {{"person_id", b}, {"reason", "x"}}).error.code,
            ErrorCode::kConflict);
  MustRun("person.not_same", a, {{"person_id", b}, {"reason", "checked"}});
  EXPECT_TRUE(
      Read([&](const State& s) { return PossibleMatchesJson(s, s.team.persons.at(a)); }).empty());
  EXPECT_EQ(Run("person.merge", a, {{"person_id", b}, {"reason", "x"}}).error.code,
            ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace concordat::testing
