// Configurable values for the BCU mental-health teams (issue 6): repeat-demand thresholds
// (RULES.md F30), the organisation alert, HIU flag lifetimes and training coverage. Part of
// `Policy` (policy.hpp); the core only reads them.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace concordat {

// One repeat-demand threshold: `threshold` or more mental-health-related contacts in the last
// `window_days` days (the window is (now − window, now], so a contact exactly window_days old no
// longer counts). `subject`: person | under_18 | address.
struct RepeatRule {
  std::string name;
  std::string subject;
  int window_days = 30;
  int threshold = 5;
};

struct TeamPolicy {
  // RULES.md F30 defaults. Under 18 means a child in law (Children Act 1989 s105), judged on the
  // person's age on the day of the query.
  std::vector<RepeatRule> repeat_rules = {
      {"person_30d", "person", 30, 5},
      {"person_90d", "person", 90, 12},
      {"under_18_180d", "under_18", 180, 3},
      {"address_30d", "address", 30, 15},
  };
  // A team whose filled posts fall below this share of its establishment is below strength and
  // raises `org_vacancy` (a vacant liaison post always does).
  int min_strength_percent = 80;
  // An unreviewed candidate flag lapses after this many days; a review may set an expiry at most
  // `max_flag_days` ahead (RULES.md F31: every flag has an expiry).
  int candidate_expiry_days = 30;
  int max_flag_days = 365;
  // Training: a refresher is "due" this many days before its due date; coverage target.
  int training_due_soon_days = 60;
  int training_force_target = 10'000;
  std::map<std::string, int> training_bcu_targets;  // BCU code → target; else a population share
  // Demand before/after a case: equal windows, each at most this long.
  int case_demand_max_days = 365;
};

}  // namespace concordat
