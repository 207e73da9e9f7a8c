// Decision records attached to an incident (and optionally a detention): the National Decision
// Model rationale (RULES.md C19), Mental Capacity Act 2005 s5 capacity and s6 restraint
// (B16–B18), and use of force with body-worn video (E29).
#include "core/mh_internal.hpp"

namespace concordat::mh {
namespace {

// 31 March 2022: the Mental Health Units (Use of Force) Act 2018 ss1–6 commence (SI 2021/1381).
constexpr Timestamp kUseOfForceActInForce = 1'648'681'200'000'000;  // 00:00 BST

struct Draft {
  const Incident* incident = nullptr;
  const Detention* detention = nullptr;
};

Result<Draft> Target(const State& s, const Command& c) {
  Draft d;
  auto inc = cad::FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  d.incident = *inc;
  if (const auto* v = c.body.if_contains("detention_id"); v && !v->is_null()) {
    if (!v->is_string()) return Error::InvalidArgument("detention_id", "detention_id is a string");
    auto det = FindDetention(s, std::string(v->as_string()));
    if (!det.ok() || (*det)->incident_id != c.target) {
      return Error::InvalidArgument("detention_id", "no detention " + std::string(v->as_string()) +
                                                        " on incident " + c.target);
    }
    d.detention = *det;
  }
  return d;
}

// Required text fields copied into `out`; every one missing is named in the error (FieldReader).
Status Texts(FieldReader& r, boost::json::object& out, std::initializer_list<const char*> fields,
             size_t max = 4000) {
  for (const char* f : fields) {
    const std::string v = r.String(f, max);
    if (!r.ok()) continue;
    // Nested paths ("stages.information") are stored under their last part.
    std::string_view key(f);
    if (auto dot = key.rfind('.'); dot != std::string_view::npos) key = key.substr(dot + 1);
    out[key] = v;
  }
  return r.ok() ? OkStatus() : Status(r.error());
}

Decision Record(const State& s, const Command& c, const Context&, const Draft& d, const char* kind,
                boost::json::object data) {
  const std::string id = "rec-" + std::to_string(s.mh.next_record);
  Decision out;
  out.status = 201;
  out.events.push_back(NewEvent{cad::IncidentStream(c.target),
                                "mh.record_created",
                                classification::kHealth,
                                {{"record_id", id},
                                 {"kind", kind},
                                 {"incident_id", c.target},
                                 {"detention_id", d.detention ? d.detention->id : ""},
                                 {"data", std::move(data)}}});
  out.reply = [id](const State& st) -> boost::json::value {
    const DecisionRecord& r = st.mh.records.at(id);
    return {{"id", r.id},
            {"kind", r.kind},
            {"incident_id", r.incident_id},
            {"detention_id", r.detention_id},
            {"at", FormatIso(r.at)},
            {"author", r.author},
            {"data", r.data}};
  };
  return out;
}

Result<Decision> DecideNdm(const State& s, const Command& c, const Context& ctx) {
  auto d = Target(s, c);
  if (!d.ok()) return d.error();
  FieldReader r(c.body);
  boost::json::object data;
  (void)Texts(r, data, {"decision", "code_of_ethics"});
  // C19: one section per stage of the National Decision Model.
  boost::json::object stages;
  (void)Texts(r, stages,
              {"stages.information", "stages.threat_and_risk", "stages.powers_and_policy",
               "stages.options", "stages.action_and_review"});
  if (!r.ok()) return r.error();
  data["stages"] = std::move(stages);
  return Record(s, c, ctx, *d, "ndm", std::move(data));
}

Result<Decision> DecideCapacity(const State& s, const Command& c, const Context& ctx) {
  auto d = Target(s, c);
  if (!d.ok()) return d.error();
  FieldReader r(c.body);
  const auto dob = r.OptionalString("person.date_of_birth", 10);
  const auto age = r.OptionalInteger("person.age", 0, 120);
  const auto over16 = r.OptionalBool("person.appears_16_or_over");
  const auto unable = r.StringList("unable_to", 4);
  const auto unwise = r.OptionalBool("unwise_decision_only");
  const auto believes = r.OptionalBool("reasonably_believes_lacks_capacity");
  if (!r.ok()) return r.error();
  DetainedPerson p;
  if (dob) {
    if (auto pd = ParseDate(*dob, "person.date_of_birth"); !pd.ok()) return pd.error();
    p.date_of_birth = *dob;
  } else if (age) {
    p.age = static_cast<int>(*age);
  } else if (d->detention) {
    p = d->detention->person;
  } else if (!over16) {
    return Error::InvalidArgument("person",
                                  "give person.date_of_birth, person.age or "
                                  "person.appears_16_or_over");
  }
  const AgeFacts a = AgeAt(p, ctx.now);
  // B16, MCA 2005 s2(5): the Act's powers do not apply to a person under 16.
  if (UnderSixteen(a) || (!a.known && over16 && !*over16)) {
    return Error::FailedPrecondition(
        "MCA 2005 s2(5): the Mental Capacity Act's powers do not "
        "apply to a person under 16",
        "person");
  }
  if (unwise.value_or(false)) {
    return Error::FailedPrecondition(
        "MCA 2005 s1(4): a person is not to be treated as unable to "
        "make a decision merely because it is unwise",
        "unwise_decision_only");
  }
  if (unable.empty()) {
    return Error::FailedPrecondition(
        "MCA 2005 s3(1): a person is unable to decide only if unable to understand, retain, use "
        "or weigh the information, or communicate the decision — record which (unable_to)",
        "unable_to");
  }
  for (const auto& u : unable) {
    if (u != "understand" && u != "retain" && u != "use_or_weigh" && u != "communicate") {
      return Error::InvalidArgument("unable_to",
                                    "unable_to lists understand, retain, "
                                    "use_or_weigh, communicate");
    }
  }
  boost::json::object data{{"unable_to", StrArray(unable)},
                           {"age", a.years ? boost::json::value(*a.years) : nullptr}};
  if (auto st = Texts(r, data, {"decision", "impairment", "act"}); !st.ok()) return st.error();
  // The statute's conditions, each named when missing.
  const std::pair<const char*, const char*> kLaw[] = {
      {"support_given",
       "MCA 2005 s1(3): record the practicable steps taken to help the person "
       "decide"},
      {"steps_taken",
       "MCA 2005 s5(1)(a): record the reasonable steps taken to establish whether "
       "the person lacks capacity"},
      {"best_interests",
       "MCA 2005 s5(1)(b)(ii), s4: record why the act is in the person's best "
       "interests"}};
  for (const auto& [field, why] : kLaw) {
    auto v = r.OptionalString(field, 4000);
    if (!r.ok()) return r.error();
    if (!v || v->empty()) return Error::FailedPrecondition(why, field);
    data[field] = *v;
  }
  if (!believes.value_or(false)) {
    return Error::FailedPrecondition(
        "MCA 2005 s5(1)(b)(i): the actor must reasonably believe the "
        "person lacks capacity in relation to the matter",
        "reasonably_believes_lacks_capacity");
  }
  data["reasonably_believes_lacks_capacity"] = true;
  if (auto st = Texts(r, data, {"least_restrictive"}); !st.ok()) return st.error();
  return Record(s, c, ctx, *d, "capacity", std::move(data));
}

Result<Decision> DecideRestraint(const State& s, const Command& c, const Context& ctx) {
  auto d = Target(s, c);
  if (!d.ok()) return d.error();
  FieldReader r(c.body);
  const auto capacity_id = r.OptionalString("capacity_record_id", 40);
  const auto necessary = r.OptionalBool("reasonably_believed_necessary");
  const auto proportionate = r.OptionalBool("proportionate");
  const auto minutes = r.Integer("duration_minutes", 0, 24 * 60);
  if (!r.ok()) return r.error();
  auto cap = capacity_id ? s.mh.records.find(*capacity_id) : s.mh.records.end();
  if (cap == s.mh.records.end() || cap->second.kind != "capacity" ||
      cap->second.incident_id != c.target) {
    return Error::FailedPrecondition(
        "MCA 2005 s6(1): restraint is protected only as an act under s5 — record the capacity "
        "assessment on this incident first (capacity_record_id)",
        "capacity_record_id");
  }
  if (!necessary.value_or(false)) {
    return Error::FailedPrecondition(
        "MCA 2005 s6(2): restraint only if reasonably believed "
        "necessary to prevent harm to the person",
        "reasonably_believed_necessary");
  }
  if (!proportionate.value_or(false)) {
    return Error::FailedPrecondition(
        "MCA 2005 s6(3): restraint must be a proportionate response "
        "to the likelihood and seriousness of the harm",
        "proportionate");
  }
  boost::json::object data{{"capacity_record_id", *capacity_id},
                           {"duration_minutes", minutes},
                           {"reasonably_believed_necessary", true},
                           {"proportionate", true}};
  if (auto st = Texts(r, data,
                      {"harm_prevented", "necessity", "proportionality", "type", "de_escalation"});
      !st.ok()) {
    return st.error();
  }
  return Record(s, c, ctx, *d, "restraint", std::move(data));
}

Result<Decision> DecideUseOfForce(const State& s, const Command& c, const Context& ctx) {
  auto d = Target(s, c);
  if (!d.ok()) return d.error();
  FieldReader r(c.body);
  const Timestamp started = r.Time("started_at");
  const auto minutes = r.Integer("duration_minutes", 0, 24 * 60);
  const auto types = r.StringList("types", 20);
  const bool care_plan = r.Bool("in_care_plan");
  const bool worn = r.Bool("bwv_worn");
  const bool recording = r.Bool("bwv_recording");
  const auto bwv_reason = r.OptionalString("bwv_reason", 2000);
  const auto at_unit = r.OptionalBool("at_mh_unit");
  if (!r.ok()) return r.error();
  if (types.empty()) return Error::InvalidArgument("types", "list the types of force used");
  if (started > ctx.now + Minutes(1)) {
    return Error::InvalidArgument("started_at", "started_at is in the future");
  }
  // Force used at this incident was used after the call came in (a day's margin for an incident
  // logged after the event): an earlier time is a mistyped date.
  if (started < d->incident->received_at - Hours(24)) {
    return Error::InvalidArgument("started_at", "started_at is before this incident began (" +
                                                    d->incident->reference + " came in at " +
                                                    FormatIso(d->incident->received_at) + ")");
  }
  if (recording && !worn) {
    return Error::InvalidArgument("bwv_recording", "body-worn video cannot record when not worn");
  }
  // E29: body-worn video worn and running where practicable; the reason when not.
  if ((!worn || !recording) && (!bwv_reason || bwv_reason->empty())) {
    return Error::InvalidArgument("bwv_reason",
                                  "record why body-worn video was not worn or not "
                                  "recording");
  }
  const bool unit = at_unit.value_or(d->incident->location.type == "health_setting");
  boost::json::object data{{"started_at", FormatIso(started)},
                           {"duration_minutes", minutes},
                           {"types", StrArray(types)},
                           {"in_care_plan", care_plan},
                           {"bwv_worn", worn},
                           {"bwv_recording", recording},
                           {"bwv_reason", bwv_reason.value_or("")},
                           {"at_mh_unit", unit}};
  // Mental Health Units (Use of Force) Act 2018 s6: what the unit's record holds.
  if (auto st = Texts(r, data,
                      {"reason", "place", "how_used", "staff_involved", "why_police_involved",
                       "outcome", "injury", "efforts_to_avoid"});
      !st.ok()) {
    return st.error();
  }
  // s6(4)–(5): kept for 3 years, for force at a unit from the Act's commencement.
  if (unit && started >= kUseOfForceActInForce) {
    CivilDate until = LondonDate(started);
    until.year += 3;
    if (until.month == 2 && until.day == 29) until.day = 28;
    data["retain_until"] = FormatDate(until);
  } else {
    data["retain_until"] = nullptr;
  }
  return Record(s, c, ctx, *d, "use_of_force", std::move(data));
}

}  // namespace

void RegisterRecords(Domain& d) {
  d.OnCommand("mh.ndm", DecideNdm);
  d.OnCommand("mh.capacity", DecideCapacity);
  d.OnCommand("mh.restraint", DecideRestraint);
  d.OnCommand("mh.use_of_force", DecideUseOfForce);
  d.OnEvent("mh.record_created", [](State& s, const Event& e) {
    DecisionRecord r;
    r.id = Str(e.data, "record_id");
    r.kind = Str(e.data, "kind");
    r.incident_id = Str(e.data, "incident_id");
    r.detention_id = Str(e.data, "detention_id");
    r.at = e.at;
    r.author = e.actor.user_id;
    if (const auto* v = e.data.if_contains("data"); v && v->is_object()) r.data = v->as_object();
    s.mh.next_record++;
    s.mh.TrackRecord(s.mh.records[r.id] = std::move(r));
  });
}

}  // namespace concordat::mh
