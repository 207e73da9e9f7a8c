// Detentions under s136 and s135 (RULES.md A1–A4, A9, A11–A13): the decision to detain with its
// grounds, location, consultation and the person's age; protective search; conveyance; the end.
#include "core/mh_internal.hpp"

namespace concordat::mh {
namespace {

const std::initializer_list<std::string_view> kLocationTypes = {
    "public_place",   "communal_area",  "private_dwelling", "dwelling_curtilage",
    "health_setting", "police_station", "transport",        "other"};
// s136(1C) as inserted by the Policing and Crime Act 2017 s81: the professionals to consult.
const std::initializer_list<std::string_view> kConsultRoles = {
    "registered_medical_practitioner", "registered_nurse", "amhp", "paramedic",
    "occupational_therapist"};
// Home Office annual data requirement categories (optional on the record).
const std::initializer_list<std::string_view> kSex = {"male", "female", "other", "not_stated"};
const std::initializer_list<std::string_view> kEthnicity = {"white", "mixed", "asian",
                                                            "black", "other", "not_stated"};

// Only a constable may exercise s136 (s136(1)) or execute a s135 warrant; the roles that may
// record for a constable are police roles (admin for corrections).
bool PoliceRecorder(const Actor& a) {
  return a.role == "officer" || a.role == "mh_team" || a.role == "supervisor" || a.role == "admin";
}

boost::json::object Section(FieldReader& r, std::string_view prefix,
                            std::initializer_list<std::pair<const char*, size_t>> fields) {
  boost::json::object o;
  for (const auto& [k, max] : fields) {
    const std::string path = std::string(prefix) + "." + k;
    if (auto v = r.OptionalString(path, max); v && !v->empty()) o[k] = *v;
  }
  return o;
}

// The place a person is kept at when not removed (s136(1)(b), s135(1A)).
boost::json::object KeptPlaceBody(const std::string& power, const std::string& location_type,
                                  const boost::json::object& body) {
  if (const auto* p = body.if_contains("place"); p && p->is_object()) {
    return p->as_object();
  }
  if (power == "s135") return {{"kind", "other"}, {"other_type", "premises_under_warrant"}};
  if (location_type == "police_station") {
    boost::json::object o{{"kind", "police_station"}};
    if (const auto* ps = body.if_contains("police_station")) o["police_station"] = *ps;
    return o;
  }
  if (location_type == "health_setting") return {{"kind", "other"}, {"other_type", "hospital"}};
  return {{"kind", "other"}, {"other_type", "place_where_found"}};
}

Result<Decision> DecideCreate(const State& s, const Command& c, const Context& ctx) {
  auto inc = cad::FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string power = r.Enum("power", {"s136", "s135"});
  const std::string location_type = r.Enum("location_type", kLocationTypes);
  const auto dob = r.OptionalString("person.date_of_birth", 10);
  const auto age = r.OptionalInteger("person.age", 0, 120);
  const auto appears_child = r.OptionalBool("person.appears_child");
  const auto sex = r.OptionalEnum("person.sex", kSex);
  const auto ethnicity = r.OptionalEnum("person.ethnicity", kEthnicity);
  const auto person_id = r.OptionalString("person.person_id", 100);
  const auto kept = r.OptionalBool("kept_at_location");
  const auto entered_at = r.OptionalTime("entered_at");
  const auto collar = r.OptionalString("officer.collar", 20);
  boost::json::object grounds = Section(
      r, "grounds", {{"mental_disorder", 2000}, {"care_or_control", 2000}, {"necessity", 2000}});
  boost::json::object consultation =
      Section(r, "consultation", {{"name", 200}, {"advice", 4000}, {"impracticable_reason", 2000}});
  const auto consult_role = r.OptionalEnum("consultation.role", kConsultRoles);
  const auto consult_at = r.OptionalTime("consultation.at");
  const auto impracticable = r.OptionalString("impracticable_reason", 2000);
  boost::json::object warrant = Section(
      r, "warrant", {{"reference", 100}, {"issued_by", 200}, {"amhp", 200}, {"doctor", 200}});
  const auto issued_at = r.OptionalTime("warrant.issued_at");
  if (!r.ok()) return r.error();

  if (!PoliceRecorder(c.actor)) {
    return Error::FailedPrecondition(power == "s136"
                                         ? "s136(1): only a constable may remove or keep a person "
                                           "under section 136"
                                         : "s135: only a constable may execute a warrant");
  }
  if ((*inc)->status != "open") {
    return Error::FailedPrecondition("incident " + c.target + " is closed; reopen it first");
  }
  auto decided =
      StepTime(c.body, ctx, (*inc)->received_at, "the incident was received", "decided_at");
  if (!decided.ok()) return decided.error();
  const MhaRules rules = RulesOn(*decided, ctx.policy->mental_health);

  // Every rule the facts given break is told at once (Problems): an officer at the roadside
  // mends the record in one go instead of learning of one rule a submission.
  Problems problems;
  DetainedPerson person;
  if (dob) {
    auto d = ParseDate(*dob, "person.date_of_birth");
    if (!d.ok()) {
      problems.Add(d.error());
    } else if (DaysFromCivil(*d) > DaysFromCivil(LondonDate(*decided))) {
      problems.Add(Error::InvalidArgument("person.date_of_birth",
                                          "the date of birth is after the decision"));
    }
    person.date_of_birth = *dob;
  } else if (age) {
    person.age = static_cast<int>(*age);
  } else if (!appears_child) {
    problems.Add(Error::InvalidArgument("person",
                                        "give person.date_of_birth, person.age, or — when "
                                        "the age is unknown — person.appears_child"));
  }
  person.appears_child = appears_child.value_or(false);
  person.sex = sex.value_or("");
  person.ethnicity = ethnicity.value_or("");
  person.person_id = person_id.value_or("");

  Timestamp clock_start = *decided;
  std::string basis = "decision";
  if (power == "s136") {
    // s136(1A): not in a dwelling or a yard, garden, garage or outhouse used with it.
    if (rules.dwelling_block &&
        (location_type == "private_dwelling" || location_type == "dwelling_curtilage")) {
      problems.Add(Error::FailedPrecondition(
          "s136(1A): section 136 may not be used in a house, flat or room where a person lives, "
          "nor in a yard, garden, garage or outhouse used with it; the lawful route is a "
          "section 135 warrant",
          "location_type"));
    } else if (rules.public_place_only && location_type != "public_place" &&
               location_type != "communal_area" && location_type != "transport") {
      problems.Add(Error::FailedPrecondition(
          "s136(1) before 11 December 2017: only in a place to which the public have access",
          "location_type"));
    }
    // s136(1): all three grounds recorded (the rule once, then each other ground missing).
    bool told = false;
    for (const char* g : {"mental_disorder", "care_or_control", "necessity"}) {
      if (grounds.contains(g)) continue;
      problems.Add(Error::FailedPrecondition(
          told ? std::string("s136(1): record grounds.") + g
               : "s136(1): all three grounds must be recorded — the person appears to be "
                 "suffering from mental disorder (grounds.mental_disorder), to be in immediate "
                 "need of care or control (grounds.care_or_control), and removal is necessary in "
                 "their interests or for the protection of others (grounds.necessity)",
          std::string("grounds.") + g));
      told = true;
    }
    // s136(1C): consult if practicable, before detaining; otherwise record why not.
    if (impracticable && !impracticable->empty()) {
      consultation = {{"impracticable_reason", *impracticable}};
    }
    const bool consulted = consultation.contains("name") && consult_role;
    if (consulted) {
      if (!consultation.contains("advice")) {
        problems.Add(Error::InvalidArgument("consultation.advice", "record the advice given"));
      }
      consultation["role"] = *consult_role;
      const Timestamp at = consult_at.value_or(*decided);
      if (at > *decided) {
        problems.Add(Error::FailedPrecondition(
            "s136(1C): the consultation must take place before the decision to detain",
            "consultation.at"));
      }
      consultation["at"] = FormatIso(at);
      consultation.erase("impracticable_reason");
    } else if (rules.consultation_required && !consultation.contains("impracticable_reason")) {
      problems.Add(Error::FailedPrecondition(
          "s136(1C): before detaining, consult a registered medical practitioner, registered "
          "nurse, AMHP, paramedic or occupational therapist if practicable — record who was "
          "consulted (name, role, when) and their advice, or why consulting was impracticable",
          "consultation"));
    }
    warrant = {};
  } else {
    // s135(1) with s135(4): a warrant, executed with an AMHP and a registered medical
    // practitioner.
    if (!warrant.contains("reference")) {
      problems.Add(Error::FailedPrecondition(
          "s135(1): a warrant issued by a justice of the peace on an AMHP's information is needed",
          "warrant.reference"));
    }
    if (!warrant.contains("amhp") || !warrant.contains("doctor")) {
      const std::string rule =
          "s135(4): a constable executing the warrant must be accompanied by an approved mental "
          "health professional and a registered medical practitioner";
      if (!warrant.contains("amhp")) problems.Add(Error::FailedPrecondition(rule, "warrant.amhp"));
      if (!warrant.contains("doctor")) {
        problems.Add(Error::FailedPrecondition(
            warrant.contains("amhp") ? rule : "s135(4): name the registered medical practitioner",
            "warrant.doctor"));
      }
    }
    if (issued_at) warrant["issued_at"] = FormatIso(*issued_at);
    clock_start = entered_at.value_or(*decided);
    basis = "first_entry";
    if (clock_start > ctx.now + Minutes(1) || clock_start < (*inc)->received_at) {
      problems.Add(
          Error::InvalidArgument("entered_at", "entered_at must be between the call and now"));
    }
    grounds = {};
    consultation = {};
  }
  if (problems.any()) return problems.Take();

  const std::string id = "det-" + std::to_string(s.mh.next_detention);
  boost::json::object data{{"detention_id", id},
                           {"incident_id", c.target},
                           {"power", power},
                           {"decided_at", FormatIso(*decided)},
                           {"location_type", location_type},
                           {"grounds", grounds},
                           {"consultation", consultation},
                           {"warrant", warrant},
                           {"person", boost::json::value_from(person)},
                           {"kept_at_location", kept.value_or(false)},
                           {"entered_at", power == "s135" ? TimeOrNull(clock_start) : nullptr},
                           {"officer_collar", collar.value_or(c.actor.collar)}};
  std::vector<std::string> warnings;
  if (kept.value_or(false)) {
    // Kept where they are: that place is the place of safety and the clock starts now (s136)
    // or at first entry (s135) — s136(2A)(b), s135(3ZA)(b).
    Detention preview;
    preview.power = power;
    preview.decided_at = *decided;
    preview.person = person;
    auto place = ReadPlace(s, preview, KeptPlaceBody(power, location_type, c.body), clock_start,
                           ctx, warnings);
    if (!place.ok()) return place.error();
    data["place"] = *place;
    const Timestamp expires = clock_start + rules.period;
    data["clock"] = {{"started_at", FormatIso(clock_start)},
                     {"expires_at", FormatIso(expires)},
                     {"basis", basis}};
    data["clock_alerts"] = ClockAlerts(expires, ctx.policy->mental_health);
    PlaceTimers(data, Str(*place, "kind"), Str(*place, "other_type"), clock_start,
                ctx.policy->mental_health);
  } else {
    // A4: the period starts only on arrival; until then a person held without it is watched.
    data["arrival_due"] = FormatIso(*decided + ctx.policy->mental_health.arrival_alert_after);
  }
  Decision d = DetentionDecision(id, ctx, "detention.created", std::move(data), warnings);
  d.status = 201;
  return d;
}

Result<Decision> DecideSearch(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  FieldReader r(c.body);
  const auto danger = r.OptionalString("grounds.danger", 2000);
  const auto concealing = r.OptionalString("grounds.concealing", 2000);
  const auto extent = r.StringList("extent", 10);
  const auto items = r.OptionalString("items_found", 2000);
  if (!r.ok()) return r.error();
  if (!RulesOn((*det)->decided_at, ctx.policy->mental_health).paca2017) {
    return Error::FailedPrecondition("s136C: the power to search commenced on 11 December 2017");
  }
  // s136C(1): reasonable grounds that the person may present a danger and may be concealing
  // something that could be used to cause injury — both.
  if (!danger || danger->empty() || !concealing || concealing->empty()) {
    return Error::FailedPrecondition(
        "s136C(1): a search needs grounds to believe the person may be a danger to themselves or "
        "others (grounds.danger) and may be concealing an item that could cause injury "
        "(grounds.concealing)",
        !danger || danger->empty() ? "grounds.danger" : "grounds.concealing");
  }
  if (extent.empty()) {
    return Error::InvalidArgument("extent",
                                  "extent lists what was searched: outer_clothing, "
                                  "gloves, mouth");
  }
  for (const auto& e : extent) {
    // s136C(3): no removal of clothing other than an outer coat, jacket or gloves; the mouth may
    // be searched.
    if (e != "outer_clothing" && e != "gloves" && e != "mouth") {
      return Error::FailedPrecondition(
          "s136C(3): a search may extend only to outer clothing (coat, jacket), gloves and the "
          "mouth; '" +
              e + "' is not allowed",
          "extent");
    }
  }
  auto at = StepTime(c.body, ctx, (*det)->decided_at, "the decision to detain");
  if (!at.ok()) return at.error();
  return DetentionDecision(c.target, ctx, "detention.searched",
                           {{"at", FormatIso(*at)},
                            {"grounds", {{"danger", *danger}, {"concealing", *concealing}}},
                            {"extent", StrArray(extent)},
                            {"items_found", items.value_or("none")}});
}

Result<Decision> DecideConveyance(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  FieldReader r(c.body);
  const std::string mode = r.Enum("mode", {"ambulance", "police_vehicle", "other_vehicle"});
  const auto requested = r.OptionalTime("ambulance_requested_at");
  const auto eta = r.OptionalTime("ambulance_eta");
  const auto departed = r.OptionalTime("departed_at");
  const auto reason =
      r.OptionalEnum("police_vehicle_reason", {"ambulance_not_available", "ambulance_delayed",
                                               "risk_of_violence", "clinical_advice", "other"});
  const auto detail = r.OptionalString("reason_detail", 2000);
  if (!r.ok()) return r.error();
  const MentalHealthPolicy& mp = ctx.policy->mental_health;
  std::vector<std::string> warnings;
  if (mode == "police_vehicle") {
    // RULES.md A12 (Code of Practice 17.19–17.20): an ambulance or other non-police transport
    // by default; a police vehicle needs a recorded reason.
    if (!reason) {
      return Error::InvalidArgument("police_vehicle_reason",
                                    "a police vehicle needs a recorded reason: "
                                    "ambulance_not_available, ambulance_delayed, risk_of_violence, "
                                    "clinical_advice or other");
    }
    if (!requested) {
      warnings.push_back("no ambulance was requested before using a police vehicle");
    }
    if (*reason == "ambulance_delayed" && requested && eta &&
        *eta - *requested <= mp.ambulance_wait) {
      warnings.push_back("the ambulance's ETA was within " +
                         std::to_string(mp.ambulance_wait / kMicrosPerMinute) +
                         " minutes of the request");
    }
  }
  if (reason && *reason == "other" && (!detail || detail->empty())) {
    return Error::InvalidArgument("reason_detail", "describe the reason when it is other");
  }
  if (requested && eta && *eta < *requested) {
    return Error::InvalidArgument("ambulance_eta", "the ETA is before the request");
  }
  return DetentionDecision(c.target, ctx, "detention.conveyance_recorded",
                           {{"mode", mode},
                            {"ambulance_requested_at", TimeOrNull(requested)},
                            {"ambulance_eta", TimeOrNull(eta)},
                            {"departed_at", TimeOrNull(departed)},
                            {"police_vehicle_reason", mode == "police_vehicle" ? *reason : ""},
                            {"reason_detail", detail.value_or("")}},
                           warnings);
}

Result<Decision> DecideOutcome(const State& s, const Command& c, const Context& ctx) {
  auto det = FindActiveDetention(s, c.target);
  if (!det.ok()) return det.error();
  FieldReader r(c.body);
  // RULES.md A13.
  const std::string outcome =
      r.Enum("outcome", {"admitted_informally", "detained_s2", "detained_s3",
                         "discharged_with_follow_up", "no_mental_disorder", "other"});
  const auto end_reason = r.OptionalEnum("end_reason", {"assessment_complete", "period_expired"});
  const auto notes = r.OptionalString("notes", 4000);
  if (!r.ok()) return r.error();
  if (outcome == "other" && (!notes || notes->empty())) {
    return Error::InvalidArgument("notes", "describe the outcome when it is other");
  }
  auto at = StepTime(c.body, ctx, (*det)->decided_at, "the decision to detain");
  if (!at.ok()) return at.error();
  // Its clock warnings and waits end with it; a missed welfare check or review stays open for a
  // supervisor to see.
  Decision out = DetentionDecision(
      c.target, ctx, "detention.ended",
      {{"at", FormatIso(*at)},
       {"outcome", outcome},
       {"end_reason",
        end_reason.value_or((*det)->period_expired ? "period_expired" : "assessment_complete")},
       {"notes", notes.value_or("")},
       {"clock_alerts", boost::json::array{}},
       {"welfare_due", nullptr},
       {"review_due", nullptr},
       {"handover_due", nullptr},
       {"arrival_due", nullptr}});
  CloseDetentionAlerts(s, **det, {"s136_clock", "s136_not_arrived", "handover_wait"},
                       "closed by the system: the detention ended at " + LondonClock(*at), out);
  return out;
}

Detention* Mutable(State& s, const Event& e) {
  auto it = s.mh.detentions.find(Str(e.data, "detention_id"));
  return it == s.mh.detentions.end() ? nullptr : &it->second;
}

void ApplyCreated(State& s, const Event& e) {
  const auto& x = e.data;
  Detention d;
  d.id = Str(x, "detention_id");
  d.incident_id = Str(x, "incident_id");
  d.power = Str(x, "power");
  d.decided_at = OptTime(x, "decided_at").value_or(e.at);
  d.decided_by = e.actor.user_id;
  d.officer_collar = Str(x, "officer_collar");
  d.location_type = Str(x, "location_type");
  d.grounds = x.at("grounds").as_object();
  d.consultation = x.at("consultation").as_object();
  d.warrant = x.at("warrant").as_object();
  const auto& p = x.at("person").as_object();
  d.person.date_of_birth = Str(p, "date_of_birth");
  if (const auto* a = p.if_contains("age"); a && a->is_number()) {
    d.person.age = static_cast<int>(a->to_number<std::int64_t>());
  }
  d.person.appears_child = p.contains("appears_child") && p.at("appears_child").as_bool();
  d.person.sex = Str(p, "sex");
  d.person.ethnicity = Str(p, "ethnicity");
  d.person.person_id = Str(p, "person_id");
  d.kept_at_location = x.at("kept_at_location").as_bool();
  d.entered_at = OptTime(x, "entered_at");
  if (const auto* place = x.if_contains("place"); place && place->is_object()) {
    const auto* clock = x.at("clock").if_object();
    PlaceVisit v = PlaceFromJson(place->as_object(), d.decided_at);
    v.arrived_at = clock ? OptTime(*clock, "started_at") : d.decided_at;
    d.places.push_back(std::move(v));
    d.status = "at_place_of_safety";
    d.handover.arrived_at = d.places.back().arrived_at;
  }
  s.mh.next_detention++;
  auto& stored = s.mh.detentions[d.id] = std::move(d);
  s.mh.TrackDetention(stored);
  ApplySchedule(s, stored, x);
}

}  // namespace

void RegisterDetentions(Domain& d) {
  d.OnCommand("detention.create", DecideCreate);
  d.OnCommand("detention.search", DecideSearch);
  d.OnCommand("detention.conveyance", DecideConveyance);
  d.OnCommand("detention.outcome", DecideOutcome);
  d.OnEvent("detention.created", ApplyCreated);
  d.OnEvent("detention.searched", [](State& s, const Event& e) {
    if (Detention* d = Mutable(s, e)) {
      boost::json::object rec = e.data;
      rec.erase("detention_id");
      rec["by"] = e.actor.user_id;
      d->searches.push_back(std::move(rec));
    }
  });
  d.OnEvent("detention.conveyance_recorded", [](State& s, const Event& e) {
    if (Detention* d = Mutable(s, e)) {
      Conveyance c;
      c.mode = Str(e.data, "mode");
      c.ambulance_requested_at = OptTime(e.data, "ambulance_requested_at");
      c.ambulance_eta = OptTime(e.data, "ambulance_eta");
      c.departed_at = OptTime(e.data, "departed_at");
      c.police_vehicle_reason = Str(e.data, "police_vehicle_reason");
      c.reason_detail = Str(e.data, "reason_detail");
      c.recorded_at = e.at;
      d->conveyances.push_back(std::move(c));
    }
  });
  d.OnEvent("detention.ended", [](State& s, const Event& e) {
    if (Detention* d = Mutable(s, e)) {
      d->status = "ended";
      s.mh.TrackDetention(*d);
      d->ended_at = OptTime(e.data, "at").value_or(e.at);
      d->outcome = Str(e.data, "outcome");
      d->end_reason = Str(e.data, "end_reason");
      d->outcome_notes = Str(e.data, "notes");
      ApplySchedule(s, *d, e.data);
    }
  });
}

}  // namespace concordat::mh
