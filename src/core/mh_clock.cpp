// The detention clock (RULES.md A4–A5): arrival starts it (or the decision / first entry for a
// person kept where they are), transfers never restart it, an s136B extension moves its end;
// alerts before expiry and at expiry are engine timers scheduled from event data.
#include "core/mh_internal.hpp"

namespace concordat::mh {

boost::json::array ClockAlerts(Timestamp expiry, const MentalHealthPolicy& p) {
  boost::json::array out;
  for (Timestamp before : p.clock_alerts_before) {
    if (before <= 0) continue;
    const std::string label = before % kMicrosPerHour == 0
                                  ? std::to_string(before / kMicrosPerHour) + "h"
                                  : std::to_string(before / kMicrosPerMinute) + "m";
    out.push_back({{"label", label}, {"due", FormatIso(expiry - before)}});
  }
  out.push_back({{"label", "expiry"}, {"due", FormatIso(expiry)}});
  return out;
}

void PlaceTimers(boost::json::object& data, const std::string& kind, const std::string& other_type,
                 Timestamp at, const MentalHealthPolicy& p) {
  const bool station = kind == "police_station";
  data["welfare_due"] =
      station ? boost::json::value(FormatIso(at + kWelfareInterval + p.welfare_grace)) : nullptr;
  data["review_due"] =
      station ? boost::json::value(FormatIso(at + p.custody_review_every)) : nullptr;
  data["handover_due"] = HandoverApplies(kind, other_type)
                             ? boost::json::value(FormatIso(at + p.handover_alert_after))
                             : nullptr;
}

void ApplySchedule(State& s, Detention& d, const boost::json::object& data) {
  if (const auto* c = data.if_contains("clock"); c && c->is_object()) {
    d.clock_started_at = OptTime(c->as_object(), "started_at");
    d.expires_at = OptTime(c->as_object(), "expires_at");
    d.clock_basis = Str(c->as_object(), "basis");
  }
  if (auto t = OptTime(data, "extended_until")) d.extended_until = t;
  if (const auto* a = data.if_contains("clock_alerts"); a && a->is_array()) {
    for (const auto& id : d.clock_timers) s.timers.Cancel(id);
    d.clock_timers.clear();
    for (const auto& v : a->as_array()) {
      const auto& o = v.as_object();
      const std::string label = Str(o, "label");
      const std::string id = ClockTimerId(d.id, label);
      s.timers.Schedule(Timer{id,
                              OptTime(o, "due").value_or(0),
                              "detention.clock",
                              DetentionStream(d.id),
                              {{"detention_id", d.id}, {"label", label}}});
      d.clock_timers.push_back(id);
    }
  }
  struct Slot {
    const char* key;
    std::string timer_id;
    const char* kind;
    std::optional<Timestamp>* field;
  };
  for (const Slot& slot :
       {Slot{"welfare_due", WelfareTimerId(d.id), "detention.welfare", &d.welfare_due},
        Slot{"review_due", ReviewTimerId(d.id), "detention.review", &d.review_due},
        Slot{"handover_due", HandoverTimerId(d.id), "detention.handover", &d.handover_due},
        Slot{"arrival_due", ArrivalTimerId(d.id), "detention.arrival", &d.arrival_due}}) {
    if (!data.contains(slot.key)) continue;
    *slot.field = OptTime(data, slot.key);
    if (*slot.field) {
      s.timers.Schedule(Timer{
          slot.timer_id, **slot.field, slot.kind, DetentionStream(d.id), {{"detention_id", d.id}}});
    } else {
      s.timers.Cancel(slot.timer_id);
    }
  }
}

namespace {

Status CheckNotExpired(const Detention& d, Timestamp at) {
  if (auto end = d.Expiry(); end && at >= *end) {
    return Error::FailedPrecondition(std::string(d.power == "s136" ? "s136(2A)" : "s135(3ZA)") +
                                     ": the period of detention ended at " + FormatIso(*end) +
                                     "; the person may no longer be detained under it");
  }
  return OkStatus();
}

Result<Decision> DecideArrival(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  const Detention& d = **det;
  const PlaceVisit* cur = d.Current();
  if (cur == nullptr) {
    return Error::FailedPrecondition(
        "choose the place of safety first (POST "
        "/api/detentions/" +
        d.id + "/place-of-safety)");
  }
  if (cur->arrived_at) {
    return Error::Conflict("the person arrived at " + cur->site_name + " at " +
                           FormatIso(*cur->arrived_at) + "; record a transfer to move them");
  }
  auto at = StepTime(c.body, ctx, d.decided_at, "the decision to detain");
  if (!at.ok()) return at.error();
  if (auto st = CheckNotExpired(d, *at); !st.ok()) return st.error();
  if (cur->kind == "police_station") {
    // The gate again at arrival: the law or the person's age may have changed since the choice.
    if (auto st = PoliceStationGate(d, cur->conditions, *at, ctx); !st.ok()) return st.error();
  }
  boost::json::object data{{"at", FormatIso(*at)}};
  if (!d.clock_started_at) {
    // s136(2A)(a), s135(3ZA)(a): the period starts on arrival at the place of safety — an
    // emergency department included.
    const Timestamp expires = *at + RulesOn(d.decided_at, ctx.policy->mental_health).period;
    data["clock"] = {
        {"started_at", FormatIso(*at)}, {"expires_at", FormatIso(expires)}, {"basis", "arrival"}};
    data["clock_alerts"] = ClockAlerts(expires, ctx.policy->mental_health);
  }
  PlaceTimers(data, cur->kind, cur->other_type, *at, ctx.policy->mental_health);
  data["arrival_due"] = nullptr;
  Decision out = DetentionDecision(d.id, ctx, "detention.arrived", std::move(data));
  CloseDetentionAlerts(
      s, d, {"s136_not_arrived"},
      "closed by the system: arrived at " + cur->site_name + " at " + LondonClock(*at), out);
  return out;
}

Result<Decision> DecideTransfer(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  const Detention& d = **det;
  const PlaceVisit* cur = d.Current();
  if (cur == nullptr || !cur->arrived_at) {
    return Error::FailedPrecondition(
        "a transfer moves the person between places of safety; record the arrival first");
  }
  auto at = StepTime(c.body, ctx, *cur->arrived_at, "the arrival at the current place");
  if (!at.ok()) return at.error();
  if (auto st = CheckNotExpired(d, *at); !st.ok()) return st.error();
  std::vector<std::string> warnings;
  auto place = ReadPlace(s, d, c.body, *at, ctx, warnings);
  if (!place.ok()) return place.error();
  if (Str(*place, "kind") == cur->kind && Str(*place, "site_id") == cur->site_id &&
      cur->kind != "other") {
    return Error::Conflict("the person is already at " + cur->site_name);
  }
  // s136(3), s135(3A): the person may be moved between places of safety within the period; the
  // period still runs from the first start (s136(2A)) — no clock fields here.
  boost::json::object data{{"at", FormatIso(*at)}, {"place", *place}};
  PlaceTimers(data, Str(*place, "kind"), Str(*place, "other_type"), *at, ctx.policy->mental_health);
  Decision out = DetentionDecision(d.id, ctx, "detention.transferred", std::move(data), warnings);
  ShareWithSiteTrust(s, d, *place, ctx, out);
  return out;
}

Result<Decision> DecideExtension(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  const Detention& d = **det;
  FieldReader r(c.body);
  const auto hours = r.Integer("hours", 1, 1000);
  const std::string reason =
      r.Enum("reason", {"condition_of_person", "awaiting_bed", "awaiting_professional", "other"});
  const auto clinical = r.OptionalString("clinical_reason", 4000);
  const std::string doctor = r.String("doctor.name", 200);
  const auto doctor_role = r.OptionalString("doctor.role", 60);
  const auto responsible = r.OptionalBool("doctor.responsible_for_examination");
  const auto sup_name = r.OptionalString("superintendent.name", 200);
  const auto sup_rank = r.OptionalString("superintendent.rank", 40);
  const auto sup_at = r.OptionalTime("superintendent.at");
  if (!r.ok()) return r.error();
  if (!d.clock_started_at || !d.expires_at) {
    return Error::FailedPrecondition(
        "the clock has not started: the person has not arrived at a "
        "place of safety");
  }
  auto at = StepTime(c.body, ctx, *d.clock_started_at, "the start of the period");
  if (!at.ok()) return at.error();
  const MhaRules rules = RulesOn(d.decided_at, ctx.policy->mental_health);
  if (rules.max_extension == 0) {
    return Error::FailedPrecondition(
        "Mental Health Act 1983 before 11 December 2017: there was no "
        "power to extend the 72-hour period");
  }
  if (!d.extension.empty()) {
    return Error::FailedPrecondition(
        "s136B(1): the period may be extended once, by up to 12 hours (36 hours in all); it was "
        "already extended to " +
        FormatIso(d.extended_until.value_or(0)));
  }
  // s136B(1): only before the 24 hours run out.
  if (*at >= *d.expires_at) {
    return Error::FailedPrecondition(
        "s136B(1): an extension must be authorised before the period "
        "ends; it ended at " +
            FormatIso(*d.expires_at),
        "at");
  }
  if (doctor_role.value_or("") != "registered_medical_practitioner" ||
      !responsible.value_or(false)) {
    return Error::FailedPrecondition(
        "s136B(1): only the registered medical practitioner responsible for the examination may "
        "extend (doctor.role registered_medical_practitioner, "
        "doctor.responsible_for_examination true)",
        "doctor");
  }
  // s136B(2): only because the person's condition makes it impracticable to complete the
  // assessment in time — never for a bed or a professional.
  if (reason != "condition_of_person") {
    return Error::FailedPrecondition(
        "s136B(2): an extension is allowed only because the person's condition makes it "
        "impracticable to complete the assessment in time — not for waiting for a bed or a "
        "professional",
        "reason");
  }
  if (!clinical || clinical->empty()) {
    return Error::InvalidArgument("clinical_reason", "describe the clinical reason");
  }
  if (Hours(hours) > rules.max_extension) {
    return Error::FailedPrecondition("s136B(1): the period may be extended by up to 12 hours",
                                     "hours");
  }
  const PlaceVisit* cur = d.Current();
  boost::json::object sup;
  if (cur && cur->arrived_at && cur->kind == "police_station") {
    // s136B(3): at a police station a superintendent or above must also approve.
    if (!sup_name || sup_name->empty() || !SuperintendentOrAbove(sup_rank.value_or(""))) {
      return Error::FailedPrecondition(
          "s136B(3): at a police station an extension also needs the approval of an officer of "
          "the rank of superintendent or above (superintendent.name, superintendent.rank)",
          "superintendent");
    }
    sup = {{"name", *sup_name}, {"rank", *sup_rank}, {"at", FormatIso(sup_at.value_or(*at))}};
  }
  const Timestamp until = *d.expires_at + Hours(hours);
  Decision out =
      DetentionDecision(d.id, ctx, "detention.extended",
                        {{"at", FormatIso(*at)},
                         {"hours", hours},
                         {"reason", reason},
                         {"clinical_reason", *clinical},
                         {"doctor", {{"name", doctor}, {"role", *doctor_role}}},
                         {"superintendent", sup},
                         {"extended_until", FormatIso(until)},
                         {"clock_alerts", ClockAlerts(until, ctx.policy->mental_health)}});
  CloseDetentionAlerts(s, d, {"s136_clock"},
                       "superseded: the period was extended to " + LondonClock(until), out);
  return out;
}

Result<Decision> FireClock(const State& s, const Timer& t, const Context& ctx) {
  Decision out;
  auto it = s.mh.detentions.find(Str(t.data, "detention_id"));
  if (it == s.mh.detentions.end() || !it->second.Active()) return out;
  const Detention& d = it->second;
  const std::string label = Str(t.data, "label");
  const Timestamp end = d.Expiry().value_or(t.due);
  const PlaceVisit* cur = d.Current();
  const std::string where = cur ? " at " + cur->site_name : "";
  const std::string head =
      d.power + " detention " + d.id + " (" + IncidentRef(s, d.incident_id) + ")" + where;
  boost::json::object data{
      {"detention_id", d.id}, {"power", d.power}, {"label", label}, {"expires_at", FormatIso(end)}};
  if (label == "expiry") {
    out.events.push_back(MakeAlertRaised(s, 0, "s136_clock", d.incident_id, {},
                                         head + ": the period of detention has ended (" +
                                             LondonClock(end) +
                                             ") — the power to detain has lapsed",
                                         data));
    out.events.push_back(NewEvent{DetentionStream(d.id),
                                  "detention.period_expired",
                                  classification::kHealth,
                                  {{"detention_id", d.id}, {"at", FormatIso(end)}}});
    return out;
  }
  const Timestamp left = end - ctx.now;
  out.events.push_back(
      MakeAlertRaised(s, 0, "s136_clock", d.incident_id, {},
                      head + ": " + std::to_string(left / kMicrosPerHour) + " h " +
                          std::to_string(left % kMicrosPerHour / kMicrosPerMinute) +
                          " min left — the period ends at " + LondonClock(end),
                      data));
  return out;
}

// A4: the person is detained but not at a place of safety, so the period has not started and no
// clock alert will come; the control room is told, and told again each interval until arrival.
Result<Decision> FireArrival(const State& s, const Timer& t, const Context& ctx) {
  Decision out;
  auto it = s.mh.detentions.find(Str(t.data, "detention_id"));
  if (it == s.mh.detentions.end()) return out;
  const Detention& d = it->second;
  if (!d.Active() || d.clock_started_at || d.arrival_due != t.due) return out;
  const Timestamp held = ctx.now - d.decided_at;
  const PlaceVisit* cur = d.Current();
  const std::string where =
      cur ? "on the way to " + cur->site_name + ", not yet arrived" : "no place of safety chosen";
  // After half a day the time of day alone is ambiguous: the date too.
  const std::string decided = held >= Hours(12) ? LondonClock(d.decided_at) + " on " +
                                                      FormatDate(ToLondon(d.decided_at).date)
                                                : LondonClock(d.decided_at);
  const std::string message =
      d.power + " detention " + d.id + " (" + IncidentRef(s, d.incident_id) + "): detained at " +
      decided + ", " + std::to_string(held / kMicrosPerHour) + " h " +
      std::to_string(held % kMicrosPerHour / kMicrosPerMinute) + " min ago, " + where +
      " — the period has not started; record the place of safety and the arrival";
  const boost::json::object data{{"detention_id", d.id}, {"held_minutes", held / kMicrosPerMinute}};
  // Told again each interval: while the last telling is still open on the board it is brought
  // up to date (one alert per detention, not one per hour); once someone has acknowledged it, a
  // new one is raised.
  const Alert* open = nullptr;
  if (auto ids = s.alerts.by_incident.find(d.incident_id); ids != s.alerts.by_incident.end()) {
    for (const auto& id : ids->second) {
      const Alert& a = s.alerts.by_id.at(id);
      if (a.type == "s136_not_arrived" && !a.acknowledged_at &&
          Str(a.data, "detention_id") == d.id) {
        open = &a;
      }
    }
  }
  std::string alert_id;
  if (open != nullptr) {
    alert_id = open->id;
    out.events.push_back(MakeAlertUpdated(*open, {}, message, data));
  } else {
    NewEvent alert = MakeAlertRaised(s, 0, "s136_not_arrived", d.incident_id, {}, message, data);
    alert_id = Str(alert.data, "alert_id");
    out.events.push_back(std::move(alert));
  }
  out.events.push_back(NewEvent{
      DetentionStream(d.id),
      "detention.arrival_overdue",
      classification::kHealth,
      {{"detention_id", d.id},
       {"at", FormatIso(ctx.now)},
       {"held_minutes", held / kMicrosPerMinute},
       {"alert_id", alert_id},
       {"arrival_due", FormatIso(ctx.now + ctx.policy->mental_health.arrival_alert_after)}}});
  return out;
}

Detention* Mutable(State& s, const Event& e) {
  auto it = s.mh.detentions.find(Str(e.data, "detention_id"));
  return it == s.mh.detentions.end() ? nullptr : &it->second;
}

}  // namespace

void RegisterClock(Domain& d) {
  d.OnCommand("detention.arrival", DecideArrival);
  d.OnCommand("detention.transfer", DecideTransfer);
  d.OnCommand("detention.extension", DecideExtension);
  d.OnTimer("detention.clock", FireClock);
  d.OnTimer("detention.arrival", FireArrival);
  d.OnEvent("detention.arrival_overdue", [](State& s, const Event& e) {
    if (Detention* d = Mutable(s, e)) ApplySchedule(s, *d, e.data);
  });
  d.OnEvent("detention.arrived", [](State& s, const Event& e) {
    Detention* d = Mutable(s, e);
    if (d == nullptr || d->places.empty()) return;
    const Timestamp at = OptTime(e.data, "at").value_or(e.at);
    d->places.back().arrived_at = at;
    d->status = "at_place_of_safety";
    s.mh.TrackDetention(*d);
    d->handover = Handover{};
    d->handover.arrived_at = at;
    ApplySchedule(s, *d, e.data);
  });
  d.OnEvent("detention.transferred", [](State& s, const Event& e) {
    Detention* d = Mutable(s, e);
    if (d == nullptr) return;
    const Timestamp at = OptTime(e.data, "at").value_or(e.at);
    if (!d->places.empty()) d->places.back().left_at = at;
    PlaceVisit v = PlaceFromJson(e.data.at("place").as_object(), at);
    v.arrived_at = at;
    v.transfer = true;
    d->places.push_back(std::move(v));
    d->handover = Handover{};
    d->handover.arrived_at = at;
    ApplySchedule(s, *d, e.data);
  });
  d.OnEvent("detention.extended", [](State& s, const Event& e) {
    Detention* d = Mutable(s, e);
    if (d == nullptr) return;
    d->extension = e.data;
    d->extension.erase("detention_id");
    d->extension.erase("clock_alerts");
    d->extension["by"] = e.actor.user_id;
    ApplySchedule(s, *d, e.data);
  });
  d.OnEvent("detention.period_expired", [](State& s, const Event& e) {
    if (Detention* d = Mutable(s, e)) d->period_expired = true;
  });
}

}  // namespace concordat::mh
