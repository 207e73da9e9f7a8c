// High-intensity-user flags and cases (DESIGN.md §4; RULES.md F31). A flag is raised by the
// Mental Health Team only for a subject over a repeat-demand threshold, with that evidence; it
// lapses unless a health-led review (lawful basis, review date, expiry) follows; after review it
// becomes a case or no action. Expiry is an engine timer: an expired flag stops showing and its
// case closes. Nothing here is automatic or punitive — every step is a person's decision.
#include <algorithm>

#include "core/team_demand.hpp"
#include "core/team_internal.hpp"

namespace concordat::team {
namespace {

std::string ExpireTimer(const std::string& flag) { return "hiu.expire:" + flag; }
std::string ReviewTimer(const std::string& flag) { return "hiu.review:" + flag; }

// The flag's open review-due alerts (RULES.md F31: the next health-led review is due) are closed
// with `note`: the review has been made, or the flag has ended.
void CloseReviewDue(const State& s, const std::string& flag, const std::string& note,
                    std::vector<NewEvent>& out, const std::string& by = "system") {
  CloseAlerts(
      s, "",
      [&](const Alert& a) {
        if (a.type != "hiu_review_due") return false;
        const auto* id = a.data.if_contains("flag_id");
        return id != nullptr && id->is_string() && id->get_string() == flag;
      },
      note, out, by);
}

Result<const HiuFlag*> FindFlag(const State& s, const std::string& id) {
  auto it = s.team.flags.find(id);
  if (it == s.team.flags.end()) return Error::NotFound("no flag " + id);
  return &it->second;
}
Result<const HiuCase*> FindOpenCase(const State& s, const std::string& id) {
  auto it = s.team.cases.find(id);
  if (it == s.team.cases.end()) return Error::NotFound("no case " + id);
  if (it->second.status != "open") return Error::Conflict("case " + id + " is closed");
  return &it->second;
}

std::function<boost::json::value(const State&)> FlagReply(const std::string& id,
                                                          const Context& ctx) {
  const Context cx = ctx;
  return [id, cx](const State& st) -> boost::json::value {
    return FlagJson(st, st.team.flags.at(id), cx);
  };
}
std::function<boost::json::value(const State&)> CaseReply(const std::string& id,
                                                          const Context& ctx) {
  const Context cx = ctx;
  return [id, cx](const State& st) -> boost::json::value {
    return CaseJson(st, st.team.cases.at(id), cx);
  };
}

// The owner of a case is a high-intensity intervention officer of the flag's BCU (DESIGN.md §4).
Result<const PostHolder*> HiuOfficer(const State& s, const std::string& collar,
                                     const std::string& bcu) {
  for (const auto& [id, p] : s.team.posts) {
    if (p.holder && p.holder->collar == collar && p.holder->function == "high_intensity" &&
        (bcu.empty() || p.bcu == bcu)) {
      return &*p.holder;
    }
  }
  return Error::FailedPrecondition("the case owner is a high-intensity intervention officer of " +
                                       (bcu.empty() ? std::string("a BCU") : bcu) +
                                       "'s Mental Health Team; " + collar + " holds no such post",
                                   "owner_collar");
}

Result<Decision> DecideRaise(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string type = r.Enum("subject_type", {"person", "address"});
  std::string subject = r.String("subject_id", 500);
  const std::string reason = r.String("reason", 2000);
  if (!r.ok()) return r.error();
  if (type == "person") {
    auto it = s.team.persons.find(subject);
    if (it == s.team.persons.end())
      return Error::InvalidArgument("subject_id", "no person " + subject);
    if (!it->second.merged_into.empty()) {
      return Error::Conflict(subject + " was merged into " + it->second.merged_into +
                             "; flag that record");
    }
  } else {
    subject = NormaliseAddress(subject);
  }
  for (const auto& [id, f] : s.team.flags) {
    if (f.Open() && f.subject_type == type && f.subject_id == subject) {
      return Error::Conflict(subject + " already has an open flag " + id);
    }
  }
  auto demand = EvaluateSubject(s, ctx, type, subject);
  if (!demand) {
    return Error::FailedPrecondition(subject +
                                         " meets no repeat-demand threshold (RULES.md F30); "
                                         "a flag needs that evidence",
                                     "subject_id");
  }
  const std::string bcu =
      demand->demand.incidents.empty() ? "" : demand->demand.incidents.back().bcu;
  const std::string id = "flag-" + std::to_string(s.team.next_flag);
  const Timestamp expires = ctx.now + DaysMicros(ctx.policy->team.candidate_expiry_days);
  return OneEvent(NewEvent{FlagStream(id),
                           "hiu.flag_raised",
                           classification::kHealth,
                           {{"id", id},
                            {"subject_type", type},
                            {"subject_id", subject},
                            {"bcu", bcu},
                            {"reason", reason},
                            {"evidence", SubjectDemandJson(s, *demand)},
                            {"expires_at", FormatIso(expires)}}},
                  FlagReply(id, ctx), 201);
}

Result<Decision> DecideReview(const State& s, const Command& c, const Context& ctx) {
  auto flag = FindFlag(s, c.target);
  if (!flag.ok()) return flag.error();
  if (!(*flag)->Open()) return Error::Conflict("flag " + c.target + " is " + (*flag)->status);
  FieldReader r(c.body);
  const std::string lead = r.String("health_lead", 200);
  const std::string org = r.String("health_organisation", 200);
  const std::string basis = r.String("lawful_basis", 1000);
  const std::string rationale = r.String("rationale", 4000);
  const std::string review_date = r.String("review_date", 10);
  const std::string expires_on = r.String("expires_on", 10);
  if (!r.ok()) return r.error();
  if (NormaliseName(org).find("POLICE") != std::string::npos) {
    return Error::FailedPrecondition(
        "the review is health-led (RULES.md F31): "
        "health_organisation must be a health or care partner",
        "health_organisation");
  }
  auto rd = ParseDate(review_date, "review_date");
  if (!rd.ok()) return rd.error();
  auto ex = ParseDate(expires_on, "expires_on");
  if (!ex.ok()) return ex.error();
  const std::int64_t today = DaysFromCivil(LondonDate(ctx.now));
  if (DaysFromCivil(*rd) <= today) {
    return Error::InvalidArgument("review_date", "review_date must be after today");
  }
  if (DaysFromCivil(*ex) < DaysFromCivil(*rd)) {
    return Error::InvalidArgument("expires_on", "expires_on must not be before review_date");
  }
  if (DaysFromCivil(*ex) > today + ctx.policy->team.max_flag_days) {
    return Error::FailedPrecondition("a flag may run at most " +
                                         std::to_string(ctx.policy->team.max_flag_days) +
                                         " days before a new review (RULES.md F31)",
                                     "expires_on");
  }
  const Timestamp expires_at = LondonMidnight(CivilFromDays(DaysFromCivil(*ex) + 1));
  Decision d = OneEvent(NewEvent{FlagStream(c.target),
                                 "hiu.flag_reviewed",
                                 classification::kHealth,
                                 {{"flag_id", c.target},
                                  {"health_lead", lead},
                                  {"health_organisation", org},
                                  {"lawful_basis", basis},
                                  {"rationale", rationale},
                                  {"review_date", review_date},
                                  {"expires_on", expires_on},
                                  {"expires_at", FormatIso(expires_at)}}},
                        FlagReply(c.target, ctx));
  CloseReviewDue(s, c.target, "reviewed by " + lead + " (" + org + "); next review " + review_date,
                 d.events, "");
  return d;
}

Result<Decision> DecideDecide(const State& s, const Command& c, const Context& ctx) {
  auto flag = FindFlag(s, c.target);
  if (!flag.ok()) return flag.error();
  const HiuFlag& f = **flag;
  if (f.status == "candidate") {
    return Error::FailedPrecondition(
        "a flag is decided only after its health-led review "
        "(RULES.md F31)");
  }
  if (f.status != "reviewed") return Error::Conflict("flag " + f.id + " is " + f.status);
  FieldReader r(c.body);
  const std::string decision = r.Enum("decision", {"case", "no_action"});
  const std::string reason = r.String("reason", 2000);
  const auto owner = r.OptionalString("owner_collar", 40);
  const auto leads = ReadPartnerLeads(r, c.body, "partner_leads");
  if (!r.ok()) return r.error();
  Decision d;
  if (decision == "no_action") {
    d.events.push_back(NewEvent{FlagStream(f.id),
                                "hiu.flag_decided",
                                classification::kHealth,
                                {{"flag_id", f.id}, {"decision", decision}, {"reason", reason}}});
    CloseReviewDue(s, f.id, "the flag was closed with no action", d.events, "");
    d.reply = FlagReply(f.id, ctx);
    return d;
  }
  if (!owner || owner->empty()) {
    return Error::InvalidArgument("owner_collar", "a case needs an owner_collar");
  }
  auto holder = HiuOfficer(s, *owner, f.bcu);
  if (!holder.ok()) return holder.error();
  const std::string case_id = "case-" + std::to_string(s.team.next_case);
  d.events.push_back(NewEvent{
      FlagStream(f.id),
      "hiu.flag_decided",
      classification::kHealth,
      {{"flag_id", f.id}, {"decision", decision}, {"reason", reason}, {"case_id", case_id}}});
  d.events.push_back(NewEvent{CaseStream(case_id),
                              "hiu.case_opened",
                              classification::kHealth,
                              {{"id", case_id},
                               {"flag_id", f.id},
                               {"subject_type", f.subject_type},
                               {"subject_id", f.subject_id},
                               {"bcu", f.bcu},
                               {"owner_collar", *owner},
                               {"owner_name", (*holder)->name},
                               {"partner_leads", PartnerLeadsJson(leads)}}});
  d.reply = CaseReply(case_id, ctx);
  d.status = 201;
  return d;
}

Result<Decision> DecidePlan(const State& s, const Command& c, const Context& ctx) {
  auto cs = FindOpenCase(s, c.target);
  if (!cs.ok()) return cs.error();
  FieldReader r(c.body);
  const auto owner = r.OptionalString("owner_collar", 40);
  const auto leads = ReadPartnerLeads(r, c.body, "partner_leads");
  boost::json::object sara;
  for (const char* k : {"scanning", "analysis", "response", "assessment"}) {
    if (auto v = r.OptionalString(std::string("sara.") + k, 8000)) sara[k] = *v;
  }
  if (!r.ok()) return r.error();
  boost::json::object data{{"case_id", c.target}, {"sara", sara}};
  if (owner) {
    auto holder = HiuOfficer(s, *owner, (*cs)->bcu);
    if (!holder.ok()) return holder.error();
    data["owner_collar"] = *owner;
    data["owner_name"] = (*holder)->name;
  }
  if (c.body.contains("partner_leads")) data["partner_leads"] = PartnerLeadsJson(leads);
  return OneEvent(
      NewEvent{CaseStream(c.target), "hiu.case_planned", classification::kHealth, std::move(data)},
      CaseReply(c.target, ctx));
}

Result<Decision> DecideActionAdd(const State& s, const Command& c, const Context& ctx) {
  auto cs = FindOpenCase(s, c.target);
  if (!cs.ok()) return cs.error();
  FieldReader r(c.body);
  const std::string text = r.String("text", 2000);
  const std::string owner = r.String("owner", 200);
  const std::string due = r.String("due_on", 10);
  if (!r.ok()) return r.error();
  auto dd = ParseDate(due, "due_on");
  if (!dd.ok()) return dd.error();
  if (DaysFromCivil(*dd) < DaysFromCivil(LondonDate(ctx.now))) {
    return Error::InvalidArgument("due_on", "due_on is in the past");
  }
  const std::string action = "action-" + std::to_string((*cs)->next_action);
  return OneEvent(NewEvent{CaseStream(c.target),
                           "hiu.case_action_added",
                           classification::kHealth,
                           {{"case_id", c.target},
                            {"action_id", action},
                            {"text", text},
                            {"owner", owner},
                            {"due_on", due}}},
                  CaseReply(c.target, ctx), 201);
}

Result<Decision> DecideActionDone(const State& s, const Command& c, const Context& ctx) {
  auto cs = FindOpenCase(s, c.target);
  if (!cs.ok()) return cs.error();
  FieldReader r(c.body);
  const std::string action = r.String("action_id", 40);
  const auto note = r.OptionalString("note", 2000);
  if (!r.ok()) return r.error();
  const auto& acts = (*cs)->actions;
  auto it =
      std::find_if(acts.begin(), acts.end(), [&](const CaseAction& a) { return a.id == action; });
  if (it == acts.end()) return Error::InvalidArgument("action_id", "no action " + action);
  if (it->status == "done") return Error::Conflict("action " + action + " is already done");
  return OneEvent(
      NewEvent{CaseStream(c.target),
               "hiu.case_action_done",
               classification::kHealth,
               {{"case_id", c.target}, {"action_id", action}, {"note", note.value_or("")}}},
      CaseReply(c.target, ctx));
}

Result<Decision> DecideClose(const State& s, const Command& c, const Context& ctx) {
  auto cs = FindOpenCase(s, c.target);
  if (!cs.ok()) return cs.error();
  FieldReader r(c.body);
  const std::string reason = r.String("reason", 2000);
  if (!r.ok()) return r.error();
  return OneEvent(NewEvent{CaseStream(c.target),
                           "hiu.case_closed",
                           classification::kHealth,
                           {{"case_id", c.target}, {"reason", reason}}},
                  CaseReply(c.target, ctx));
}

Result<Decision> FireExpiry(const State& s, const Timer& t, const Context& ctx) {
  Decision d;
  auto it = s.team.flags.find(Str(t.data, "flag_id"));
  if (it == s.team.flags.end() || !it->second.Open() || !it->second.expires_at ||
      *it->second.expires_at > ctx.now) {
    return d;
  }
  const HiuFlag& f = it->second;
  d.events.push_back(NewEvent{FlagStream(f.id),
                              "hiu.flag_expired",
                              classification::kHealth,
                              {{"flag_id", f.id}, {"status_was", f.status}}});
  CloseReviewDue(s, f.id, "the flag expired", d.events);
  if (auto c = s.team.cases.find(f.case_id);
      c != s.team.cases.end() && c->second.status == "open") {
    d.events.push_back(
        NewEvent{CaseStream(c->first),
                 "hiu.case_closed",
                 classification::kHealth,
                 {{"case_id", c->first}, {"reason", "the flag expired without a new review"}}});
  }
  return d;
}

// The review date of a flag's latest health-led review has come (the start of that London day)
// and the flag is still open: the Mental Health Team is told on their page (RULES.md F31: a flag
// runs only while reviewed). One timer per flag, replaced by each review, so this fires once per
// review date. A later review moves the date and closes the alert; so does the flag's end.
Result<Decision> FireReviewDue(const State& s, const Timer& t, const Context&) {
  Decision d;
  auto it = s.team.flags.find(Str(t.data, "flag_id"));
  if (it == s.team.flags.end() || !it->second.Open() || it->second.reviews.empty()) return d;
  const HiuFlag& f = it->second;
  const std::string& date = f.reviews.back().review_date;
  if (date != Str(t.data, "review_date")) return d;  // reviewed again since: a later date
  d.events.push_back(
      MakeAlertRaised(s, 0, "hiu_review_due", "", {},
                      "High-intensity-user " + f.id + (f.bcu.empty() ? "" : " (" + f.bcu + ")") +
                          ": its health-led review is due (review date " +
                          FormatDayText(CivilFromDays(DayNumber(date))) + "; RULES.md F31)",
                      {{"flag_id", f.id}, {"bcu", f.bcu}, {"review_date", date}}, "mh_team"));
  return d;
}

void ScheduleReviewDue(State& s, const HiuFlag& f) {
  if (f.reviews.empty() || f.reviews.back().review_date.empty()) return;
  const std::int64_t day = DayNumber(f.reviews.back().review_date);
  s.timers.Schedule(Timer{ReviewTimer(f.id),
                          LondonMidnight(CivilFromDays(day)),
                          "hiu.review_due",
                          FlagStream(f.id),
                          {{"flag_id", f.id}, {"review_date", f.reviews.back().review_date}}});
}

HiuCase* MutableCase(State& s, const Event& e) {
  auto it = s.team.cases.find(Str(e.data, "case_id"));
  return it == s.team.cases.end() ? nullptr : &it->second;
}

void ScheduleExpiry(State& s, const HiuFlag& f) {
  if (f.expires_at) {
    s.timers.Schedule(Timer{ExpireTimer(f.id),
                            *f.expires_at,
                            "hiu.flag_expires",
                            FlagStream(f.id),
                            {{"flag_id", f.id}}});
  }
}

}  // namespace

void RegisterHiu(Domain& d) {
  d.OnCommand("hiu.flag_raise", DecideRaise);
  d.OnCommand("hiu.flag_review", DecideReview);
  d.OnCommand("hiu.flag_decide", DecideDecide);
  d.OnCommand("hiu.case_plan", DecidePlan);
  d.OnCommand("hiu.case_action_add", DecideActionAdd);
  d.OnCommand("hiu.case_action_done", DecideActionDone);
  d.OnCommand("hiu.case_close", DecideClose);
  d.OnTimer("hiu.flag_expires", FireExpiry);
  d.OnTimer("hiu.review_due", FireReviewDue);

  d.OnEvent("hiu.flag_raised", [](State& s, const Event& e) {
    HiuFlag f;
    f.id = Str(e.data, "id");
    f.subject_type = Str(e.data, "subject_type");
    f.subject_id = Str(e.data, "subject_id");
    f.bcu = Str(e.data, "bcu");
    f.status = "candidate";
    f.raised_at = e.at;
    f.raised_by = e.actor.user_id;
    f.reason = Str(e.data, "reason");
    if (const auto* ev = e.data.if_contains("evidence"); ev && ev->is_object()) {
      f.evidence = ev->as_object();
    }
    f.expires_at = OptTime(e.data, "expires_at");
    ScheduleExpiry(s, f);
    s.team.next_flag++;
    s.team.flags[f.id] = std::move(f);
  });
  d.OnEvent("hiu.flag_reviewed", [](State& s, const Event& e) {
    auto it = s.team.flags.find(Str(e.data, "flag_id"));
    if (it == s.team.flags.end()) return;
    HiuFlag& f = it->second;
    HiuReview rv{e.at,
                 e.actor.user_id,
                 Str(e.data, "health_lead"),
                 Str(e.data, "health_organisation"),
                 Str(e.data, "lawful_basis"),
                 Str(e.data, "rationale"),
                 Str(e.data, "review_date"),
                 OptTime(e.data, "expires_at").value_or(e.at)};
    f.expires_at = rv.expires_at;
    f.reviews.push_back(std::move(rv));
    if (f.status == "candidate") f.status = "reviewed";
    ScheduleExpiry(s, f);
    ScheduleReviewDue(s, f);
  });
  d.OnEvent("hiu.flag_decided", [](State& s, const Event& e) {
    auto it = s.team.flags.find(Str(e.data, "flag_id"));
    if (it == s.team.flags.end()) return;
    HiuFlag& f = it->second;
    f.status = Str(e.data, "decision");
    f.decision_reason = Str(e.data, "reason");
    f.decided_at = e.at;
    f.case_id = Str(e.data, "case_id");
    if (f.status == "no_action") {
      f.ended_at = e.at;
      s.timers.Cancel(ExpireTimer(f.id));
      s.timers.Cancel(ReviewTimer(f.id));
    }
  });
  d.OnEvent("hiu.flag_expired", [](State& s, const Event& e) {
    auto it = s.team.flags.find(Str(e.data, "flag_id"));
    if (it == s.team.flags.end()) return;
    it->second.status = "expired";
    it->second.ended_at = e.at;
    s.timers.Cancel(ReviewTimer(it->first));
  });
  d.OnEvent("hiu.case_opened", [](State& s, const Event& e) {
    HiuCase c;
    c.id = Str(e.data, "id");
    c.flag_id = Str(e.data, "flag_id");
    c.subject_type = Str(e.data, "subject_type");
    c.subject_id = Str(e.data, "subject_id");
    c.bcu = Str(e.data, "bcu");
    c.owner_collar = Str(e.data, "owner_collar");
    c.owner_name = Str(e.data, "owner_name");
    c.partner_leads = PartnerLeadsFrom(e.data, "partner_leads");
    c.opened_at = e.at;
    c.opened_by = e.actor.user_id;
    s.team.next_case++;
    s.team.cases[c.id] = std::move(c);
  });
  d.OnEvent("hiu.case_planned", [](State& s, const Event& e) {
    HiuCase* c = MutableCase(s, e);
    if (c == nullptr) return;
    if (e.data.contains("owner_collar")) {
      c->owner_collar = Str(e.data, "owner_collar");
      c->owner_name = Str(e.data, "owner_name");
    }
    if (e.data.contains("partner_leads"))
      c->partner_leads = PartnerLeadsFrom(e.data, "partner_leads");
    if (const auto* sara = e.data.if_contains("sara"); sara && sara->is_object()) {
      const auto& o = sara->as_object();
      if (o.contains("scanning")) c->sara.scanning = Str(o, "scanning");
      if (o.contains("analysis")) c->sara.analysis = Str(o, "analysis");
      if (o.contains("response")) c->sara.response = Str(o, "response");
      if (o.contains("assessment")) c->sara.assessment = Str(o, "assessment");
    }
  });
  d.OnEvent("hiu.case_action_added", [](State& s, const Event& e) {
    HiuCase* c = MutableCase(s, e);
    if (c == nullptr) return;
    c->actions.push_back(CaseAction{Str(e.data, "action_id"), Str(e.data, "text"),
                                    Str(e.data, "owner"), Str(e.data, "due_on"), "open", e.at,
                                    std::nullopt, ""});
    c->next_action++;
  });
  d.OnEvent("hiu.case_action_done", [](State& s, const Event& e) {
    HiuCase* c = MutableCase(s, e);
    if (c == nullptr) return;
    for (auto& a : c->actions) {
      if (a.id == Str(e.data, "action_id")) {
        a.status = "done";
        a.done_at = e.at;
        a.note = Str(e.data, "note");
      }
    }
  });
  d.OnEvent("hiu.case_closed", [](State& s, const Event& e) {
    HiuCase* c = MutableCase(s, e);
    if (c == nullptr) return;
    c->status = "closed";
    c->closed_at = e.at;
    c->close_reason = Str(e.data, "reason");
  });
}

}  // namespace concordat::team
