// Right Care, Right Person triage of a mental-health-related call (RULES.md D22–D26) with the
// AWOL rules by legal status (D24) and the national MoU on police attendance at mental-health
// units (E28). RCRP is a partnership agreement, not law: apart from s18's limits the record is
// required, the threshold is recorded, and departures from guidance are flagged, not blocked.
#include "core/mh_internal.hpp"

namespace concordat::mh {
namespace {

std::string AwolPowers(const std::string& status) {
  // Mental Health Act 1983 s18 and the Code of Practice ch. 28.
  if (status == "informal") {
    return "informal patient: not liable to be taken into custody or returned under s18; police "
           "attend only on the RCRP threshold";
  }
  if (status == "part2") {
    return "detained under Part II: may be taken into custody and returned under s18 by an "
           "AMHP, hospital staff or a constable";
  }
  if (status == "part3") {
    return "detained under Part III: may be taken into custody and returned under s18; the "
           "hospital reports immediately (restricted patients: also the Ministry of Justice)";
  }
  return "community treatment order: recalled patients may be taken into custody and returned "
         "under s18";
}

Result<Decision> DecideTriage(const State& s, const Command& c, const Context& ctx) {
  auto inc = cad::FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string call_type = r.Enum("call_type", {"concern_for_welfare", "walkout", "awol",
                                                     "medical_need", "transport", "s136_handover"});
  const std::string threshold =
      r.Enum("threshold", {"crime", "risk_to_life", "serious_harm", "none"});
  const std::string rationale = r.String("rationale", 4000);
  const bool caller_told = r.Bool("caller_told");
  const auto signposted = r.OptionalEnum(
      "signposted_to", {"trust_crisis_line", "nhs111_mh", "ambulance", "gp", "other"});
  const auto signposted_detail = r.OptionalString("signposted_detail", 500);
  const auto handover_made = r.OptionalBool("warm_handover.made");
  const auto handover_to = r.OptionalString("warm_handover.to", 200);
  const auto handover_at = r.OptionalTime("warm_handover.at");
  const auto handover_why_not = r.OptionalString("warm_handover.reason_not_made", 1000);
  const auto legal_status =
      r.OptionalEnum("awol.patient_legal_status", {"informal", "part2", "part3", "cto"});
  const auto absent_since = r.OptionalTime("awol.absent_since");
  const auto reported_at = r.OptionalTime("awol.hospital_reported_at");
  const auto dangerous = r.OptionalBool("awol.dangerous");
  const auto vulnerable = r.OptionalBool("awol.particularly_vulnerable");
  const auto return_s18 = r.OptionalBool("awol.return_under_s18");
  const auto* unit_request = r.Object("mh_unit_request");
  const auto unit_name = r.OptionalString("mh_unit_request.unit", 200);
  const auto purpose = r.OptionalString("mh_unit_request.purpose", 2000);
  const auto exception = r.OptionalEnum(
      "mh_unit_request.exception",
      {"staff_injured", "too_few_staff", "risk_to_life", "property_damage", "weapon_or_hostage"});
  if (!r.ok()) return r.error();

  std::vector<std::string> warnings;
  boost::json::object data{
      {"incident_id", c.target},
      {"version", s.mh.triage.contains(c.target) ? s.mh.triage.at(c.target).size() + 1 : 1},
      {"call_type", call_type},
      {"threshold", threshold},
      {"rationale", rationale},
      {"police_attend", threshold != "none"},
      {"caller_told", caller_told}};
  // D26: the caller is told whether police will attend — a required field.
  if (!caller_told) warnings.push_back("tell the caller whether police will attend");
  // D22: below the threshold, record where the caller was signposted and the warm handover.
  if (threshold == "none") {
    if (!signposted) {
      return Error::InvalidArgument("signposted_to",
                                    "below the RCRP threshold, record the agency "
                                    "the caller was signposted to");
    }
    if (*signposted == "other" && (!signposted_detail || signposted_detail->empty())) {
      return Error::InvalidArgument("signposted_detail", "name the agency");
    }
    if (!handover_made) {
      return Error::InvalidArgument("warm_handover.made",
                                    "below the RCRP threshold, record "
                                    "whether a warm handover was made");
    }
    if (!*handover_made && (!handover_why_not || handover_why_not->empty())) {
      return Error::InvalidArgument("warm_handover.reason_not_made",
                                    "record why no warm handover was made");
    }
    data["signposted_to"] = *signposted;
    data["signposted_detail"] = signposted_detail.value_or("");
    data["warm_handover"] = {{"made", *handover_made},
                             {"to", handover_to.value_or("")},
                             {"at", handover_at ? FormatIso(*handover_at) : std::string()},
                             {"reason_not_made", handover_why_not.value_or("")}};
  }
  // D24: AWOL by legal status.
  if (call_type == "awol") {
    if (!legal_status) {
      return Error::InvalidArgument("awol.patient_legal_status",
                                    "an AWOL call records the patient's legal status: informal, "
                                    "part2, part3 or cto");
    }
    if (*legal_status == "informal" && return_s18.value_or(false)) {
      return Error::FailedPrecondition(
          "MHA 1983 s18: an informal patient is not liable to be taken into custody and returned "
          "under section 18",
          "awol.return_under_s18");
    }
    const bool immediate =
        *legal_status == "part3" || dangerous.value_or(false) || vulnerable.value_or(false);
    if (immediate && !reported_at) {
      return Error::InvalidArgument("awol.hospital_reported_at",
                                    "Part III, dangerous or particularly vulnerable patients are "
                                    "reported by the hospital immediately: record when");
    }
    boost::json::object awol{{"patient_legal_status", *legal_status},
                             {"powers", AwolPowers(*legal_status)},
                             {"dangerous", dangerous.value_or(false)},
                             {"particularly_vulnerable", vulnerable.value_or(false)},
                             {"immediate_report_required", immediate},
                             {"absent_since", TimeOrNull(absent_since)},
                             {"hospital_reported_at", TimeOrNull(reported_at)},
                             {"return_under_s18", return_s18.value_or(false)}};
    if (immediate && absent_since && reported_at &&
        *reported_at - *absent_since > ctx.policy->mental_health.awol_report_within) {
      awol["late_report"] = true;
      warnings.push_back("the hospital did not report the absence immediately");
    }
    data["awol"] = std::move(awol);
  }
  Decision d;
  // E28: a request from a mental-health unit records the MoU exception, or is flagged.
  if (unit_request != nullptr) {
    data["mh_unit_request"] = {{"unit", unit_name.value_or("")},
                               {"purpose", purpose.value_or("")},
                               {"exception", exception.value_or("")},
                               {"mou_flag", !exception.has_value()}};
    if (!exception) {
      warnings.push_back("no MoU exception recorded: the request is flagged for review");
      d.events.push_back(MakeAlertRaised(
          s, 0, "mou_flag", c.target, {},
          "MoU: " + (*inc)->reference + " — a request from " +
              unit_name.value_or("a mental-health "
                                 "unit") +
              " records none of the exceptions (staff injured, too few staff, risk to life, "
              "serious property damage, weapon or hostage)",
          {{"incident_id", c.target}}, "supervisor"));
    }
  }
  d.events.push_back(NewEvent{cad::IncidentStream(c.target), "mh.triaged", classification::kHealth,
                              std::move(data)});
  // D22: below the threshold the police will not attend, so the incident no longer waits for a
  // unit against a response target: it is graded R (referred; no target), recorded as a regrade
  // with its reason. A later triage that finds the threshold met leaves the grade to the
  // controller (the reply says so).
  const Incident& i = **inc;
  if (threshold == "none" && i.status == "open" && i.grade != "R" &&
      ctx.policy->FindGrade("R") != nullptr) {
    d.events.push_back(
        NewEvent{cad::IncidentStream(c.target),
                 "incident.regraded",
                 classification::kOperational,
                 {{"incident_id", c.target},
                  {"from", i.grade},
                  {"grade", "R"},
                  {"reason", "RCRP triage: below the threshold, police will not attend"},
                  {"target_at", nullptr}}});
    Incident after = cad::AttendanceCopy(i);
    after.grade = "R";
    cad::GovernAttendance(s, after, ctx, d.events, cad::CountAlerts(d.events));
  } else if (threshold != "none" && i.grade == "R") {
    warnings.push_back(
        "the incident is graded R (no police attendance): regrade it for police to attend");
  }
  const std::string id = c.target;
  d.reply = [id, warnings](const State& st) -> boost::json::value {
    const Triage& t = st.mh.triage.at(id).back();
    boost::json::object o = t.data;
    o["at"] = FormatIso(t.at);
    o["author"] = t.author;
    o["warnings"] = StrArray(warnings);
    return o;
  };
  return d;
}

}  // namespace

void RegisterTriage(Domain& d) {
  d.OnCommand("mh.triage", DecideTriage);
  d.OnEvent("mh.triaged", [](State& s, const Event& e) {
    Triage t;
    t.at = e.at;
    t.author = e.actor.user_id;
    t.data = e.data;
    auto& list = s.mh.triage[Str(e.data, "incident_id")];
    t.version = static_cast<int>(list.size()) + 1;
    list.push_back(std::move(t));
  });
}

}  // namespace concordat::mh
