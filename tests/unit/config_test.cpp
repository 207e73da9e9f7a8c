#include "cli/config.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "refdata/london.hpp"

namespace concordat::cli {
namespace {

// Policy has no operator== (core headers stay untouched), so compare field by field; a field
// added to Policy must be added here and to the example file.
void ExpectSamePolicy(const Policy& a, const Policy& b) {
  ASSERT_EQ(a.grades.size(), b.grades.size());
  for (size_t i = 0; i < a.grades.size(); ++i) {
    SCOPED_TRACE(b.grades[i].code);
    EXPECT_EQ(a.grades[i].code, b.grades[i].code);
    EXPECT_EQ(a.grades[i].name, b.grades[i].name);
    EXPECT_EQ(a.grades[i].target, b.grades[i].target);
    EXPECT_EQ(a.grades[i].deploys, b.grades[i].deploys);
    EXPECT_EQ(a.grades[i].speed_kmh, b.grades[i].speed_kmh);
  }
  EXPECT_EQ(a.unit_statuses, b.unit_statuses);
  EXPECT_EQ(a.attendance.recommended, b.attendance.recommended);
  EXPECT_EQ(a.attendance.default_units, b.attendance.default_units);
  EXPECT_EQ(a.attendance.tolerance, b.attendance.tolerance);
  EXPECT_EQ(a.attendance.specialist_capabilities, b.attendance.specialist_capabilities);
  EXPECT_EQ(a.attendance.emergency_units, b.attendance.emergency_units);
  EXPECT_EQ(a.attendance.emergency_join_window, b.attendance.emergency_join_window);
  EXPECT_EQ(a.attendance.emergency_counts_units_at_scene_incident,
            b.attendance.emergency_counts_units_at_scene_incident);
  EXPECT_EQ(a.compliance.radius_m, b.compliance.radius_m);
  EXPECT_EQ(a.compliance.prompt_after, b.compliance.prompt_after);
  EXPECT_EQ(a.compliance.escalate_after, b.compliance.escalate_after);
  EXPECT_EQ(a.compliance.unrecorded_after, b.compliance.unrecorded_after);
  EXPECT_EQ(a.recommend.detour_factor, b.recommend.detour_factor);
  EXPECT_EQ(a.recommend.out_of_bcu_penalty, b.recommend.out_of_bcu_penalty);
  EXPECT_EQ(a.recommend.mental_health_bonus, b.recommend.mental_health_bonus);
  EXPECT_EQ(a.recommend.max_fix_age, b.recommend.max_fix_age);
  EXPECT_EQ(a.partners.referral_deadlines, b.partners.referral_deadlines);
  EXPECT_EQ(a.partners.referral_recipients, b.partners.referral_recipients);
  const auto& m = a.mental_health;
  const auto& n = b.mental_health;
  EXPECT_EQ(m.clock_alerts_before, n.clock_alerts_before);
  EXPECT_EQ(m.welfare_grace, n.welfare_grace);
  EXPECT_EQ(m.custody_review_every, n.custody_review_every);
  EXPECT_EQ(m.handover_alert_after, n.handover_alert_after);
  EXPECT_EQ(m.arrival_alert_after, n.arrival_alert_after);
  EXPECT_EQ(m.ambulance_wait, n.ambulance_wait);
  EXPECT_EQ(m.police_stations_removed_from, n.police_stations_removed_from);
  EXPECT_EQ(m.conveyance_speed_kmh, n.conveyance_speed_kmh);
  EXPECT_EQ(m.awol_report_within, n.awol_report_within);
  const auto& t = a.team;
  const auto& u = b.team;
  ASSERT_EQ(t.repeat_rules.size(), u.repeat_rules.size());
  for (size_t i = 0; i < t.repeat_rules.size(); ++i) {
    EXPECT_EQ(t.repeat_rules[i].name, u.repeat_rules[i].name);
    EXPECT_EQ(t.repeat_rules[i].subject, u.repeat_rules[i].subject);
    EXPECT_EQ(t.repeat_rules[i].window_days, u.repeat_rules[i].window_days);
    EXPECT_EQ(t.repeat_rules[i].threshold, u.repeat_rules[i].threshold);
  }
  EXPECT_EQ(t.min_strength_percent, u.min_strength_percent);
  EXPECT_EQ(t.candidate_expiry_days, u.candidate_expiry_days);
  EXPECT_EQ(t.max_flag_days, u.max_flag_days);
  EXPECT_EQ(t.training_due_soon_days, u.training_due_soon_days);
  EXPECT_EQ(t.training_force_target, u.training_force_target);
  EXPECT_EQ(t.training_bcu_targets, u.training_bcu_targets);
  EXPECT_EQ(t.case_demand_max_days, u.case_demand_max_days);
  EXPECT_EQ(a.reports.shifts, b.reports.shifts);
}

class ConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::temp_directory_path() /
             (std::string("concordat_config_") + info->name() + ".toml"))
                .string();
    std::ofstream(path_) << text;
    return path_;
  }
  // Loads `text` and expects an invalid_argument whose message names `key`; `cfg` unchanged.
  void ExpectRejected(const std::string& text, const std::string& key) {
    SCOPED_TRACE(text);
    Config cfg;
    auto st = LoadConfigFile(Write(text), cfg);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(st.error().field, "config");
    EXPECT_NE(st.error().message.find(path_ + ": "), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find(key), std::string::npos) << st.error().message;
    ExpectSamePolicy(cfg.policy, Policy{});
    EXPECT_EQ(cfg.listen, Config{}.listen);
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::string path_;
};

