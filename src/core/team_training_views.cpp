// Training views: an officer's courses and refreshers, who is due or overdue, coverage per BCU
// against target, and the crew training the control room sees on units.
#include <algorithm>
#include <array>
#include <cmath>

#include "core/team_internal.hpp"

namespace concordat {
namespace {

using team::CourseStanding;
using team::StrArray;

// The best standing of an officer on the courses that count for coverage ("none" without one).
CourseStanding Coverage(const State& s, const TrainedOfficer& o, Timestamp now, int due_soon) {
  static const std::map<std::string, int> kRank = {{"current", 0}, {"due", 1}, {"overdue", 2}};
  CourseStanding best{nullptr, nullptr, "", "none"};
  for (const auto& st : team::Standings(s, o, now, due_soon)) {
    if (!st.course->counts_for_coverage) continue;
    if (best.course == nullptr || kRank.at(st.status) < kRank.at(best.status) ||
        (st.status == best.status && st.due_on > best.due_on)) {
      best = st;
    }
  }
  return best;
}

boost::json::object StandingJson(const CourseStanding& st) {
  if (st.course == nullptr) return {{"status", "none"}};
  return {
      {"status", st.status},
      {"course_id", st.course->id},
      {"course", st.course->title},
      {"completed_on", st.last->completed_on},
      {"due_on", st.due_on.empty() ? boost::json::value(nullptr) : boost::json::value(st.due_on)}};
}

}  // namespace

boost::json::object CourseJson(const Course& c) {
  return {{"id", c.id},
          {"title", c.title},
          {"kind", c.kind},
          {"refresh_months", c.refresh_months},
          {"counts_for_coverage", c.counts_for_coverage},
          {"description", c.description}};
}

boost::json::object SessionJson(const TrainingSession& t) {
  return {{"id", t.id},
          {"course_id", t.course_id},
          {"date", t.date},
          {"bcu", t.bcu},
          {"location", t.location},
          {"facilitators", StrArray(t.facilitators)},
          {"co_facilitators", team::PartnerLeadsJson(t.co_facilitators)},
          {"service_user_input", t.service_user_input},
          {"service_user_note", t.service_user_note},
          {"capacity", t.capacity}};
}

boost::json::object TrainingOfficerJson(const State& s, const TrainedOfficer& o,
                                        const Context& ctx) {
  const int due_soon = ctx.policy->team.training_due_soon_days;
  boost::json::array courses;
  for (const auto& st : team::Standings(s, o, ctx.now, due_soon)) {
    boost::json::object v = StandingJson(st);
    courses.push_back(std::move(v));
  }
  boost::json::array completions;
  for (const auto& c : o.completions) {
    completions.push_back({{"course_id", c.course_id},
                           {"completed_on", c.completed_on},
                           {"session_id", c.session_id},
                           {"source", c.source},
                           {"recorded_at", FormatIso(c.recorded_at)}});
  }
  return {{"collar", o.collar}, {"name", o.name},
          {"bcu", o.bcu},       {"mental_health", StandingJson(Coverage(s, o, ctx.now, due_soon))},
          {"courses", courses}, {"completions", completions}};
}

boost::json::object TrainingDueJson(const State& s, const Context& ctx, const std::string& bcu,
                                    const std::string& status) {
  const std::int64_t today = DaysFromCivil(LondonDate(ctx.now));
  boost::json::array out;
  int due = 0, overdue = 0;
  for (const auto& [collar, o] : s.team.training.officers) {
    if (!bcu.empty() && o.bcu != bcu) continue;
    for (const auto& st : team::Standings(s, o, ctx.now, ctx.policy->team.training_due_soon_days)) {
      if (st.status == "current") continue;
      if (!status.empty() && st.status != status) continue;
      (st.status == "due" ? due : overdue)++;
      out.push_back({{"collar", o.collar},
                     {"name", o.name},
                     {"bcu", o.bcu},
                     {"course_id", st.course->id},
                     {"course", st.course->title},
                     {"completed_on", st.last->completed_on},
                     {"due_on", st.due_on},
                     {"status", st.status},
                     {"days_to_due", team::DayNumber(st.due_on) - today}});
    }
  }
  std::sort(out.begin(), out.end(), [](const boost::json::value& a, const boost::json::value& b) {
    return a.at("due_on").as_string() < b.at("due_on").as_string();
  });
  return {{"officers", out}, {"due", due}, {"overdue", overdue}};
}

boost::json::object TrainingCoverageJson(const State& s, const Context& ctx) {
  const auto& tp = ctx.policy->team;
  double population = 0;
  for (const auto& b : ctx.ref->bcus) population += static_cast<double>(b.population);
  std::map<std::string, std::array<int, 3>> by_bcu;  // current, due, overdue
  for (const auto& [collar, o] : s.team.training.officers) {
    const auto st = Coverage(s, o, ctx.now, tp.training_due_soon_days);
    if (st.status == "none") continue;
    auto& n = by_bcu[o.bcu];
    n[st.status == "current" ? 0 : st.status == "due" ? 1 : 2]++;
  }
  boost::json::array bcus;
  int in_date = 0, lapsed = 0;
  for (const auto& b : ctx.ref->bcus) {
    const auto n = by_bcu.contains(b.code) ? by_bcu.at(b.code) : std::array<int, 3>{0, 0, 0};
    int target = 0;
    if (auto it = tp.training_bcu_targets.find(b.code); it != tp.training_bcu_targets.end()) {
      target = it->second;
    } else if (population > 0) {
      // Without a configured target a BCU's share follows its population (Census 2021).
      target = static_cast<int>(
          std::lround(tp.training_force_target * static_cast<double>(b.population) / population));
    }
    const int trained = n[0] + n[1];  // in date, refreshers due included
    in_date += trained;
    lapsed += n[2];
    bcus.push_back(
        {{"code", b.code},
         {"name", b.name},
         {"trained", trained},
         {"refresher_due", n[1]},
         {"lapsed", n[2]},
         {"target", target},
         {"percent_of_target", target ? std::round(trained * 1000.0 / target) / 10.0 : 0.0}});
  }
  return {
      {"force",
       {{"trained", in_date},
        {"lapsed", lapsed},
        {"target", tp.training_force_target},
        {"percent_of_target", tp.training_force_target
                                  ? std::round(in_date * 1000.0 / tp.training_force_target) / 10.0
                                  : 0.0}}},
      {"bcus", bcus}};
}

boost::json::object CrewTrainingJson(const State& s, const std::string& collar, Timestamp now) {
  auto it = s.team.training.officers.find(collar);
  if (it == s.team.training.officers.end()) return {{"status", "none"}};
  return StandingJson(Coverage(s, it->second, now, TeamPolicy{}.training_due_soon_days));
}

bool CrewTrainedByRecord(const State& s, const Unit& u, Timestamp now) {
  for (const auto& c : u.crew) {
    auto it = s.team.training.officers.find(c.collar);
    if (it == s.team.training.officers.end()) continue;
    const auto st = Coverage(s, it->second, now, TeamPolicy{}.training_due_soon_days);
    if (st.status == "current" || st.status == "due") return true;
  }
  return false;
}

}  // namespace concordat
