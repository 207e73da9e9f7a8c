#include "core/partners.hpp"

#include <algorithm>

#include "core/cad_internal.hpp"
#include "core/mh_rules.hpp"

namespace concordat {
using cad::OptTime;
using cad::Str;
using cad::StrArray;
using cad::StrList;
using cad::TimeOrNull;

std::vector<std::string> PartnersState::CategoriesFor(const std::string& agency_id,
                                                      Timestamp t) const {
  std::vector<std::string> out;
  for (const auto& [id, a] : agreements) {
    if (a.agency_id != agency_id || !a.ActiveAt(t)) continue;
    for (const auto& c : a.categories) {
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
  }
  return out;
}

void PartnersState::TrackReferral(const Referral& r) {
  if (!r.incident_id.empty()) referrals_by_incident[r.incident_id].insert(r.id);
  if (r.direction == "to_police" && r.state == "sent") {
    unanswered_to_police.insert(r.id);
  } else {
    unanswered_to_police.erase(r.id);
  }
}

void PartnersState::Reindex() {
  referrals_by_incident.clear();
  unanswered_to_police.clear();
  for (const auto& [id, r] : referrals) TrackReferral(r);
}

bool PartnersState::SharedWith(const std::string& incident_id, const std::string& agency_id) const {
  auto it = shares.find(incident_id + "|" + agency_id);
  return it != shares.end() && !it->second.withdrawn_at;
}

namespace {

const std::initializer_list<std::string_view> kReferralTypes = {
    "street_triage", "amhp_assessment", "ambulance_conveyance", "nhs111_hub",
    "crisis_team",   "safeguarding",    "police_assistance"};

bool Has(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string ReferralTypeLabel(const std::string& type) {
  static const std::map<std::string, std::string> kLabels = {
      {"street_triage", "street triage"},
      {"amhp_assessment", "AMHP assessment"},
      {"ambulance_conveyance", "ambulance conveyance"},
      {"nhs111_hub", "NHS 111 mental-health hub"},
      {"crisis_team", "crisis team"},
      {"safeguarding", "safeguarding"},
      {"police_assistance", "police assistance"}};
  auto it = kLabels.find(type);
  return it == kLabels.end() ? type : it->second;
}

std::string KindLabel(const std::string& kind) {
  static const std::map<std::string, std::string> kLabels = {
      {"mental_health_trust", "a mental-health trust"},
      {"acute_trust", "an acute trust"},
      {"ambulance_service", "the ambulance service"},
      {"amhp_service", "a local authority's AMHP service"},
      {"nhs111_hub", "the NHS 111 mental-health hub"},
      {"voluntary", "a voluntary-sector organisation"},
      {"strategic_partnership", "a strategic partnership"}};
  auto it = kLabels.find(kind);
  return it == kLabels.end() ? kind : it->second;
}

// Why `agency` cannot take a referral of `type` from the police, or nullopt when it can
// (partners.referral_recipients).
std::optional<std::string> RecipientProblem(const Agency& agency, const std::string& type,
                                            const PartnerPolicy& p) {
  if (type == "police_assistance") {
    return std::string(
               "police assistance is what a partner asks of the police; choose what is "
               "asked of ") +
           agency.name;
  }
  if (p.TakesReferral(agency.kind, type)) return std::nullopt;
  std::string msg = agency.name + " is " + KindLabel(agency.kind) + ": referrals for " +
                    ReferralTypeLabel(type) + " go to ";
  auto it = p.referral_recipients.find(type);
  if (it == p.referral_recipients.end() || it->second.empty()) {
    return msg + "no agency under this force's configuration (partners.referral_recipients)";
  }
  for (std::size_t i = 0; i < it->second.size(); ++i) {
    if (i > 0) msg += i + 1 == it->second.size() ? " or " : ", ";
    msg += KindLabel(it->second[i]);
  }
  return msg;
}

std::string ReferralStream(const std::string& id) { return "referral/" + id; }

Result<Decision> DecideAgreementCreate(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string agency = r.String("agency_id", 100);
  const auto categories = r.StringList("categories", 10);
  const std::string regime = r.Enum("regime", {"dpa2018_part3", "uk_gdpr_art9"});
  const std::string condition = r.String("condition", 200);
  const std::string purpose = r.String("purpose", 2000);
  const Timestamp start = r.Time("start");
  const Timestamp end = r.Time("end");
  const Timestamp review = r.Time("review_date");
  if (!r.ok()) return r.error();
  const Agency* a = ctx.ref ? ctx.ref->FindAgency(agency) : nullptr;
  if (a == nullptr) return Error::InvalidArgument("agency_id", "unknown agency " + agency);
  if (a->status == "merged") {
    return Error::FailedPrecondition(a->name + " merged into " + a->merged_into + " on " +
                                         a->merged_on + ": make the agreement with the successor",
                                     "agency_id");
  }
  if (categories.empty()) {
    return Error::InvalidArgument("categories", "an agreement covers at least one category");
  }
  for (const auto& cat : categories) {
    if (!Has(DataCategories(), cat)) {
      return Error::InvalidArgument("categories", "unknown data category " + cat);
    }
  }
  if (end <= start) return Error::InvalidArgument("end", "end must be after start");
  if (review > end) {
    return Error::InvalidArgument("review_date",
                                  "review_date must be on or before the end: an agreement is "
                                  "reviewed while it is in force");
  }
  const std::string id = "isa-" + std::to_string(s.partners.next_agreement);
  Decision d;
  d.status = 201;
  d.events.push_back(NewEvent{"agreement/" + id, "agreement.created", classification::kOperational,
                              {{"agreement_id", id},
                               {"agency_id", agency},
                               {"categories", StrArray(categories)},
                               {"regime", regime},
                               {"condition", condition},
                               {"purpose", purpose},
                               {"start", FormatIso(start)},
                               {"end", FormatIso(end)},
                               {"review_date", FormatIso(review)}}});
  const Timestamp now = ctx.now;
  d.reply = [id, now](const State& st) -> boost::json::value {
    return AgreementJson(st.partners.agreements.at(id), now);
  };
  return d;
}

Result<Decision> DecideAgreementRevoke(const State& s, const Command& c, const Context& ctx) {
  auto it = s.partners.agreements.find(c.target);
  if (it == s.partners.agreements.end()) return Error::NotFound("no agreement " + c.target);
  if (it->second.revoked_at) return Error::Conflict("agreement " + c.target + " is already revoked");
  FieldReader r(c.body);
  const std::string reason = r.String("reason", 1000);
  if (!r.ok()) return r.error();
  Decision d;
  d.events.push_back(NewEvent{"agreement/" + c.target, "agreement.revoked",
                              classification::kOperational,
                              {{"agreement_id", c.target}, {"reason", reason}}});
  const std::string id = c.target;
  const Timestamp now = ctx.now;
  d.reply = [id, now](const State& st) -> boost::json::value {
    return AgreementJson(st.partners.agreements.at(id), now);
  };
  return d;
}

std::function<boost::json::value(const State&)> ReferralReply(const std::string& id) {
  return [id](const State& st) -> boost::json::value {
    return ReferralJson(st, st.partners.referrals.at(id));
  };
}

NewEvent SentEvent(const std::string& id, const std::string& incident, const std::string& direction,
                   const std::string& from, const std::string& to, const std::string& type,
                   const std::string& note, Timestamp due) {
  return NewEvent{ReferralStream(id), "referral.sent", classification::kPersonal,
                  {{"referral_id", id},
                   {"incident_id", incident},
                   {"direction", direction},
                   {"from_agency", from},
                   {"agency_id", to},
                   {"type", type},
                   {"note", note},
                   {"due_at", FormatIso(due)}}};
}

Result<Decision> DecideReferralCreate(const State& s, const Command& c, const Context& ctx) {
  auto inc = cad::FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string agency = r.String("agency_id", 100);
  const std::string type = r.Enum("type", kReferralTypes);
  const auto note = r.OptionalString("note", 4000);
  if (!r.ok()) return r.error();
  const Agency* a = ctx.ref ? ctx.ref->FindAgency(agency) : nullptr;
  if (a == nullptr) return Error::InvalidArgument("agency_id", "unknown agency " + agency);
  if (a->status == "merged") {
    return Error::FailedPrecondition(a->name + " merged into " + a->merged_into, "agency_id");
  }
  if (auto why = RecipientProblem(*a, type, ctx.policy->partners)) {
    return Error::InvalidArgument("type", *why);
  }
  if ((*inc)->status != "open") return Error::Conflict((*inc)->reference + " is closed");
  const std::string id = "ref-" + std::to_string(s.partners.next_referral);
  // Without an active agreement the agency sees the referral and its note, and nothing more of
  // the incident (partners_views.cpp); the sender is told so, not stopped: a referral for care
  // does not wait for the paperwork.
  std::vector<std::string> warnings;
  if (s.partners.CategoriesFor(agency, ctx.now).empty()) {
    warnings.push_back("No active information-sharing agreement with " + a->name +
                       ": it sees this referral and its note, and nothing else of the incident");
  }
  const Timestamp due = ctx.now + ctx.policy->partners.DeadlineFor(type);
  Decision d;
  d.status = 201;
  d.events.push_back(
      SentEvent(id, c.target, "to_partner", c.actor.agency_id, agency, type, note.value_or(""), due));
  if (!s.partners.SharedWith(c.target, agency)) {
    // Sharing is an explicit, logged act; the referral is its reason.
    d.events.push_back(NewEvent{cad::IncidentStream(c.target), "incident.shared",
                                classification::kOperational,
                                {{"incident_id", c.target}, {"agency_id", agency},
                                 {"referral_id", id}}});
  }
  d.reply = [id, warnings = std::move(warnings)](const State& st) -> boost::json::value {
    boost::json::object o = ReferralJson(st, st.partners.referrals.at(id));
    if (!warnings.empty()) o["warnings"] = StrArray(warnings);
    return o;
  };
  return d;
}

Result<Decision> DecideReferralRaise(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string type = r.Enum("type", kReferralTypes);
  const std::string note = r.String("note", 4000);
  if (!r.ok()) return r.error();
  if (note.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::InvalidArgument("note", "say what is asked of the police and why");
  }
  const std::string id = "ref-" + std::to_string(s.partners.next_referral);
  Decision d;
  d.status = 201;
  d.events.push_back(SentEvent(id, "", "to_police", c.actor.agency_id, "mps", type, note,
                               ctx.now + ctx.policy->partners.DeadlineFor(type)));
  d.reply = ReferralReply(id);
  return d;
}

// The receiving side acts: the receiving agency's users, or the control room for the police.
Status CheckReceiver(const Referral& ref, const Command& c) {
  const bool police_side = ref.agency_id == "mps";
  const bool is_partner = c.actor.agency_id != "mps";
  if (police_side ? is_partner : c.actor.agency_id != ref.agency_id) {
    return Error::PermissionDenied("only the receiving agency may respond to referral " + ref.id);
  }
  return OkStatus();
}

Result<Decision> DecideReferralStep(const State& s, const Command& c, const Context&,
                                    const std::string& step) {
  auto it = s.partners.referrals.find(c.target);
  if (it == s.partners.referrals.end()) return Error::NotFound("no referral " + c.target);
  const Referral& ref = it->second;
  if (auto st = CheckReceiver(ref, c); !st.ok()) return st.error();
  static const std::map<std::string, std::vector<std::string>> kFrom = {
      {"acknowledge", {"sent"}},
      {"accept", {"sent", "acknowledged"}},
      {"decline", {"sent", "acknowledged"}},
      {"complete", {"accepted"}}};
  if (!Has(kFrom.at(step), ref.state)) {
    return Error::FailedPrecondition("referral " + ref.id + " is " + ref.state + ": cannot " + step,
                                     "state");
  }
  FieldReader r(c.body);
  boost::json::object data{{"referral_id", ref.id}, {"incident_id", ref.incident_id},
                           {"agency_id", ref.agency_id}};
  if (step == "decline") data["reason"] = r.String("reason", 2000);
  if (step == "complete") data["outcome"] = r.OptionalString("outcome", 4000).value_or("");
  if (step == "accept") {
    if (auto note = r.OptionalString("note", 2000)) data["note"] = *note;
  }
  if (!r.ok()) return r.error();
  static const std::map<std::string, std::string> kEvent = {{"acknowledge", "referral.acknowledged"},
                                                            {"accept", "referral.accepted"},
                                                            {"decline", "referral.declined"},
                                                            {"complete", "referral.completed"}};
  Decision d;
  d.events.push_back(NewEvent{ReferralStream(ref.id), kEvent.at(step), classification::kPersonal, data});
  if (step == "decline" && !ref.incident_id.empty() &&
      s.partners.SharedWith(ref.incident_id, ref.agency_id)) {
    // A declined referral withdraws the share, unless another live referral still needs it.
    bool other_live = false;
    for (const Referral* o : ReferralsOf(s, ref.incident_id)) {
      other_live = other_live || (o->id != ref.id && o->agency_id == ref.agency_id &&
                                  o->state != "declined" && o->state != "completed");
    }
    if (!other_live) {
      d.events.push_back(NewEvent{cad::IncidentStream(ref.incident_id), "incident.share_withdrawn",
                                  classification::kOperational,
                                  {{"incident_id", ref.incident_id},
                                   {"agency_id", ref.agency_id},
                                   {"reason", "referral " + ref.id + " declined"}}});
    }
  }
  // Answered: its overdue alert is no longer true.
  CloseAlerts(
      s, ref.incident_id,
      [&](const Alert& a) {
        return a.type == "referral_overdue" && Str(a.data, "referral_id") == ref.id;
      },
      "closed by the system: referral " + ref.id + " " + kEvent.at(step).substr(9), d.events);
  d.reply = ReferralReply(ref.id);
  return d;
}

Result<Decision> FireReferralDeadline(const State& s, const Timer& t, const Context& ctx) {
  Decision d;
  auto it = s.partners.referrals.find(Str(t.data, "referral_id"));
  if (it == s.partners.referrals.end() || it->second.state != "sent") return d;
  const Referral& ref = it->second;
  auto name = [&](const std::string& id) -> std::string {
    if (id == "mps") return "the police";
    const Agency* a = ctx.ref ? ctx.ref->FindAgency(id) : nullptr;
    return a ? a->name : id;
  };
  d.events.push_back(MakeAlertRaised(
      s, 0, "referral_overdue", ref.incident_id, {},
      "Referral " + ref.id + " (" + ReferralTypeLabel(ref.type) + ") from " +
          name(ref.from_agency) + " to " + name(ref.agency_id) +
          " has not been acknowledged by its deadline (" + mh::LondonClock(ref.due_at) + ")",
      {{"referral_id", ref.id}, {"agency_id", ref.agency_id}, {"type", ref.type}}));
  d.events.push_back(NewEvent{ReferralStream(ref.id), "referral.overdue", classification::kOperational,
                              {{"referral_id", ref.id}}});
  return d;
}

Result<Decision> DecideRegisterCreate(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string kind = r.Enum("kind", {"mou", "protocol", "agreement"});
  const std::string title = r.String("title", 300);
  const auto parties = r.StringList("parties", 50);
  const std::string status = r.Enum("status", {"draft", "active", "expired", "withdrawn"});
  const Timestamp review = r.Time("review_date");
  const auto link = r.OptionalString("document_link", 1000);
  if (!r.ok()) return r.error();
  if (parties.empty()) return Error::InvalidArgument("parties", "name at least one party");
  const std::string id = "reg-" + std::to_string(s.partners.next_register);
  Decision d;
  d.status = 201;
  d.events.push_back(NewEvent{"register/" + id, "register.entry_created",
                              classification::kOperational,
                              {{"entry_id", id},
                               {"kind", kind},
                               {"title", title},
                               {"parties", StrArray(parties)},
                               {"status", status},
                               {"review_date", FormatIso(review)},
                               {"document_link", link.value_or("")}}});
  d.reply = [id, now = ctx.now](const State& st) -> boost::json::value {
    return RegisterEntryJson(st.partners.register_entries.at(id), now);
  };
  return d;
}

Result<Decision> DecideMeetingCreate(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string bcu = r.String("bcu", 4);
  const std::string agency = r.String("agency_id", 100);
  const Timestamp date = r.Time("date");
  const auto attendees = r.StringList("attendees", 100);
  const auto minutes = r.OptionalString("minutes", 20000);
  if (!r.ok()) return r.error();
  if (ctx.ref && ctx.ref->FindBcu(bcu) == nullptr) return Error::InvalidArgument("bcu", "unknown BCU");
  if (ctx.ref && ctx.ref->FindAgency(agency) == nullptr) {
    return Error::InvalidArgument("agency_id", "unknown agency " + agency);
  }
  // A record of a meeting held: not one still to come.
  if (date > ctx.now) {
    return Error::InvalidArgument("date", "date is in the future: record the meeting once held");
  }
  const std::string id = "meet-" + std::to_string(s.partners.next_meeting);
  boost::json::array actions;
  if (const auto* av = c.body.if_contains("actions")) {
    if (!av->is_array() || av->as_array().size() > 100) {
      return Error::InvalidArgument("actions", "actions must be a list");
    }
    int k = 0;
    for (const auto& a : av->as_array()) {
      if (!a.is_object()) return Error::InvalidArgument("actions", "each action is an object");
      FieldReader ar(a.as_object());
      const std::string text = ar.String("text", 2000);
      const std::string owner = ar.String("owner", 200);
      const Timestamp due = ar.Time("due");
      if (ar.ok() && due < date) ar.Fail("due", "due is before the meeting that agreed it");
      if (!ar.ok()) {
        Error e = ar.error();
        e.field = "actions[" + std::to_string(k) + "]." + e.field;
        return e;
      }
      actions.push_back({{"id", id + "-a" + std::to_string(++k)},
                         {"text", text},
                         {"owner", owner},
                         {"due", FormatIso(due)}});
    }
  }
  Decision d;
  d.status = 201;
  d.events.push_back(NewEvent{"meeting/" + id, "meeting.held", classification::kOperational,
                              {{"meeting_id", id},
                               {"bcu", bcu},
                               {"agency_id", agency},
                               {"date", FormatIso(date)},
                               {"attendees", StrArray(attendees)},
                               {"minutes", minutes.value_or("")},
                               {"actions", actions}}});
  d.reply = [id, now = ctx.now, ref = ctx.ref](const State& st) -> boost::json::value {
    return MeetingJson(st.partners.meetings.at(id), now, ref);
  };
  return d;
}

Result<Decision> DecideActionDone(const State& s, const Command& c, const Context& ctx) {
  auto it = s.partners.meetings.find(c.target);
  if (it == s.partners.meetings.end()) return Error::NotFound("no meeting " + c.target);
  FieldReader r(c.body);
  const std::string action = r.String("action_id", 100);
  if (!r.ok()) return r.error();
  const MeetingAction* found = nullptr;
  for (const auto& a : it->second.actions) {
    if (a.id == action) found = &a;
  }
  if (found == nullptr) return Error::InvalidArgument("action_id", "no action " + action);
  if (found->done_at) return Error::Conflict("action " + action + " is already done");
  Decision d;
  d.events.push_back(NewEvent{"meeting/" + c.target, "meeting.action_done",
                              classification::kOperational,
                              {{"meeting_id", c.target}, {"action_id", action}}});
  const std::string id = c.target;
  d.reply = [id, now = ctx.now, ref = ctx.ref](const State& st) -> boost::json::value {
    return MeetingJson(st.partners.meetings.at(id), now, ref);
  };
  return d;
}

Result<Decision> FireRegisterReview(const State& s, const Timer& t, const Context&) {
  Decision d;
  auto it = s.partners.register_entries.find(Str(t.data, "entry_id"));
  if (it == s.partners.register_entries.end() || it->second.status != "active") return d;
  d.events.push_back(MakeAlertRaised(s, 0, "register_review_overdue", "", {},
                                     "Review of \"" + it->second.title + "\" is overdue",
                                     {{"entry_id", it->first}}, "supervisor"));
  return d;
}

Result<Decision> FireActionDue(const State& s, const Timer& t, const Context&) {
  Decision d;
  auto it = s.partners.meetings.find(Str(t.data, "meeting_id"));
  if (it == s.partners.meetings.end()) return d;
  for (const auto& a : it->second.actions) {
    if (a.id == Str(t.data, "action_id") && !a.done_at) {
      d.events.push_back(MakeAlertRaised(
          s, 0, "liaison_action_overdue", "", {},
          "Liaison action \"" + a.text + "\" (owner " + a.owner + ") is overdue",
          {{"meeting_id", it->first}, {"action_id", a.id}, {"bcu", it->second.bcu}},
          "supervisor"));
    }
  }
  return d;
}

Referral* MutableReferral(State& s, const Event& e) {
  auto it = s.partners.referrals.find(Str(e.data, "referral_id"));
  return it == s.partners.referrals.end() ? nullptr : &it->second;
}

}  // namespace

void RegisterPartners(Domain& d) {
  d.OnCommand("agreement.create", DecideAgreementCreate);
  d.OnCommand("agreement.revoke", DecideAgreementRevoke);
  d.OnCommand("referral.create", DecideReferralCreate);
  d.OnCommand("referral.raise", DecideReferralRaise);
  for (const char* step : {"acknowledge", "accept", "decline", "complete"}) {
    const std::string st = step;
    d.OnCommand(std::string("referral.") + step,
                [st](const State& s, const Command& c, const Context& ctx) {
                  return DecideReferralStep(s, c, ctx, st);
                });
  }
  d.OnCommand("register.create", DecideRegisterCreate);
  d.OnCommand("meeting.create", DecideMeetingCreate);
  d.OnCommand("meeting.action_done", DecideActionDone);
  d.OnTimer("referral.deadline", FireReferralDeadline);
  d.OnTimer("register.review", FireRegisterReview);
  d.OnTimer("meeting.action_due", FireActionDue);

  d.OnEvent("agreement.created", [](State& s, const Event& e) {
    SharingAgreement a;
    a.id = Str(e.data, "agreement_id");
    a.agency_id = Str(e.data, "agency_id");
    a.categories = StrList(e.data, "categories");
    a.regime = Str(e.data, "regime");
    a.condition = Str(e.data, "condition");
    a.purpose = Str(e.data, "purpose");
    a.start = OptTime(e.data, "start").value_or(0);
    a.end = OptTime(e.data, "end").value_or(0);
    a.review_date = OptTime(e.data, "review_date").value_or(0);
    a.created_by = e.actor.user_id;
    s.partners.next_agreement++;
    s.partners.agreements[a.id] = std::move(a);
  });
  d.OnEvent("agreement.revoked", [](State& s, const Event& e) {
    auto it = s.partners.agreements.find(Str(e.data, "agreement_id"));
    if (it != s.partners.agreements.end()) it->second.revoked_at = e.at;
  });
  d.OnEvent("referral.sent", [](State& s, const Event& e) {
    Referral r;
    r.id = Str(e.data, "referral_id");
    r.incident_id = Str(e.data, "incident_id");
    r.direction = Str(e.data, "direction");
    r.from_agency = Str(e.data, "from_agency");
    r.agency_id = Str(e.data, "agency_id");
    r.type = Str(e.data, "type");
    r.note = Str(e.data, "note");
    r.sent_at = e.at;
    r.due_at = OptTime(e.data, "due_at").value_or(e.at);
    r.sent_by = e.actor.user_id;
    s.timers.Schedule(Timer{"referral:" + r.id, r.due_at, "referral.deadline", ReferralStream(r.id),
                            {{"referral_id", r.id}}});
    s.partners.next_referral++;
    s.partners.TrackReferral(s.partners.referrals[r.id] = std::move(r));
  });
  d.OnEvent("referral.acknowledged", [](State& s, const Event& e) {
    if (Referral* r = MutableReferral(s, e)) {
      r->state = "acknowledged";
      s.partners.TrackReferral(*r);
      r->acknowledged_at = e.at;
      s.timers.Cancel("referral:" + r->id);
    }
  });
  d.OnEvent("referral.accepted", [](State& s, const Event& e) {
    if (Referral* r = MutableReferral(s, e)) {
      r->state = "accepted";
      s.partners.TrackReferral(*r);
      r->accepted_at = e.at;
      r->accept_note = Str(e.data, "note");
      s.timers.Cancel("referral:" + r->id);
    }
  });
  d.OnEvent("referral.declined", [](State& s, const Event& e) {
    if (Referral* r = MutableReferral(s, e)) {
      r->state = "declined";
      s.partners.TrackReferral(*r);
      r->declined_at = e.at;
      r->decline_reason = Str(e.data, "reason");
      s.timers.Cancel("referral:" + r->id);
    }
  });
  d.OnEvent("referral.completed", [](State& s, const Event& e) {
    if (Referral* r = MutableReferral(s, e)) {
      r->state = "completed";
      s.partners.TrackReferral(*r);
      r->completed_at = e.at;
      r->outcome = Str(e.data, "outcome");
    }
  });
  d.OnEvent("referral.overdue", [](State& s, const Event& e) {
    if (Referral* r = MutableReferral(s, e)) r->overdue_alerted = true;
  });
  d.OnEvent("incident.shared", [](State& s, const Event& e) {
    Share sh{Str(e.data, "incident_id"), Str(e.data, "agency_id"), Str(e.data, "referral_id"),
             e.at, std::nullopt, e.actor.user_id};
    s.partners.shares[sh.incident_id + "|" + sh.agency_id] = std::move(sh);
  });
  d.OnEvent("incident.share_withdrawn", [](State& s, const Event& e) {
    auto it = s.partners.shares.find(Str(e.data, "incident_id") + "|" + Str(e.data, "agency_id"));
    if (it != s.partners.shares.end()) it->second.withdrawn_at = e.at;
  });
  d.OnEvent("register.entry_created", [](State& s, const Event& e) {
    RegisterEntry r;
    r.id = Str(e.data, "entry_id");
    r.kind = Str(e.data, "kind");
    r.title = Str(e.data, "title");
    r.parties = StrList(e.data, "parties");
    r.status = Str(e.data, "status");
    r.review_date = OptTime(e.data, "review_date").value_or(0);
    r.document_link = Str(e.data, "document_link");
    s.timers.Schedule(Timer{"register:" + r.id, r.review_date, "register.review", "register/" + r.id,
                            {{"entry_id", r.id}}});
    s.partners.next_register++;
    s.partners.register_entries[r.id] = std::move(r);
  });
  d.OnEvent("meeting.held", [](State& s, const Event& e) {
    LiaisonMeeting m;
    m.id = Str(e.data, "meeting_id");
    m.bcu = Str(e.data, "bcu");
    m.agency_id = Str(e.data, "agency_id");
    m.date = OptTime(e.data, "date").value_or(e.at);
    m.attendees = StrList(e.data, "attendees");
    m.minutes = Str(e.data, "minutes");
    for (const auto& a : e.data.at("actions").as_array()) {
      const auto& o = a.as_object();
      MeetingAction ma{Str(o, "id"), Str(o, "text"), Str(o, "owner"),
                       OptTime(o, "due").value_or(0), std::nullopt, false};
      s.timers.Schedule(Timer{"action:" + ma.id, ma.due, "meeting.action_due", "meeting/" + m.id,
                              {{"meeting_id", m.id}, {"action_id", ma.id}}});
      m.actions.push_back(std::move(ma));
    }
    s.partners.next_meeting++;
    s.partners.meetings[m.id] = std::move(m);
  });
  d.OnEvent("meeting.action_done", [](State& s, const Event& e) {
    auto it = s.partners.meetings.find(Str(e.data, "meeting_id"));
    if (it == s.partners.meetings.end()) return;
    for (auto& a : it->second.actions) {
      if (a.id == Str(e.data, "action_id")) {
        a.done_at = e.at;
        s.timers.Cancel("action:" + a.id);
      }
    }
  });
}

bool IsReferralType(std::string_view type) {
  return std::find(kReferralTypes.begin(), kReferralTypes.end(), type) != kReferralTypes.end();
}

}  // namespace concordat
