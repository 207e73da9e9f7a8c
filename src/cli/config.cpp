#include "cli/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>

#include "core/partners.hpp"
#include "refdata/london.hpp"

#ifndef CONCORDAT_SOURCE_DIR
#define CONCORDAT_SOURCE_DIR "."
#endif

namespace concordat::cli {
namespace {

// The file's shape (docs/CONFIG.md). "*" stands for a key the operator chooses (a grade code, a
// "type:grade" pair, a referral type, a BCU code); "[]" for an element of an array of tables.
const std::set<std::string> kTables = {"server",
                                       "auth",
                                       "engine",
                                       "grades",
                                       "grades.*",
                                       "units",
                                       "attendance",
                                       "attendance.recommended",
                                       "compliance",
                                       "recommend",
                                       "partners",
                                       "partners.referral_deadline_minutes",
                                       "partners.referral_recipients",
                                       "mental_health",
                                       "team",
                                       "team.training_bcu_targets",
                                       "reports"};
// Tables whose keys are data, not names from this list.
const std::set<std::string> kMaps = {"grades", "attendance.recommended",
                                     "partners.referral_deadline_minutes",
                                     "partners.referral_recipients", "team.training_bcu_targets"};
const std::set<std::string> kArraysOfTables = {"team.repeat_rules", "reports.shifts"};
const std::set<std::string> kLeaves = {"server.listen",
                                       "server.data",
                                       "server.database",
                                       "server.web",
                                       "server.refdata",
                                       "server.io_threads",
                                       "server.worker_threads",
                                       "auth.token_ttl_minutes",
                                       "auth.max_failed_logins",
                                       "auth.failed_login_window_minutes",
                                       "auth.password_cost",
                                       "engine.snapshot_every",
                                       "engine.snapshot_min_seconds",
                                       "grades.*.name",
                                       "grades.*.target_minutes",
                                       "grades.*.deploys",
                                       "grades.*.speed_kmh",
                                       "units.statuses",
                                       "attendance.recommended.*",
                                       "attendance.default_units",
                                       "attendance.tolerance",
                                       "attendance.specialist_capabilities",
                                       "attendance.emergency_units",
                                       "attendance.emergency_counts_units_at_scene_incident",
                                       "attendance.emergency_join_window_minutes",
                                       "compliance.radius_m",
                                       "compliance.prompt_after_minutes",
                                       "compliance.escalate_after_minutes",
                                       "compliance.unrecorded_after_minutes",
                                       "recommend.detour_factor",
                                       "recommend.out_of_bcu_penalty_minutes",
                                       "recommend.mental_health_bonus_minutes",
                                       "recommend.max_fix_age_minutes",
                                       "partners.referral_deadline_minutes.*",
                                       "partners.referral_recipients.*",
                                       "mental_health.police_stations_removed_from",
                                       "mental_health.welfare_grace_minutes",
                                       "mental_health.custody_review_minutes",
                                       "mental_health.handover_alert_minutes",
                                       "mental_health.arrival_alert_minutes",
                                       "mental_health.ambulance_wait_minutes",
                                       "mental_health.clock_alerts_before_minutes",
                                       "mental_health.conveyance_speed_kmh",
                                       "mental_health.awol_report_within_minutes",
                                       "team.repeat_rules[].name",
                                       "team.repeat_rules[].subject",
                                       "team.repeat_rules[].window_days",
                                       "team.repeat_rules[].threshold",
                                       "team.min_strength_percent",
                                       "team.candidate_expiry_days",
                                       "team.max_flag_days",
                                       "team.training_due_soon_days",
                                       "team.training_force_target",
                                       "team.training_bcu_targets.*",
                                       "team.case_demand_max_days",
                                       "reports.shifts[].name",
                                       "reports.shifts[].start_hour"};

// Statuses the core sets by name (cad_assignments.cpp), so a configured list must keep them.
const std::vector<std::string> kCoreUnitStatuses = {"off_duty", "available", "en_route",
                                                    "at_scene"};
// Large enough for any sensible period, small enough that Minutes() cannot overflow.
constexpr int64_t kMaxMinutes = 10LL * 366 * 24 * 60;
constexpr int64_t kMaxDays = 10LL * 366;
constexpr int64_t kMaxCount = 1'000'000;

std::string Join(const std::string& a, std::string_view b) {
  std::string key(b);
  const bool bare = !key.empty() && key.find_first_not_of(
                                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789_-") == std::string::npos;
  if (!bare) key = "\"" + key + "\"";
  return a.empty() ? key : a + "." + key;
}

// Reads typed, bounded values; the first failure is kept and names the key.
class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}
  bool ok() const { return !error_; }
  Status status() const { return error_ ? Status(*error_) : Status(); }
  void Fail(const std::string& key, const std::string& what) {
    if (!error_) error_ = Error::InvalidArgument("config", path_ + ": " + key + " " + what);
  }

