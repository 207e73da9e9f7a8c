// JSON views of HIU flags and cases: the evidence a flag was raised on, its reviews, and a case's
// plan, actions and demand before and after it opened (equal windows).
#include <algorithm>

#include "core/team_demand.hpp"
#include "core/team_internal.hpp"

namespace concordat {
namespace {

using team::DaysMicros;
using team::Hours2;
using team::TimeOrNull;

boost::json::object SubjectJson(const State& s, const std::string& type, const std::string& id,
                                Timestamp now) {
  if (type == "address") return {{"type", type}, {"address_key", id}, {"postcode", PostcodeOf(id)}};
  boost::json::object o{{"type", type}, {"person_id", id}};
  if (auto it = s.team.persons.find(id); it != s.team.persons.end()) {
    o["name"] = it->second.name;
    o["date_of_birth"] = it->second.date_of_birth;
    o["under_18"] = team::IsUnder18(s, id, now);
  }
  return o;
}

boost::json::object Window(const State& s, const HiuCase& c, Timestamp from, Timestamp to,
                           Timestamp now) {
  const DemandTotals t = c.subject_type == "person"
                             ? s.team.demand.PersonDemand(c.subject_id, from, to, now, true)
                             : s.team.demand.AddressDemand(c.subject_id, from, to, now, true);
  return {{"from", FormatIso(from)},
          {"to", FormatIso(to)},
          {"contacts", t.contacts},
          {"officer_hours", Hours2(t.officer_micros)},
          {"incidents", team::IncidentsJson(s, t.incidents)}};
}

}  // namespace

boost::json::object FlagJson(const State& s, const HiuFlag& f, const Context& ctx) {
  if (f.status == "expired") {
    // An expired flag stops showing: what it said about the subject is not shown again.
    return {{"id", f.id}, {"status", f.status}, {"ended_at", TimeOrNull(f.ended_at)}};
  }
  boost::json::array reviews;
  for (const auto& r : f.reviews) {
    reviews.push_back({{"at", FormatIso(r.at)},
                       {"by", r.by},
                       {"health_lead", r.health_lead},
                       {"health_organisation", r.health_organisation},
                       {"lawful_basis", r.lawful_basis},
                       {"rationale", r.rationale},
                       {"review_date", r.review_date},
                       {"expires_at", FormatIso(r.expires_at)}});
  }
  const std::string review_date = f.reviews.empty() ? "" : f.reviews.back().review_date;
  const bool review_due = !review_date.empty() && f.Open() &&
                          DaysFromCivil(LondonDate(ctx.now)) >= team::DayNumber(review_date);
  boost::json::value current = nullptr;
  if (f.Open()) {
    if (auto d = team::EvaluateSubject(s, ctx, f.subject_type, f.subject_id)) {
      current = team::SubjectDemandJson(s, *d);
    } else {
      current = boost::json::object{{"contacts", 0}, {"triggered", boost::json::array()}};
    }
  }
  return {
      {"id", f.id},
      {"subject", SubjectJson(s, f.subject_type, f.subject_id, ctx.now)},
      {"bcu", f.bcu},
      {"status", f.status},
      {"raised_at", FormatIso(f.raised_at)},
      {"raised_by", f.raised_by},
      {"reason", f.reason},
      {"evidence", f.evidence},
      {"current_demand", current},
      {"reviews", reviews},
      {"review_date",
       review_date.empty() ? boost::json::value(nullptr) : boost::json::value(review_date)},
      {"review_due", review_due},
      {"expires_at", TimeOrNull(f.expires_at)},
      {"decision_reason", f.decision_reason},
      {"decided_at", TimeOrNull(f.decided_at)},
      {"case_id", f.case_id.empty() ? boost::json::value(nullptr) : boost::json::value(f.case_id)},
      {"ended_at", TimeOrNull(f.ended_at)}};
}

boost::json::object CaseJson(const State& s, const HiuCase& c, const Context& ctx) {
  const std::int64_t today = DaysFromCivil(LondonDate(ctx.now));
  boost::json::array actions;
  for (const auto& a : c.actions) {
    actions.push_back({{"id", a.id},
                       {"text", a.text},
                       {"owner", a.owner},
                       {"due_on", a.due_on},
                       {"status", a.status},
                       {"overdue", a.status == "open" && today > team::DayNumber(a.due_on)},
                       {"created_at", FormatIso(a.created_at)},
                       {"done_at", TimeOrNull(a.done_at)},
                       {"note", a.note}});
  }
  // Equal windows either side of the opening: as long as the case has run (to its closure or
  // now), capped by policy.
  const Timestamp end = c.closed_at.value_or(ctx.now);
  const Timestamp w = std::clamp<Timestamp>(end - c.opened_at, 0,
                                            DaysMicros(ctx.policy->team.case_demand_max_days));
  boost::json::object before = Window(s, c, c.opened_at - w, c.opened_at, ctx.now);
  boost::json::object after = Window(s, c, c.opened_at, c.opened_at + w, ctx.now);
  const auto contacts_change = after.at("contacts").as_int64() - before.at("contacts").as_int64();
  const double hours_change =
      std::round((after.at("officer_hours").as_double() - before.at("officer_hours").as_double()) *
                 100.0) /
      100.0;
  return {{"id", c.id},
          {"flag_id", c.flag_id},
          {"subject", SubjectJson(s, c.subject_type, c.subject_id, ctx.now)},
          {"bcu", c.bcu},
          {"owner", {{"collar", c.owner_collar}, {"name", c.owner_name}}},
          {"partner_leads", team::PartnerLeadsJson(c.partner_leads)},
          {"sara",
           {{"scanning", c.sara.scanning},
            {"analysis", c.sara.analysis},
            {"response", c.sara.response},
            {"assessment", c.sara.assessment}}},
          {"actions", actions},
          {"opened_at", FormatIso(c.opened_at)},
          {"opened_by", c.opened_by},
          {"status", c.status},
          {"closed_at", TimeOrNull(c.closed_at)},
          {"close_reason", c.close_reason},
          {"demand",
           {{"window_days", static_cast<double>(w) / static_cast<double>(kMicrosPerDay)},
            {"before", before},
            {"after", after},
            {"change", {{"contacts", contacts_change}, {"officer_hours", hours_change}}}}}};
}

}  // namespace concordat