TEST_F(ConfigTest, ExampleFileReproducesTheDefaults) {
  Config cfg;
  auto st = LoadConfigFile(DefaultDataDir() + "/concordat.example.toml", cfg);
  ASSERT_TRUE(st.ok()) << st.error().message;
  const Config d;
  EXPECT_EQ(cfg.listen, d.listen);
  EXPECT_EQ(cfg.data_dir, d.data_dir);
  EXPECT_EQ(cfg.refdata_dir, d.refdata_dir);
  EXPECT_EQ(cfg.web_dir, d.web_dir);
  EXPECT_EQ(cfg.io_threads, d.io_threads);
  EXPECT_EQ(cfg.worker_threads, d.worker_threads);
  EXPECT_EQ(cfg.token_ttl_minutes, d.token_ttl_minutes);
  EXPECT_EQ(cfg.max_failed_logins, d.max_failed_logins);
  EXPECT_EQ(cfg.failed_login_window_minutes, d.failed_login_window_minutes);
  EXPECT_EQ(cfg.snapshot_every, d.snapshot_every);
  EXPECT_EQ(cfg.snapshot_min_seconds, d.snapshot_min_seconds);
  EXPECT_EQ(cfg.password_cost, d.password_cost);
  ExpectSamePolicy(cfg.policy, d.policy);
}

// The comparison itself must notice a difference, or the test above proves nothing.
TEST_F(ConfigTest, ExampleComparisonNoticesAChangedValue) {
  static Policy changed;  // EXPECT_NONFATAL_FAILURE cannot see locals
  changed.team.repeat_rules[1].threshold = 13;
  EXPECT_NONFATAL_FAILURE(ExpectSamePolicy(changed, Policy{}), "threshold");
}