  std::optional<int64_t> Int(const toml::node* n, const std::string& key, int64_t lo,
                             int64_t hi) {
    if (n == nullptr) return std::nullopt;
    const auto* i = n->as_integer();
    if (i == nullptr) return Fail(key, "must be an integer"), std::nullopt;
    if (i->get() < lo || i->get() > hi) {
      return Fail(key, "must be " + std::to_string(lo) + "-" + std::to_string(hi)), std::nullopt;
    }
    return i->get();
  }
  // A number > lo (or >= lo when `inclusive`).
  std::optional<double> Number(const toml::node* n, const std::string& key, double lo,
                               bool inclusive) {
    if (n == nullptr) return std::nullopt;
    std::optional<double> v;
    if (const auto* f = n->as_floating_point()) v = f->get();
    if (const auto* i = n->as_integer()) v = static_cast<double>(i->get());
    if (!v) return Fail(key, "must be a number"), std::nullopt;
    if (!(inclusive ? *v >= lo : *v > lo) || *v > 1e9) {
      return Fail(key, std::string("must be ") + (inclusive ? "at least " : "more than ") +
                           std::to_string(lo).substr(0, std::to_string(lo).find('.') + 2)),
             std::nullopt;
    }
    return v;
  }
  std::optional<std::string> String(const toml::node* n, const std::string& key,
                                    bool non_empty) {
    if (n == nullptr) return std::nullopt;
    const auto* s = n->as_string();
    if (s == nullptr) return Fail(key, "must be a string"), std::nullopt;
    if (non_empty && s->get().empty()) return Fail(key, "must not be empty"), std::nullopt;
    return s->get();
  }
  std::optional<bool> Bool(const toml::node* n, const std::string& key) {
    if (n == nullptr) return std::nullopt;
    const auto* b = n->as_boolean();
    if (b == nullptr) return Fail(key, "must be true or false"), std::nullopt;
    return b->get();
  }
  // Distinct non-empty strings.
  std::optional<std::vector<std::string>> Strings(const toml::node* n, const std::string& key) {
    if (n == nullptr) return std::nullopt;
    const auto* a = n->as_array();
    if (a == nullptr) return Fail(key, "must be an array of strings"), std::nullopt;
    std::vector<std::string> out;
    for (const auto& el : *a) {
      const auto* s = el.as_string();
      if (s == nullptr || s->get().empty()) {
        return Fail(key, "must be an array of non-empty strings"), std::nullopt;
      }
      if (std::find(out.begin(), out.end(), s->get()) != out.end()) {
        return Fail(key, "lists " + s->get() + " twice"), std::nullopt;
      }
      out.push_back(s->get());
    }
    return out;
  }

  // Shorthands for `section.key` in the file's top-level table.
  template <class T>
  void IntAt(const toml::table& t, const char* section, const char* key, int64_t lo, int64_t hi,
             T* out) {
    if (auto v = Int(t[section][key].node(), std::string(section) + "." + key, lo, hi)) {
      *out = static_cast<T>(*v);
    }
  }
  void MinutesAt(const toml::table& t, const char* section, const char* key, int64_t lo,
                 Timestamp* out) {
    if (auto v = Int(t[section][key].node(), std::string(section) + "." + key, lo, kMaxMinutes)) {
      *out = Minutes(*v);
    }
  }
  void NumberAt(const toml::table& t, const char* section, const char* key, double lo,
                bool inclusive, double* out) {
    if (auto v = Number(t[section][key].node(), std::string(section) + "." + key, lo, inclusive)) {
      *out = *v;
    }
  }

