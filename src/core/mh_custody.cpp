// Care while detained: welfare checks and custody reviews at a police station (RULES.md A8,
// SI 2017/1036 regs 3–4) and the RCRP handover to health (RULES.md D25), with their timers.
#include "core/mh_internal.hpp"

namespace concordat::mh {
namespace {

Detention* Mutable(State& s, const Event& e) {
  auto it = s.mh.detentions.find(Str(e.data, "detention_id"));
  return it == s.mh.detentions.end() ? nullptr : &it->second;
}

const Detention* Live(const State& s, const Timer& t) {
  auto it = s.mh.detentions.find(Str(t.data, "detention_id"));
  return it == s.mh.detentions.end() || !it->second.Active() ? nullptr : &it->second;
}

Result<Decision> DecideCheck(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  const Detention& d = **det;
  FieldReader r(c.body);
  const std::string kind =
      r.OptionalEnum("kind", {"welfare", "custody_review"}).value_or("welfare");
  const std::string by = r.String("by", 200);
  const auto role = r.OptionalString("role", 100);
  const auto notes = r.OptionalString("notes", 4000);
  const auto met = r.OptionalBool("conditions_met");
  if (!r.ok()) return r.error();
  if (!d.AtPoliceStation()) {
    return Error::FailedPrecondition(
        "welfare checks (reg 4) and custody reviews (reg 3) are recorded while the person is at a "
        "police station");
  }
  if (kind == "custody_review" && !met) {
    return Error::InvalidArgument("conditions_met",
                                  "a custody review records whether the reg 2 conditions still "
                                  "hold (conditions_met)");
  }
  auto at = StepTime(c.body, ctx, *d.Current()->arrived_at, "the arrival at the police station");
  if (!at.ok()) return at.error();
  const MentalHealthPolicy& mp = ctx.policy->mental_health;
  boost::json::object data{{"at", FormatIso(*at)},
                           {"kind", kind},
                           {"by", by},
                           {"role", role.value_or("")},
                           {"notes", notes.value_or("")}};
  std::vector<std::string> warnings;
  Decision out;
  if (kind == "welfare") {
    data["welfare_due"] = FormatIso(*at + kWelfareInterval + mp.welfare_grace);
  } else {
    data["conditions_met"] = *met;
    data["review_due"] = FormatIso(*at + mp.custody_review_every);
    if (!*met) {
      // reg 3: once the reg 2 conditions no longer hold the person must be moved on.
      warnings.push_back(
          "the reg 2 conditions no longer hold: move the person to another place "
          "of safety");
      out.events.push_back(MakeAlertRaised(s, 0, "custody_review", d.incident_id, {},
                                           "reg 3: " + d.id + " (" + IncidentRef(s, d.incident_id) +
                                               ") — the police-station "
                                               "conditions no longer hold at " +
                                               d.Current()->site_name + "; move the person",
                                           {{"detention_id", d.id}}));
    }
  }
  Decision one = DetentionDecision(d.id, ctx, "detention.checked", std::move(data), warnings);
  one.events.insert(one.events.begin(), std::make_move_iterator(out.events.begin()),
                    std::make_move_iterator(out.events.end()));
  return one;
}

Result<Decision> DecideHandover(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  const Detention& d = **det;
  FieldReader r(c.body);
  const std::string stage =
      r.Enum("stage", {"requested", "accepted", "officers_left", "escalated"});
  const auto by = r.OptionalString("by", 200);
  const auto to = r.OptionalString("to", 200);
  const auto notes = r.OptionalString("notes", 4000);
  if (!r.ok()) return r.error();
  const Handover& h = d.handover;
  if (!h.arrived_at) {
    return Error::FailedPrecondition("the handover starts on arrival at a place of safety");
  }
  if (c.actor.agency_id != "mps") {
    // DESIGN.md §2: health accepts the handover. A partner records that, and only that, and only
    // the trust running the place of safety the person is at.
    if (stage != "accepted") {
      return Error::PermissionDenied("a partner agency records only its acceptance of the handover");
    }
    const PlaceVisit* cur = d.Current();
    if (cur == nullptr || SiteTrustId(ctx.ref, *cur) != c.actor.agency_id) {
      return Error::PermissionDenied("only the trust running " +
                                     (cur ? cur->site_name : std::string("the place of safety")) +
                                     " may accept this handover");
    }
  }
  auto at = StepTime(c.body, ctx, *h.arrived_at, "the arrival");
  if (!at.ok()) return at.error();
  boost::json::object data{{"at", FormatIso(*at)},
                           {"stage", stage},
                           {"by", by.value_or("")},
                           {"to", to.value_or("")},
                           {"notes", notes.value_or("")}};
  if (stage == "requested") {
    if (h.requested_at) return Error::Conflict("the handover was already requested");
    // The hour of the RCRP handover wait runs from this request: it must say whom it was made
    // to, or nobody can be asked about it when the wait is escalated.
    if (!to || to->empty()) {
      return Error::InvalidArgument(
          "to", "say whom the handover was requested from (e.g. the nurse in charge)");
    }
  } else if (stage == "accepted") {
    if (!h.requested_at) {
      return Error::FailedPrecondition("record the handover request before its acceptance");
    }
    if (h.accepted_at) return Error::Conflict("the handover was already accepted");
    if (!by || by->empty()) {
      return Error::InvalidArgument("by", "name the health professional who accepted");
    }
  } else if (stage == "officers_left") {
    if (h.officers_left_at) return Error::Conflict("the officers' departure is already recorded");
    if (!h.accepted_at) {
      return Error::FailedPrecondition(
          "the person is still detained: health must accept the handover before the officers "
          "leave (or escalate the wait)");
    }
    data["handover_due"] = nullptr;
  } else if (h.officers_left_at) {
    return Error::FailedPrecondition("the officers left at " + LondonClock(*h.officers_left_at) +
                                     ": the handover is over, there is no wait to escalate");
  } else if (!notes || notes->empty()) {
    return Error::InvalidArgument("notes",
                                  "record who the wait was escalated to and what they "
                                  "said");
  }
  Decision out = DetentionDecision(d.id, ctx, "detention.handover_updated", std::move(data));
  if (stage == "officers_left") {
    CloseDetentionAlerts(s, d, {"handover_wait"},
                         "closed by the system: the officers left at " + LondonClock(*at), out);
  }
  return out;
}

Result<Decision> FireWelfare(const State& s, const Timer& t, const Context&) {
  Decision out;
  const Detention* d = Live(s, t);
  if (d == nullptr || !d->AtPoliceStation() || d->welfare_due != t.due) return out;
  const Timestamp since = t.due - kWelfareInterval;
  out.events.push_back(MakeAlertRaised(
      s, 0, "welfare_check_missed", d->incident_id, {},
      "reg 4: no welfare check recorded for " + d->id + " (" + IncidentRef(s, d->incident_id) +
          ") at " + d->Current()->site_name + " — checks are due at least every 30 minutes",
      {{"detention_id", d->id}, {"due", FormatIso(since)}}, "supervisor"));
  out.events.push_back(NewEvent{DetentionStream(d->id),
                                "detention.welfare_check_missed",
                                classification::kHealth,
                                {{"detention_id", d->id},
                                 {"due", FormatIso(t.due)},
                                 {"welfare_due", FormatIso(t.due + kWelfareInterval)}}});
  return out;
}

Result<Decision> FireReview(const State& s, const Timer& t, const Context& ctx) {
  Decision out;
  const Detention* d = Live(s, t);
  if (d == nullptr || !d->AtPoliceStation() || d->review_due != t.due) return out;
  out.events.push_back(
      MakeAlertRaised(s, 0, "custody_review_due", d->incident_id, {},
                      "reg 3: review whether the police-station conditions still hold for " +
                          d->id + " (" + IncidentRef(s, d->incident_id) + ")",
                      {{"detention_id", d->id}}, "supervisor"));
  out.events.push_back(NewEvent{
      DetentionStream(d->id),
      "detention.custody_review_missed",
      classification::kHealth,
      {{"detention_id", d->id},
       {"due", FormatIso(t.due)},
       {"review_due", FormatIso(t.due + ctx.policy->mental_health.custody_review_every)}}});
  return out;
}

Result<Decision> FireHandover(const State& s, const Timer& t, const Context& ctx) {
  Decision out;
  const Detention* d = Live(s, t);
  if (d == nullptr || d->handover_due != t.due || !d->handover.arrived_at ||
      d->handover.officers_left_at) {
    return out;
  }
  const Timestamp waited = ctx.now - *d->handover.arrived_at;
  const std::string state = d->handover.accepted_at    ? "accepted, officers still present"
                            : d->handover.requested_at ? "requested, not accepted"
                                                       : "not requested";
  NewEvent alert = MakeAlertRaised(
      s, 0, "handover_wait", d->incident_id, {},
      "RCRP: officers have been at " + d->Current()->site_name + " with " + d->id + " (" +
          IncidentRef(s, d->incident_id) + ") for " + std::to_string(waited / kMicrosPerMinute) +
          " minutes (handover " + state + ") — escalate to the site's manager",
      {{"detention_id", d->id}, {"waited_minutes", waited / kMicrosPerMinute}});
  const std::string alert_id = Str(alert.data, "alert_id");
  out.events.push_back(std::move(alert));
  // The escalation record RULES.md D25 asks for, made by the system when the alert is raised.
  out.events.push_back(NewEvent{
      DetentionStream(d->id),
      "detention.handover_updated",
      classification::kHealth,
      {{"detention_id", d->id},
       {"at", FormatIso(ctx.now)},
       {"stage", "escalated"},
       {"by", "system"},
       {"to", "duty inspector and the site's manager"},
       {"notes",
        "handover " + state + " after " + std::to_string(waited / kMicrosPerMinute) + " minutes"},
       {"alert_id", alert_id},
       {"handover_due", nullptr}}});
  return out;
}

}  // namespace

void RegisterCustody(Domain& d) {
  d.OnCommand("detention.check", DecideCheck);
  d.OnCommand("detention.handover", DecideHandover);
  d.OnTimer("detention.welfare", FireWelfare);
  d.OnTimer("detention.review", FireReview);
  d.OnTimer("detention.handover", FireHandover);
  d.OnEvent("detention.checked", [](State& s, const Event& e) {
    Detention* d = Mutable(s, e);
    if (d == nullptr) return;
    boost::json::object rec = e.data;
    for (const char* k : {"detention_id", "welfare_due", "review_due"}) rec.erase(k);
    rec["recorded_by"] = e.actor.user_id;
    d->checks.push_back(std::move(rec));
    ApplySchedule(s, *d, e.data);
  });
  for (const char* type : {"detention.welfare_check_missed", "detention.custody_review_missed"}) {
    d.OnEvent(type, [](State& s, const Event& e) {
      if (Detention* d = Mutable(s, e)) ApplySchedule(s, *d, e.data);
    });
  }
  d.OnEvent("detention.handover_updated", [](State& s, const Event& e) {
    Detention* d = Mutable(s, e);
    if (d == nullptr) return;
    const Timestamp at = OptTime(e.data, "at").value_or(e.at);
    const std::string stage = Str(e.data, "stage");
    Handover& h = d->handover;
    if (stage == "requested") {
      h.requested_at = at;
    } else if (stage == "accepted") {
      h.accepted_at = at;
      h.accepted_by = Str(e.data, "by");
    } else if (stage == "officers_left") {
      h.officers_left_at = at;
    } else {
      boost::json::object rec = e.data;
      rec.erase("detention_id");
      rec.erase("handover_due");
      rec.erase("stage");
      if (h.arrived_at) rec["waited_minutes"] = (at - *h.arrived_at) / kMicrosPerMinute;
      if (Str(rec, "by").empty()) rec["by"] = e.actor.user_id;
      h.escalations.push_back(std::move(rec));
    }
    ApplySchedule(s, *d, e.data);
  });
}

}  // namespace concordat::mh
