// BCU mental-health teams (issue 6; DESIGN.md §4 Organisation, Repeat demand and HIU, Training,
// Learning recommendations): plain, described values, so snapshots and views convert with
// Boost.JSON. Dates a person writes (date of birth, due dates, completion days) are kept as
// "YYYY-MM-DD" London dates; instants are Timestamps.
//
// Derived members (the repeat-demand index and the person look-ups) are not in the snapshot;
// Reindex rebuilds them from the persons and the incidents.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/team_demand_index.hpp"
#include "core/time.hpp"

namespace concordat {

struct CadState;

// ---- Organisation: posts of each BCU's Mental Health Team --------------------------------------

struct PostHolder {
  std::string collar;
  std::string name;
  std::string rank;
  std::string function;  // constables: partnerships_crisis | prevention | high_intensity
  Timestamp since = 0;
};
BOOST_DESCRIBE_STRUCT(PostHolder, (), (collar, name, rank, function, since))

struct TeamPost {
  std::string id;  // "AW-sergeant", "AW-liaison", "AW-E09000033-1"
  std::string bcu;
  std::string kind;          // sergeant | constable | liaison
  std::string borough_code;  // constable posts only
  std::optional<PostHolder> holder;
  std::optional<Timestamp> vacant_since;
  std::optional<Timestamp> vacates_at;  // a notified departure that has not happened yet
  std::string vacate_reason;
};
BOOST_DESCRIBE_STRUCT(TeamPost, (),
                      (id, bcu, kind, borough_code, holder, vacant_since, vacates_at,
                       vacate_reason))

struct TeamBcu {
  std::string code;
  Timestamp established_at = 0;
  std::vector<std::string> post_ids;
  std::map<std::string, std::string> raised;  // alert condition → alert id, while it lasts
};
BOOST_DESCRIBE_STRUCT(TeamBcu, (), (code, established_at, post_ids, raised))

// ---- Persons
// -------------------------------------------------------------------------------------

struct Person {
  std::string id;
  std::string name;
  std::string date_of_birth;  // "" when not known
  std::string phone;
  std::string address;
  std::string name_key, phone_key, address_key;  // normalised (team_address.hpp)
  Timestamp created_at = 0;
  std::string created_by;
  std::string merged_into;          // "" while the record stands on its own
  std::vector<std::string> merged;  // records merged into this one
  std::set<std::string> not_same;   // possible matches a user said are someone else
};
BOOST_DESCRIBE_STRUCT(Person, (),
                      (id, name, date_of_birth, phone, address, name_key, phone_key, address_key,
                       created_at, created_by, merged_into, merged, not_same))

// ---- High-intensity-user flags and cases (RULES.md F31) --------------------------------------

struct HiuReview {
  Timestamp at = 0;
  std::string by;  // the Mental Health Team user recording it
  std::string health_lead;
  std::string health_organisation;
  std::string lawful_basis;
  std::string rationale;
  std::string review_date;  // London date
  Timestamp expires_at = 0;
};
BOOST_DESCRIBE_STRUCT(HiuReview, (),
                      (at, by, health_lead, health_organisation, lawful_basis, rationale,
                       review_date, expires_at))

struct HiuFlag {
  std::string id;
  std::string subject_type;  // person | address
  std::string subject_id;    // person id or address key
  std::string bcu;
  std::string status;  // candidate | reviewed | case | no_action | expired
  Timestamp raised_at = 0;
  std::string raised_by;
  std::string reason;
  boost::json::object evidence;  // the thresholds and incidents when raised
  std::vector<HiuReview> reviews;
  std::optional<Timestamp> expires_at;
  std::string decision_reason;
  std::optional<Timestamp> decided_at;
  std::string case_id;
  std::optional<Timestamp> ended_at;  // no_action or expired
  bool Open() const { return status == "candidate" || status == "reviewed" || status == "case"; }
};
BOOST_DESCRIBE_STRUCT(HiuFlag, (),
                      (id, subject_type, subject_id, bcu, status, raised_at, raised_by, reason,
                       evidence, reviews, expires_at, decision_reason, decided_at, case_id,
                       ended_at))

struct PartnerLead {
  std::string name;
  std::string organisation;
  std::string role;
};
BOOST_DESCRIBE_STRUCT(PartnerLead, (), (name, organisation, role))

struct SaraPlan {  // Scanning, Analysis, Response, Assessment
  std::string scanning, analysis, response, assessment;
};
BOOST_DESCRIBE_STRUCT(SaraPlan, (), (scanning, analysis, response, assessment))

struct CaseAction {
  std::string id;
  std::string text;
  std::string owner;
  std::string due_on;
  std::string status = "open";  // open | done
  Timestamp created_at = 0;
  std::optional<Timestamp> done_at;
  std::string note;
};
BOOST_DESCRIBE_STRUCT(CaseAction, (), (id, text, owner, due_on, status, created_at, done_at, note))

struct HiuCase {
  std::string id;
  std::string flag_id;
  std::string subject_type;
  std::string subject_id;
  std::string bcu;
  std::string owner_collar;
  std::string owner_name;
  std::vector<PartnerLead> partner_leads;
  SaraPlan sara;
  std::vector<CaseAction> actions;
  int next_action = 1;
  Timestamp opened_at = 0;
  std::string opened_by;
  std::string status = "open";  // open | closed
  std::optional<Timestamp> closed_at;
  std::string close_reason;
};
BOOST_DESCRIBE_STRUCT(HiuCase, (),
                      (id, flag_id, subject_type, subject_id, bcu, owner_collar, owner_name,
                       partner_leads, sara, actions, next_action, opened_at, opened_by, status,
                       closed_at, close_reason))

// ---- Training
// ------------------------------------------------------------------------------------

struct Course {
  std::string id;  // a code, e.g. "mh-one-day"
  std::string title;
  std::string kind;        // mh_one_day | respond_role_play | peqf_module | local_update | custom
  int refresh_months = 0;  // 0: never needs refreshing
  bool counts_for_coverage = false;  // counts towards the force's mental-health training target
  std::string description;
};
BOOST_DESCRIBE_STRUCT(Course, (),
                      (id, title, kind, refresh_months, counts_for_coverage, description))

struct TrainingSession {
  std::string id;
  std::string course_id;
  std::string date;
  std::string bcu;
  std::string location;
  std::vector<std::string> facilitators;
  std::vector<PartnerLead> co_facilitators;  // partner co-facilitators
  bool service_user_input = false;
  std::string service_user_note;
  int capacity = 0;
};
BOOST_DESCRIBE_STRUCT(TrainingSession, (),
                      (id, course_id, date, bcu, location, facilitators, co_facilitators,
                       service_user_input, service_user_note, capacity))

struct Completion {
  std::string course_id;
  std::string completed_on;
  std::string session_id;
  std::string source;  // recorded | import
  Timestamp recorded_at = 0;
  std::string recorded_by;
};
BOOST_DESCRIBE_STRUCT(Completion, (),
                      (course_id, completed_on, session_id, source, recorded_at, recorded_by))

struct TrainedOfficer {
  std::string collar;
  std::string name;
  std::string bcu;
  std::vector<Completion> completions;
};
BOOST_DESCRIBE_STRUCT(TrainedOfficer, (), (collar, name, bcu, completions))

struct TrainingState {
  std::map<std::string, Course> courses;
  std::map<std::string, TrainingSession> sessions;
  std::uint64_t next_session = 1;
  std::map<std::string, TrainedOfficer> officers;  // collar → record
  std::uint64_t imports = 0;
};
BOOST_DESCRIBE_STRUCT(TrainingState, (), (courses, sessions, next_session, officers, imports))

// ---- Learning recommendations -------------------------------------------------------------------

struct LearningAction {
  std::string text;
  std::string owner;
  std::string due_on;
  std::string status = "open";  // open | in_progress | done
  std::string evidence;
};
BOOST_DESCRIBE_STRUCT(LearningAction, (), (text, owner, due_on, status, evidence))

struct LearningRecommendation {
  std::string id;
  std::string source;     // "IOPC"
  std::string reference;  // "PC/2334/19"
  std::string number;     // "2019/122222/001"
  std::string title;
  std::string summary;
  bool text_verified = false;  // the summary was checked against the published text
  std::string source_url;
  std::string response;  // accepted | not_accepted | not_accepted_as_a_whole |
                         // not_accepted_in_current_form | partially_accepted
  std::string rationale;
  std::string owner;
  std::string due_on;
  std::vector<LearningAction> actions;
  std::vector<std::string> evidence;
  std::string status = "open";  // open | in_progress | implemented | closed
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
};
BOOST_DESCRIBE_STRUCT(LearningRecommendation, (),
                      (id, source, reference, number, title, summary, text_verified, source_url,
                       response, rationale, owner, due_on, actions, evidence, status, created_at,
                       updated_at))

// Look-ups for possible person matches (derived).
struct PersonLookup {
  std::map<std::string, std::set<std::string>> by_dob, by_phone, by_address;
  void Add(const Person& p);
};

struct TeamState {
  std::map<std::string, TeamBcu> bcus;
  std::map<std::string, TeamPost> posts;
  std::map<std::string, Person> persons;
  std::uint64_t next_person = 1;
  std::map<std::string, HiuFlag> flags;
  std::uint64_t next_flag = 1;
  std::map<std::string, HiuCase> cases;
  std::uint64_t next_case = 1;
  TrainingState training;
  std::map<std::string, LearningRecommendation> learning;
  std::uint64_t next_learning = 1;

  RepeatDemandIndex demand;  // derived
  PersonLookup lookup;       // derived

  // Rebuilds the derived members from the persons and the incidents (after a snapshot restore).
  void Reindex(const CadState& cad);
};
BOOST_DESCRIBE_STRUCT(TeamState, (),
                      (bcus, posts, persons, next_person, flags, next_flag, cases, next_case,
                       training, learning, next_learning))

}  // namespace concordat