 private:
  const std::string& path_;
  std::optional<Error> error_;
};

// Unknown keys and wrongly shaped tables, before any value is read.
void CheckShape(const toml::table& tbl, const std::string& pattern, const std::string& shown,
                Reader& r) {
  for (const auto& [k, v] : tbl) {
    const std::string child = kMaps.contains(pattern) ? pattern + ".*"
                              : pattern.empty()       ? std::string(k.str())
                                                      : pattern + "." + std::string(k.str());
    const std::string child_shown = Join(shown, k.str());
    if (kTables.contains(child)) {
      if (const auto* sub = v.as_table()) {
        CheckShape(*sub, child, child_shown, r);
      } else {
        r.Fail(child_shown, "must be a table");
      }
    } else if (kArraysOfTables.contains(child)) {
      const auto* a = v.as_array();
      if (a == nullptr || (!a->is_array_of_tables() && !a->empty())) {
        r.Fail(child_shown, "must be an array of tables");
        continue;
      }
      for (size_t i = 0; i < a->size(); ++i) {
        CheckShape(*a->get(i)->as_table(), child + "[]",
                   child_shown + "[" + std::to_string(i) + "]", r);
      }
    } else if (!kLeaves.contains(child)) {
      r.Fail("unknown key", child_shown);
    }
    if (!r.ok()) return;
  }
}

void ReadGrades(const toml::table& t, Reader& r, Policy& p) {
  const auto* grades = t["grades"].as_table();
  if (grades == nullptr) return;
  for (const auto& [code, g] : *grades) {
    const auto& gt = *g.as_table();
    const std::string key = Join("grades", code.str());
    // A grade table defines the whole grade: omitted keys take GradePolicy's defaults.
    GradePolicy gp;
    gp.code = std::string(code.str());
    gp.name = r.String(gt["name"].node(), key + ".name", true).value_or(gp.code);
    gp.target = Minutes(r.Int(gt["target_minutes"].node(), key + ".target_minutes", 0,
                              kMaxMinutes).value_or(0));
    gp.deploys = r.Bool(gt["deploys"].node(), key + ".deploys").value_or(true);
    gp.speed_kmh = r.Number(gt["speed_kmh"].node(), key + ".speed_kmh", 0, false)
                       .value_or(gp.speed_kmh);
    bool replaced = false;
    for (auto& existing : p.grades) {
      if (existing.code == gp.code) {
        existing = gp;
        replaced = true;
      }
    }
    if (!replaced) p.grades.push_back(gp);
  }
}

void ReadAttendance(const toml::table& t, Reader& r, Policy& p) {
  auto& a = p.attendance;
  if (const auto* rec = t["attendance"]["recommended"].as_table()) {
    a.recommended.clear();
    for (const auto& [k, v] : *rec) {
      const std::string pair(k.str());
      const std::string key = Join("attendance.recommended", pair);
      const size_t colon = pair.find(':');
      if (colon == std::string::npos || colon == 0 || pair.find(':', colon + 1) != pair.npos ||
          pair == "*:*") {
        r.Fail(key, "must be named type:grade, type:* or *:grade");
        return;
      }
      const std::string grade = pair.substr(colon + 1);
      if (grade != "*" && p.FindGrade(grade) == nullptr) {
        r.Fail(key, "names unknown grade " + grade);
        return;
      }
      if (auto n = r.Int(&v, key, 0, 1000)) a.recommended[pair] = static_cast<int>(*n);
    }
  }
  r.IntAt(t, "attendance", "default_units", 0, 1000, &a.default_units);
  r.IntAt(t, "attendance", "tolerance", 0, 1000, &a.tolerance);
  if (auto v = r.Strings(t["attendance"]["specialist_capabilities"].node(),
                         "attendance.specialist_capabilities")) {
    a.specialist_capabilities = *v;
  }
  r.IntAt(t, "attendance", "emergency_units", 1, 1000, &a.emergency_units);
  if (auto v = r.Bool(t["attendance"]["emergency_counts_units_at_scene_incident"].node(),
                      "attendance.emergency_counts_units_at_scene_incident")) {
    a.emergency_counts_units_at_scene_incident = *v;
  }
  r.MinutesAt(t, "attendance", "emergency_join_window_minutes", 0, &a.emergency_join_window);
}

void ReadDispatch(const toml::table& t, Reader& r, Policy& p) {
  if (auto v = r.Strings(t["units"]["statuses"].node(), "units.statuses")) {
    for (const auto& s : kCoreUnitStatuses) {
      if (std::find(v->begin(), v->end(), s) == v->end()) {
        return r.Fail("units.statuses", "must include " + s + " (the core sets it)");
      }
    }
    p.unit_statuses = *v;
  }
  auto& c = p.compliance;
  r.NumberAt(t, "compliance", "radius_m", 0, false, &c.radius_m);
  r.MinutesAt(t, "compliance", "prompt_after_minutes", 1, &c.prompt_after);
  r.MinutesAt(t, "compliance", "escalate_after_minutes", 1, &c.escalate_after);
  r.MinutesAt(t, "compliance", "unrecorded_after_minutes", 1, &c.unrecorded_after);
  auto& rc = p.recommend;
  r.NumberAt(t, "recommend", "detour_factor", 1, true, &rc.detour_factor);
  r.MinutesAt(t, "recommend", "out_of_bcu_penalty_minutes", 0, &rc.out_of_bcu_penalty);
  r.MinutesAt(t, "recommend", "mental_health_bonus_minutes", 0, &rc.mental_health_bonus);
  r.MinutesAt(t, "recommend", "max_fix_age_minutes", 1, &rc.max_fix_age);
  if (const auto* d = t["partners"]["referral_deadline_minutes"].as_table()) {
    p.partners.referral_deadlines.clear();
    for (const auto& [type, v] : *d) {
      const std::string key = Join("partners.referral_deadline_minutes", type.str());
      if (auto m = r.Int(&v, key, 1, kMaxMinutes)) {
        p.partners.referral_deadlines[std::string(type.str())] = Minutes(*m);
      }
    }
  }
  if (const auto* d = t["partners"]["referral_recipients"].as_table()) {
    p.partners.referral_recipients.clear();
    for (const auto& [type, v] : *d) {
      const std::string key = Join("partners.referral_recipients", type.str());
      if (!IsReferralType(type.str()) || type.str() == "police_assistance") {
        r.Fail(key,
               "is not a type of referral the police send (street_triage, amhp_assessment, "
               "ambulance_conveyance, nhs111_hub, crisis_team, safeguarding)");
        continue;
      }
      if (auto kinds = r.Strings(&v, key)) {
        p.partners.referral_recipients[std::string(type.str())] = *kinds;
      }
    }
  }
}

void ReadMentalHealth(const toml::table& t, Reader& r, Policy& p) {
  auto& mh = p.mental_health;
  if (auto v = r.String(t["mental_health"]["police_stations_removed_from"].node(),
                        "mental_health.police_stations_removed_from", true)) {
    // A London date: the Mental Health Act 2025's commencement for police stations.
    auto d = ParseDate(*v, "mental_health.police_stations_removed_from");
    if (!d.ok()) return r.Fail("mental_health.police_stations_removed_from", "must be YYYY-MM-DD");
    const Timestamp midnight_utc = DaysFromCivil(*d) * kMicrosPerDay;
    mh.police_stations_removed_from = midnight_utc - LondonOffsetMicros(midnight_utc);
  }
  r.MinutesAt(t, "mental_health", "welfare_grace_minutes", 0, &mh.welfare_grace);
  r.MinutesAt(t, "mental_health", "custody_review_minutes", 1, &mh.custody_review_every);
  r.MinutesAt(t, "mental_health", "handover_alert_minutes", 1, &mh.handover_alert_after);
  r.MinutesAt(t, "mental_health", "arrival_alert_minutes", 1, &mh.arrival_alert_after);
  r.MinutesAt(t, "mental_health", "ambulance_wait_minutes", 0, &mh.ambulance_wait);
  r.MinutesAt(t, "mental_health", "awol_report_within_minutes", 1, &mh.awol_report_within);
  r.NumberAt(t, "mental_health", "conveyance_speed_kmh", 0, false, &mh.conveyance_speed_kmh);
  if (const auto* n = t["mental_health"]["clock_alerts_before_minutes"].node()) {
    const std::string key = "mental_health.clock_alerts_before_minutes";
    const auto* a = n->as_array();
    if (a == nullptr) return r.Fail(key, "must be an array of minutes");
    std::vector<Timestamp> alerts;
    for (const auto& el : *a) {
      auto m = r.Int(&el, key, 1, kMaxMinutes);
      if (!m) return;
      // Alerts are listed earliest first, as the clock shows them.
      if (!alerts.empty() && Minutes(*m) >= alerts.back()) {
        return r.Fail(key, "must be in decreasing order");
      }
      alerts.push_back(Minutes(*m));
    }
    mh.clock_alerts_before = alerts;
  }
}

void ReadTeam(const toml::table& t, Reader& r, Policy& p) {
  auto& tp = p.team;
  if (const auto* rules = t["team"]["repeat_rules"].as_array()) {
    std::vector<RepeatRule> out;
    for (size_t i = 0; i < rules->size(); ++i) {
      const auto& rt = *rules->get(i)->as_table();
      const std::string key = "team.repeat_rules[" + std::to_string(i) + "]";
      RepeatRule rule;
      for (const char* field : {"name", "subject", "window_days", "threshold"}) {
        if (!rt.contains(field)) return r.Fail(key + "." + field, "is required");
      }
      rule.name = r.String(rt["name"].node(), key + ".name", true).value_or("");
      rule.subject = r.String(rt["subject"].node(), key + ".subject", true).value_or("");
      rule.window_days =
          static_cast<int>(r.Int(rt["window_days"].node(), key + ".window_days", 1, kMaxDays)
                               .value_or(0));
      rule.threshold = static_cast<int>(
          r.Int(rt["threshold"].node(), key + ".threshold", 1, kMaxCount).value_or(0));
      if (!r.ok()) return;
      if (rule.subject != "person" && rule.subject != "under_18" && rule.subject != "address") {
        return r.Fail(key + ".subject", "must be person, under_18 or address");
      }
      for (const auto& o : out) {
        if (o.name == rule.name) return r.Fail(key + ".name", "repeats " + rule.name);
      }
      out.push_back(rule);
    }
    tp.repeat_rules = out;
  }
  r.IntAt(t, "team", "min_strength_percent", 0, 100, &tp.min_strength_percent);
  r.IntAt(t, "team", "candidate_expiry_days", 1, kMaxDays, &tp.candidate_expiry_days);
  r.IntAt(t, "team", "max_flag_days", 1, kMaxDays, &tp.max_flag_days);
  r.IntAt(t, "team", "training_due_soon_days", 0, kMaxDays, &tp.training_due_soon_days);
  r.IntAt(t, "team", "training_force_target", 0, kMaxCount, &tp.training_force_target);
  r.IntAt(t, "team", "case_demand_max_days", 1, kMaxDays, &tp.case_demand_max_days);
  if (const auto* targets = t["team"]["training_bcu_targets"].as_table()) {
    tp.training_bcu_targets.clear();
    for (const auto& [bcu, v] : *targets) {
      if (auto n = r.Int(&v, Join("team.training_bcu_targets", bcu.str()), 0, kMaxCount)) {
        tp.training_bcu_targets[std::string(bcu.str())] = static_cast<int>(*n);
      }
    }
  }
}

void ReadReports(const toml::table& t, Reader& r, Policy& p) {
  const auto* shifts = t["reports"]["shifts"].as_array();
  if (shifts == nullptr) return;
  std::vector<std::pair<std::string, int>> out;
  for (size_t i = 0; i < shifts->size(); ++i) {
    const auto& st = *shifts->get(i)->as_table();
    const std::string key = "reports.shifts[" + std::to_string(i) + "]";
    for (const char* field : {"name", "start_hour"}) {
      if (!st.contains(field)) return r.Fail(key + "." + field, "is required");
    }
    auto name = r.String(st["name"].node(), key + ".name", true);
    auto hour = r.Int(st["start_hour"].node(), key + ".start_hour", 0, 23);
    if (!name || !hour) return;
    // ShiftOf takes the last shift started, so hours must rise through the day.
    if (!out.empty() && *hour <= out.back().second) {
      return r.Fail(key + ".start_hour", "must be later than the shift before");
    }
    for (const auto& o : out) {
      if (o.first == *name) return r.Fail(key + ".name", "repeats " + *name);
    }
    out.emplace_back(*name, static_cast<int>(*hour));
  }
  p.reports.shifts = out;
}

}  // namespace

