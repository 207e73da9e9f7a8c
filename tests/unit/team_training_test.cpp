// Training: refresher due dates at their boundaries, due/overdue lists, coverage against target,
// the CSV import (rejected rows by line, all or nothing), and crews' training on units.
#include "core/team_internal.hpp"
#include "team_fixture.hpp"

namespace concordat::testing {
namespace {

class TrainingTest : public TeamTest {
 protected:
  TrainingTest() {
    MustRun("training.course_create", "",
            {{"id", "mh-one-day"},
             {"title", "One-day mental health training"},
             {"kind", "mh_one_day"},
             {"refresh_months", 36}});
    MustRun("training.course_create", "",
            {{"id", "peqf-mh"},
             {"title", "PEQF module"},
             {"kind", "peqf_module"},
             {"refresh_months", 0}});
  }
  void Complete(const std::string& collar, const std::string& on, const std::string& bcu = "AW",
                const std::string& course = "mh-one-day") {
    MustRun("training.completion_record", "",
            {{"collar", collar},
             {"name", "Officer " + collar},
             {"bcu", bcu},
             {"course_id", course},
             {"completed_on", on}});
  }
  std::string Status(const std::string& collar) {
    return Read([&](const State& s) {
      return std::string(CrewTrainingJson(s, collar, clock_.Now()).at("status").as_string());
    });
  }
  Outcome Import(const std::string& csv, const std::string& mode = "all_or_nothing") {
    return Run("training.import", "", {{"csv", csv}, {"mode", mode}});
  }
};

TEST(TrainingDates, AddMonthsClampsToTheEndOfTheMonth) {
  using team::AddMonths;
  EXPECT_EQ(FormatDate(AddMonths({2025, 1, 31}, 1)), "2025-02-28");
  EXPECT_EQ(FormatDate(AddMonths({2024, 1, 31}, 1)), "2024-02-29");
  EXPECT_EQ(FormatDate(AddMonths({2024, 2, 29}, 36)), "2027-02-28");
  EXPECT_EQ(FormatDate(AddMonths({2023, 11, 27}, 36)), "2026-11-27");
  EXPECT_EQ(FormatDate(AddMonths({2025, 12, 15}, 1)), "2026-01-15");
  EXPECT_EQ(FormatDate(AddMonths({2025, 12, 15}, 0)), "2025-12-15");
}

TEST_F(TrainingTest, RefresherDueOnItsDateAndOverdueTheDayAfter) {
  // Today is 27 Nov 2026; the package is refreshed every 36 months, "due" 60 days ahead.
  Complete("A", "2023-11-27");                   // due today
  Complete("B", "2023-11-26");                   // due yesterday
  Complete("C", "2024-01-26");                   // due in 60 days
  Complete("D", "2024-01-27");                   // due in 61 days
  Complete("E", "2020-01-01", "AW", "peqf-mh");  // never needs refreshing, not coverage
  EXPECT_EQ(Status("A"), "due");
  EXPECT_EQ(Status("B"), "overdue");
  EXPECT_EQ(Status("C"), "due");
  EXPECT_EQ(Status("D"), "current");
  EXPECT_EQ(Status("E"), "none");
  EXPECT_EQ(Status("nobody"), "none");
  const auto due = Read([&](const State& s) { return TrainingDueJson(s, Ctx(), "AW", ""); });
  EXPECT_EQ(due.at("due").as_int64(), 2);
  EXPECT_EQ(due.at("overdue").as_int64(), 1);
  const auto& first = due.at("officers").as_array()[0];  // earliest due first
  EXPECT_EQ(first.at("collar").as_string(), "B");
  EXPECT_EQ(first.at("days_to_due").as_int64(), -1);
  // A newer completion replaces the lapsed one.
  Complete("B", "2026-11-20");
  EXPECT_EQ(Status("B"), "current");
  Advance(24 * 3600);  // 28 Nov: A's refresher is now overdue
  EXPECT_EQ(Status("A"), "overdue");
}

TEST_F(TrainingTest, CoveragePerBcuAgainstItsShareOfTheForceTarget) {
  Complete("A", "2026-01-10", "AW");
  Complete("B", "2020-01-10", "AW");  // lapsed
  Complete("C", "2026-03-01", "CS");
  const auto c = Read([&](const State& s) { return TrainingCoverageJson(s, Ctx()); });
  EXPECT_EQ(c.at("force").at("trained").as_int64(), 2);
  EXPECT_EQ(c.at("force").at("lapsed").as_int64(), 1);
  EXPECT_EQ(c.at("force").at("target").as_int64(), 10000);
  std::int64_t sum = 0;
  for (const auto& b : c.at("bcus").as_array()) {
    sum += b.at("target").as_int64();
    if (b.at("code").as_string() == "AW") {
      EXPECT_EQ(b.at("trained").as_int64(), 1);
      EXPECT_EQ(b.at("lapsed").as_int64(), 1);
    }
  }
  EXPECT_NEAR(static_cast<double>(sum), 10000.0, 6.0);  // shares, rounded per BCU
}

TEST_F(TrainingTest, AnImportWithRejectedRowsImportsNothingAndSaysWhy) {
  const std::string csv =
      "collar,name,bcu,course,completed_on\n"
      "AW-1,PC One,AW,mh-one-day,2026-10-01\n"
      "AW-2,PC Two,ZZ,mh-one-day,2026-10-01\n"
      "AW-3,PC Three,AW,no-such-course,2026-10-01\n"
      "AW-4,PC Four,AW,mh-one-day,01/10/2026\n"
      "AW-5,PC Five,AW,mh-one-day,2027-01-01\n"
      ",PC Six,AW,mh-one-day,2026-10-01\n"
      "AW-7,PC Seven,AW\n"
      "AW-8,PC Eight,AW,mh-one-day,1900-01-01\n";
  const auto head = log_->HeadSeq();
  Outcome o = Import(csv);
  EXPECT_EQ(o.error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(log_->HeadSeq(), head);
  const auto& rejected = o.error.details.at("rejected").as_array();
  ASSERT_EQ(rejected.size(), 7u);
  EXPECT_EQ(rejected[0].at("line").as_int64(), 3);
  EXPECT_EQ(rejected[0].at("reason").as_string(), "unknown BCU 'ZZ'");
  EXPECT_EQ(rejected[1].at("reason").as_string(), "unknown course 'no-such-course'");
  EXPECT_EQ(rejected[2].at("reason").as_string(),
            "completed_on '01/10/2026' is not a date (YYYY-MM-DD)");
  EXPECT_EQ(rejected[3].at("reason").as_string(), "completed_on is in the future");
  EXPECT_EQ(rejected[4].at("line").as_int64(), 7);
  EXPECT_EQ(rejected[5].at("reason").as_string(), "expected 5 fields, found 3");
  EXPECT_EQ(rejected[6].at("reason").as_string(),
            "completed_on '1900-01-01' is more than 50 years ago: check the year");
  EXPECT_EQ(o.error.details.at("imported").as_int64(), 0);
  EXPECT_EQ(Status("AW-1"), "none");

  o = Import(csv, "valid_rows");
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_EQ(o.reply.at("imported").as_int64(), 1);
  EXPECT_EQ(o.reply.at("rejected").as_array().size(), 7u);
  EXPECT_EQ(Status("AW-1"), "current");
  EXPECT_EQ(EventsOfType("training.completions_recorded").size(), 1u);
}

TEST_F(TrainingTest, DuplicatesAreSkippedSoAReimportAddsNothing) {
  const std::string csv =
      "completed_on,course,collar,name,bcu,session_id\n"  // any column order
      "2026-10-01,mh-one-day,AW-1,PC One,AW,\n"
      "2026-10-01,mh-one-day,AW-1,PC One,AW,\n"
      "2026-10-02,mh-one-day,AW-2,\"Two, PC\",AW,\n";
  Outcome o = Import(csv);
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_EQ(o.reply.at("imported").as_int64(), 2);
  EXPECT_EQ(o.reply.at("skipped").as_array()[0].at("reason").as_string(), "duplicate of line 2");
  const auto events = EventsOfType("training.completions_recorded").size();
  o = Import(csv);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.reply.at("imported").as_int64(), 0);
  EXPECT_EQ(o.reply.at("skipped").as_array().size(), 3u);
  EXPECT_EQ(EventsOfType("training.completions_recorded").size(), events);
  EXPECT_EQ(Import("name,bcu\nx,AW\n").error.field, "csv");
}

TEST_F(TrainingTest, ControllersSeeACrewsTrainingOnTheUnit) {
  const std::string unit = CreateUnit("AW77", kLat, kLon);  // crew collar AW77-1, no MH skill
  auto view = [&] {
    return Read([&](const State& s) { return UnitJson(s.cad.units.at(unit), clock_.Now(), &s); });
  };
  EXPECT_FALSE(view().at("mental_health_trained_by_record").as_bool());
  Complete("AW77-1", "2026-06-01");
  const auto v = view();
  EXPECT_TRUE(v.at("mental_health_trained_by_record").as_bool());
  const auto& t = v.at("crew").as_array()[0].at("mental_health_training");
  EXPECT_EQ(t.at("status").as_string(), "current");
  EXPECT_EQ(t.at("due_on").as_string(), "2029-06-01");
}

TEST_F(TrainingTest, SessionsRecordPartnerCoFacilitatorsAndServiceUserInput) {
  Outcome o = MustRun("training.session_create", "",
                      {{"course_id", "mh-one-day"},
                       {"date", "2026-12-03"},
                       {"bcu", "CS"},
                       {"facilitators", {"PS Trainer"}},
                       {"co_facilitators", {{{"name", "Ms Nurse"}, {"organisation", "SLaM"}}}},
                       {"service_user_input", true},
                       {"service_user_note", "expert by experience"}});
  EXPECT_EQ(o.reply.at("co_facilitators").as_array()[0].at("organisation").as_string(), "SLaM");
  EXPECT_EQ(Run("training.session_create", "",
                {{"course_id", "mh-one-day"},
                 {"date", "2026-12-03"},
                 {"bcu", "CS"},
                 {"co_facilitators", {{{"name", "No organisation"}}}},
                 {"service_user_input", false}})
                .error.field,
            "co_facilitators[0].organisation");
  // A completion names its session; a session of another course is refused.
  MustRun("training.completion_record", "",
          {{"collar", "CS-1"},
           {"name", "PC"},
           {"bcu", "CS"},
           {"course_id", "mh-one-day"},
           {"completed_on", "2026-11-20"},
           {"session_id", "session-1"}});
  EXPECT_EQ(Run("training.completion_record", "",
                {{"collar", "CS-2"},
                 {"name", "PC"},
                 {"bcu", "CS"},
                 {"course_id", "peqf-mh"},
                 {"completed_on", "2026-11-20"},
                 {"session_id", "session-1"}})
                .error.field,
            "session_id");
}

}  // namespace
}  // namespace concordat::testing
