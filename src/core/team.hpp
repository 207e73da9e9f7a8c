// BCU mental-health teams (issue 6): the organisation of each BCU's Mental Health Team, persons
// and repeat demand, high-intensity-user (HIU) flags and cases, training, and the register of
// learning recommendations. Decide/apply per CONTRIBUTING.md; views for the API.
//
// Commands (type → body; `target` is the path id):
//   team.establish        target=BCU  {holders?: {post_id: {collar, name, rank?, function?}}}
//   team.post_assign      target=post {collar, name, rank?, function (constables)}
//   team.post_vacate      target=post {reason, effective_at?}  (a future time: a timer vacates it)
//   person.create         {name, date_of_birth?, phone?, address?}
//   person.merge          target=survivor {person_id, reason}
//   person.split          target=survivor {person_id, reason}
//   person.not_same       target=person {person_id, reason}
//   hiu.flag_raise        {subject_type: person|address, subject_id, reason}
//   hiu.flag_review       target=flag {health_lead, health_organisation, lawful_basis, rationale,
//                                      review_date, expires_on}
//   hiu.flag_decide       target=flag {decision: case|no_action, reason, owner_collar?,
//                                      partner_leads?[]}
//   hiu.case_plan         target=case {owner_collar?, partner_leads?[], sara?{scanning,...}}
//   hiu.case_action_add   target=case {text, owner, due_on}
//   hiu.case_action_done  target=case {action_id, note?}
//   hiu.case_close        target=case {reason}
//   training.course_create   {id, title, kind, refresh_months, counts_for_coverage?, description?}
//   training.session_create  {course_id, date, bcu, location?, facilitators[], co_facilitators[],
//                             service_user_input, service_user_note?, capacity?}
//   training.completion_record {collar, name, bcu, course_id, completed_on, session_id?}
//   training.import          {csv, mode?: all_or_nothing|valid_rows, file_name?}
//   learning.create          {source, reference, number, title, summary, response, rationale, ...}
//   learning.update          target=recommendation {status?, evidence?, action?{index, status,
//                                                    evidence?}}
//
// Alerts raised: `org_vacancy` (audience "supervisor") the moment a BCU's team has no liaison
// officer or falls below strength — when it is established, when a post is vacated, or when a
// notified departure's timer fires.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "core/domain.hpp"

namespace concordat {

void RegisterTeam(Domain& d);

// Whether an incident counts as a mental-health-related contact (type or flag mental_health).
bool IsMentalHealthContact(const Incident& i);

// Organisation: every established BCU (or one), with posts, holders, vacancies, strength and the
// alert conditions in force.
boost::json::object OrganisationJson(const State& s, const Context& ctx, const std::string& bcu);

// A person with their linked incidents' counts; with `matches`, the possible matches.
boost::json::object PersonJson(const State& s, const Person& p, const Context& ctx, bool matches);
// Possible matches for a person: other standing records sharing a date of birth, phone or
// address with a similar name, each with its evidence. Never merged automatically.
boost::json::array PossibleMatchesJson(const State& s, const Person& p);

// GET /api/repeat-demand: {"at","bcu","rules","persons":[...],"addresses":[...]}.
boost::json::object RepeatDemandJson(const State& s, const Context& ctx, const std::string& bcu);

boost::json::object FlagJson(const State& s, const HiuFlag& f, const Context& ctx);
boost::json::object CaseJson(const State& s, const HiuCase& c, const Context& ctx);

// Training views. `status`: "" (all), due, overdue.
boost::json::object TrainingOfficerJson(const State& s, const TrainedOfficer& o,
                                        const Context& ctx);
boost::json::object TrainingDueJson(const State& s, const Context& ctx, const std::string& bcu,
                                    const std::string& status);
boost::json::object TrainingCoverageJson(const State& s, const Context& ctx);
boost::json::object CourseJson(const Course& c);
boost::json::object SessionJson(const TrainingSession& t);

// The crew member's mental-health training for the control room:
// {"status": current|due|overdue|none, "course", "completed_on", "due_on"}.
boost::json::object CrewTrainingJson(const State& s, const std::string& collar, Timestamp now);
// True when any crew member's coverage training is in date (not overdue).
bool CrewTrainedByRecord(const State& s, const Unit& u, Timestamp now);

boost::json::object LearningJson(const LearningRecommendation& r);

}  // namespace concordat