TEST_F(ConfigTest, NonDefaultValuesLandInTheirFields) {
  Config cfg;
  auto st = LoadConfigFile(Write(R"(
[grades.I]
name = "Immediate"
target_minutes = 12
speed_kmh = 48.5
[grades.P]
name = "Priority"
target_minutes = 30
[units]
statuses = ["off_duty", "available", "en_route", "at_scene", "refs"]
[attendance]
tolerance = 0
emergency_join_window_minutes = 10
specialist_capabilities = ["dog"]
[attendance.recommended]
"mental_health:P" = 3
"*:I" = 2
[compliance]
radius_m = 150.5
escalate_after_minutes = 7
[recommend]
detour_factor = 1
max_fix_age_minutes = 5
[partners.referral_deadline_minutes]
street_triage = 20
[partners.referral_recipients]
safeguarding = ["amhp_service", "voluntary"]
[mental_health]
clock_alerts_before_minutes = [120, 30, 5]
conveyance_speed_kmh = 35
awol_report_within_minutes = 15
custody_review_minutes = 45
[team]
max_flag_days = 180
min_strength_percent = 75
[team.training_bcu_targets]
CW = 250
[[team.repeat_rules]]
name = "person_7d"
subject = "person"
window_days = 7
threshold = 3
[[reports.shifts]]
name = "day"
start_hour = 6
[[reports.shifts]]
name = "night"
start_hour = 18
)"),
                           cfg);
  ASSERT_TRUE(st.ok()) << st.error().message;
  const Policy& p = cfg.policy;
  ASSERT_NE(p.FindGrade("I"), nullptr);
  EXPECT_EQ(p.FindGrade("I")->target, Minutes(12));
  EXPECT_EQ(p.FindGrade("I")->speed_kmh, 48.5);
  ASSERT_NE(p.FindGrade("P"), nullptr);
  EXPECT_EQ(p.FindGrade("P")->speed_kmh, GradePolicy{}.speed_kmh);
  EXPECT_EQ(p.FindGrade("S")->speed_kmh, 25);  // untouched grades keep their defaults
  EXPECT_TRUE(p.IsUnitStatus("refs"));
  EXPECT_FALSE(p.IsUnitStatus("transporting"));
  EXPECT_EQ(p.attendance.tolerance, 0);
  EXPECT_EQ(p.attendance.emergency_join_window, Minutes(10));
  EXPECT_EQ(p.attendance.specialist_capabilities, std::vector<std::string>{"dog"});
  // The table replaces the built-in map, so officer_assistance falls to default_units.
  EXPECT_EQ(p.RecommendedUnits("mental_health", "P"), 3);
  EXPECT_EQ(p.RecommendedUnits("officer_assistance", "S"), 1);
  EXPECT_EQ(p.RecommendedUnits("theft", "I"), 2);
  EXPECT_EQ(p.compliance.radius_m, 150.5);
  EXPECT_EQ(p.compliance.escalate_after, Minutes(7));
  EXPECT_EQ(p.compliance.prompt_after, Minutes(2));
  EXPECT_EQ(p.recommend.detour_factor, 1.0);
  EXPECT_EQ(p.recommend.max_fix_age, Minutes(5));
  EXPECT_EQ(p.partners.DeadlineFor("street_triage"), Minutes(20));
  EXPECT_EQ(p.partners.DeadlineFor("safeguarding"), Hours(1));
  // The recipients' table replaces the built-in one: types not listed go to no one.
  EXPECT_TRUE(p.partners.TakesReferral("voluntary", "safeguarding"));
  EXPECT_FALSE(p.partners.TakesReferral("mental_health_trust", "safeguarding"));
  EXPECT_FALSE(p.partners.TakesReferral("mental_health_trust", "street_triage"));
  EXPECT_EQ(p.mental_health.clock_alerts_before,
            (std::vector<Timestamp>{Minutes(120), Minutes(30), Minutes(5)}));
  EXPECT_EQ(p.mental_health.conveyance_speed_kmh, 35);
  EXPECT_EQ(p.mental_health.awol_report_within, Minutes(15));
  EXPECT_EQ(p.mental_health.custody_review_every, Minutes(45));
  EXPECT_EQ(p.team.max_flag_days, 180);
  EXPECT_EQ(p.team.min_strength_percent, 75);
  EXPECT_EQ(p.team.training_bcu_targets, (std::map<std::string, int>{{"CW", 250}}));
  ASSERT_EQ(p.team.repeat_rules.size(), 1u);
  EXPECT_EQ(p.team.repeat_rules[0].name, "person_7d");
  EXPECT_EQ(p.team.repeat_rules[0].window_days, 7);
  EXPECT_EQ(p.team.repeat_rules[0].threshold, 3);
  EXPECT_EQ(p.reports.ShiftOf(5), "night");
  EXPECT_EQ(p.reports.ShiftOf(12), "day");
}