Status LoadConfigFile(const std::string& path, Config& cfg) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error::InvalidArgument("config", path + ": " + std::string(e.description()) +
                                                " (line " +
                                                std::to_string(e.source().begin.line) + ")");
  }
  Reader r(path);
  CheckShape(t, "", "", r);
  if (!r.ok()) return r.status();
  // Read into a copy so that a failed load leaves `cfg` as it was.
  Config next = cfg;
  if (auto v = r.String(t["server"]["listen"].node(), "server.listen", true)) next.listen = *v;
  if (auto v = r.String(t["server"]["data"].node(), "server.data", true)) next.data_dir = *v;
  if (auto v = r.String(t["server"]["database"].node(), "server.database", false)) {
    if (v->starts_with("postgresql://") || v->starts_with("postgres://")) {
      next.database_url = *v;
    } else {
      r.Fail("server.database", "must be a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)");
    }
  }
  if (auto v = r.String(t["server"]["web"].node(), "server.web", false)) next.web_dir = *v;
  if (auto v = r.String(t["server"]["refdata"].node(), "server.refdata", false)) {
    next.refdata_dir = *v;
  }
  r.IntAt(t, "server", "io_threads", 1, 64, &next.io_threads);
  r.IntAt(t, "server", "worker_threads", 1, 256, &next.worker_threads);
  r.IntAt(t, "auth", "token_ttl_minutes", 1, kMaxMinutes, &next.token_ttl_minutes);
  r.IntAt(t, "auth", "max_failed_logins", 1, 1000, &next.max_failed_logins);
  r.IntAt(t, "auth", "failed_login_window_minutes", 1, 24 * 60, &next.failed_login_window_minutes);
  if (auto v = r.String(t["auth"]["password_cost"].node(), "auth.password_cost", true)) {
    if (*v != "interactive" && *v != "minimum") {
      r.Fail("auth.password_cost", "must be interactive or minimum");
    }
    next.password_cost = *v;
  }
  r.IntAt(t, "engine", "snapshot_every", 0, std::numeric_limits<int64_t>::max(),
          &next.snapshot_every);
  r.IntAt(t, "engine", "snapshot_min_seconds", 0, 24 * 3600, &next.snapshot_min_seconds);
  ReadGrades(t, r, next.policy);
  // After the grades: attendance names them.
  ReadAttendance(t, r, next.policy);
  ReadDispatch(t, r, next.policy);
  ReadMentalHealth(t, r, next.policy);
  ReadTeam(t, r, next.policy);
  ReadReports(t, r, next.policy);
  if (!r.ok()) return r.status();
  cfg = std::move(next);
  return OkStatus();
}
void ApplyEnvironment(Config& cfg) {
  if (const char* v = std::getenv("CONCORDAT_LISTEN")) cfg.listen = v;
  if (const char* v = std::getenv("CONCORDAT_DATA")) cfg.data_dir = v;
  if (const char* v = std::getenv("CONCORDAT_DATABASE")) cfg.database_url = v;
  if (const char* v = std::getenv("CONCORDAT_WEB")) cfg.web_dir = v;
  if (const char* v = std::getenv("CONCORDAT_REFDATA")) cfg.refdata_dir = v;
}

Status ParseListen(const std::string& listen, std::string* host, unsigned short* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) {
    return Error::InvalidArgument("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  const std::string p = listen.substr(colon + 1);
  if (p.find_first_not_of("0123456789") != std::string::npos || p.size() > 5 ||
      std::stoi(p) > 65535) {
    return Error::InvalidArgument("listen", "the port must be a number 0-65535");
  }
  *port = static_cast<unsigned short>(std::stoi(p));
  return OkStatus();
}

std::string DefaultRefdataDir() { return DefaultDataDir() + "/refdata/london"; }

std::string DefaultWebDir() { return std::string(CONCORDAT_SOURCE_DIR) + "/web/dist"; }

}  // namespace concordat::cli