TEST_F(ConfigTest, ExistingKeysStillWork) {
  Config cfg;
  auto st = LoadConfigFile(Write(R"(
[server]
listen = "0.0.0.0:9000"
worker_threads = 2
[auth]
token_ttl_minutes = 60
password_cost = "minimum"
[engine]
snapshot_every = 0
[grades.S]
target_minutes = 45
[mental_health]
police_stations_removed_from = "2027-07-01"
welfare_grace_minutes = 10
)"),
                           cfg);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(cfg.listen, "0.0.0.0:9000");
  EXPECT_EQ(cfg.worker_threads, 2u);
  EXPECT_EQ(cfg.token_ttl_minutes, 60);
  EXPECT_EQ(cfg.password_cost, "minimum");
  EXPECT_EQ(cfg.snapshot_every, 0u);
  EXPECT_EQ(cfg.policy.FindGrade("S")->target, Minutes(45));
  EXPECT_EQ(cfg.policy.FindGrade("S")->name, "S");  // a grade table defines the whole grade
  EXPECT_EQ(cfg.policy.mental_health.welfare_grace, Minutes(10));
  // Midnight London time in summer is 23:00 UTC the day before.
  EXPECT_EQ(FormatIso(*cfg.policy.mental_health.police_stations_removed_from),
            "2027-06-30T23:00:00.000000Z");
}

TEST_F(ConfigTest, UnknownKeysAreNamed) {
  ExpectRejected("[compliance]\nradius = 100\n", "unknown key compliance.radius");
  ExpectRejected("colour = 1\n", "unknown key colour");
  ExpectRejected("[grades.I]\nspeed = 40\n", "unknown key grades.I.speed");
  ExpectRejected("[attendance.recommended.theft]\nI = 1\n",
                 "attendance.recommended.theft must be named type:grade");
  ExpectRejected("[[team.repeat_rules]]\nname = \"x\"\nwindow = 3\n",
                 "unknown key team.repeat_rules[0].window");
  ExpectRejected("[[reports.shifts]]\nname = \"x\"\nstart = 3\n",
                 "unknown key reports.shifts[0].start");
  ExpectRejected("[team]\nrepeat_rules = 3\n", "team.repeat_rules must be an array of tables");
  ExpectRejected("units = 3\n", "units must be a table");
}

TEST_F(ConfigTest, WrongTypesAreNamed) {
  ExpectRejected("[compliance]\nprompt_after_minutes = \"2\"\n",
                 "compliance.prompt_after_minutes must be an integer");
  ExpectRejected("[recommend]\ndetour_factor = \"1.3\"\n",
                 "recommend.detour_factor must be a number");
  ExpectRejected("[grades.R]\ndeploys = 0\n", "grades.R.deploys must be true or false");
  ExpectRejected("[units]\nstatuses = \"available\"\n", "units.statuses must be an array");
  ExpectRejected("[attendance.recommended]\n\"*:I\" = 2.5\n",
                 "attendance.recommended.\"*:I\" must be an integer");
  ExpectRejected("[server]\nio_threads = \"2\"\n", "server.io_threads must be an integer");
  ExpectRejected("[mental_health]\nclock_alerts_before_minutes = [\"4h\"]\n",
                 "mental_health.clock_alerts_before_minutes must be an integer");
}

TEST_F(ConfigTest, OutOfRangeValuesAreNamed) {
  ExpectRejected("[compliance]\nescalate_after_minutes = 0\n",
                 "compliance.escalate_after_minutes must be 1-");
  ExpectRejected("[compliance]\nradius_m = -5\n", "compliance.radius_m must be more than");
  ExpectRejected("[recommend]\ndetour_factor = 0.9\n", "recommend.detour_factor must be at least");
  ExpectRejected("[grades.I]\nspeed_kmh = 0\n", "grades.I.speed_kmh must be more than");
  ExpectRejected("[attendance]\nemergency_units = 0\n", "attendance.emergency_units must be 1-");
  ExpectRejected("[attendance]\ntolerance = -1\n", "attendance.tolerance must be 0-");
  ExpectRejected("[mental_health]\nawol_report_within_minutes = -60\n",
                 "mental_health.awol_report_within_minutes");
  ExpectRejected("[mental_health]\nclock_alerts_before_minutes = [60, 240]\n",
                 "mental_health.clock_alerts_before_minutes must be in decreasing order");
  ExpectRejected("[partners.referral_deadline_minutes]\nsafeguarding = 0\n",
                 "partners.referral_deadline_minutes.safeguarding must be 1-");
  ExpectRejected("[team]\nmin_strength_percent = 120\n", "team.min_strength_percent must be 0-100");
  ExpectRejected("[team.training_bcu_targets]\nCW = -1\n", "team.training_bcu_targets.CW");
  ExpectRejected("[server]\nworker_threads = 0\n", "server.worker_threads must be 1-256");
  ExpectRejected("[auth]\npassword_cost = \"low\"\n", "auth.password_cost must be interactive");
  ExpectRejected("[auth]\nfailed_login_window_minutes = 0\n",
                 "auth.failed_login_window_minutes must be 1-1440");
}

TEST_F(ConfigTest, InconsistentValuesAreNamed) {
  ExpectRejected("[attendance.recommended]\n\"theft:X\" = 1\n",
                 "attendance.recommended.\"theft:X\" names unknown grade X");
  ExpectRejected("[attendance.recommended]\ntheft = 1\n",
                 "attendance.recommended.theft must be named type:grade");
  ExpectRejected("[attendance.recommended]\n\"*:*\" = 1\n", "must be named type:grade");
  ExpectRejected("[units]\nstatuses = [\"available\", \"en_route\", \"at_scene\"]\n",
                 "units.statuses must include off_duty");
  ExpectRejected("[units]\nstatuses = [\"off_duty\", \"available\", \"en_route\", \"at_scene\", "
                 "\"available\"]\n",
                 "units.statuses lists available twice");
  ExpectRejected("[[reports.shifts]]\nname = \"late\"\nstart_hour = 15\n"
                 "[[reports.shifts]]\nname = \"early\"\nstart_hour = 7\n",
                 "reports.shifts[1].start_hour must be later");
  ExpectRejected("[[reports.shifts]]\nname = \"late\"\nstart_hour = 24\n",
                 "reports.shifts[0].start_hour must be 0-23");
  ExpectRejected("[[reports.shifts]]\nstart_hour = 4\n", "reports.shifts[0].name is required");
  ExpectRejected("[[team.repeat_rules]]\nname = \"a\"\nsubject = \"household\"\n"
                 "window_days = 30\nthreshold = 5\n",
                 "team.repeat_rules[0].subject must be person, under_18 or address");
  ExpectRejected("[[team.repeat_rules]]\nname = \"a\"\nsubject = \"person\"\nwindow_days = 30\n",
                 "team.repeat_rules[0].threshold is required");
  ExpectRejected("[partners.referral_recipients]\nwelfare_check = [\"voluntary\"]\n",
                 "partners.referral_recipients.welfare_check is not a type of referral");
  ExpectRejected("[partners.referral_recipients]\npolice_assistance = [\"voluntary\"]\n",
                 "partners.referral_recipients.police_assistance is not a type of referral");
  ExpectRejected("[partners.referral_recipients]\ncrisis_team = \"mental_health_trust\"\n",
                 "partners.referral_recipients.crisis_team must be an array of strings");
  ExpectRejected("[mental_health]\npolice_stations_removed_from = \"July 2027\"\n",
                 "mental_health.police_stations_removed_from must be YYYY-MM-DD");
  ExpectRejected("[compliance\n", "line 1");  // a TOML syntax error keeps its line
}

// A failed load leaves an already-loaded configuration as it was, even for keys read before the
// bad one.
TEST_F(ConfigTest, FailedLoadChangesNothing) {
  Config cfg;
  cfg.listen = "10.0.0.1:80";
  cfg.policy.compliance.radius_m = 42;
  auto st = LoadConfigFile(Write("[server]\nlisten = \"1.2.3.4:5\"\n[compliance]\nradius_m = 50\n"
                                 "[reports]\nshifts = [{name = \"a\", start_hour = 99}]\n"),
                           cfg);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(cfg.listen, "10.0.0.1:80");
  EXPECT_EQ(cfg.policy.compliance.radius_m, 42);
  EXPECT_EQ(cfg.policy.reports.shifts, Policy{}.reports.shifts);
}

}  // namespace
}  // namespace concordat::cli
