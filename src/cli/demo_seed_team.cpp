#include "cli/demo_seed_team.hpp"

#include <boost/json.hpp>

#include "core/state.hpp"

namespace concordat::cli {
namespace {

const Actor kSeedActor{"seed", "admin", "mps", ""};

Result<boost::json::value> Exec(Engine& engine, const std::string& key, std::string type,
                                std::string target, boost::json::object body) {
  Outcome o = engine.Execute(Command{std::move(type), std::move(target), std::move(body),
                                     kSeedActor, "demo-seed:team:" + key});
  if (!o.ok) return Error::Internal("demo seed step team:" + key + ": " + o.error.message);
  return o.reply;
}

#define SEED_TRY(expr) \
  if (auto r_ = (expr); !r_.ok()) return r_.error();

const char* const kSurnames[] = {"Okafor", "Patel",  "Murphy", "Nowak",  "Clarke", "Hussain",
                                 "Evans",  "Mensah", "Kaur",   "Walsh",  "Ahmed",  "Reid",
                                 "Silva",  "Byrne",  "Osei",   "Taylor", "Khan",   "Price"};
// Given names, so that a holder reads "PC Amira Ahmed" (the rank is a field of its own).
const char* const kGivenNames[] = {"Amira", "Ben",   "Chloe", "Dev",  "Ella", "Femi",  "Grace",
                                   "Hugo",  "Isla",  "Jamal", "Kate", "Liam", "Maya",  "Nikhil",
                                   "Orla",  "Piotr", "Rosa",  "Tom",  "Uma",  "Yusuf", "Zara"};

// Every BCU's team. North (NA) forms without its liaison officer and East (EA) with three
// constable posts empty, so supervisors see both org_vacancy alerts from the start.
Status SeedOrganisation(Engine& engine, const RefData& ref) {
  int n = 0;
  for (const Bcu& b : ref.bcus) {
    boost::json::object holders;
    auto person = [&](const char* rank) {
      ++n;
      return boost::json::object{
          {"collar", b.code + "-MH" + std::to_string(100 + n)},
          {"name", std::string(kGivenNames[n % 21]) + " " + kSurnames[n % 18]},
          {"rank", rank}};
    };
    holders[b.code + "-sergeant"] = person("PS");
    if (b.code != "NA") holders[b.code + "-liaison"] = person("PC");
    for (size_t i = 0; i < b.borough_codes.size(); ++i) {
      for (int k = 1; k <= 2; ++k) {
        if (b.code == "EA" && !(i == 0 && k == 1)) continue;  // East: one constable in post
        boost::json::object h = person("PC");
        h["function"] = i == 0 ? (k == 1 ? "high_intensity" : "partnerships_crisis")
                               : (k == 1 ? "prevention" : "partnerships_crisis");
        holders[b.code + "-" + b.borough_codes[i] + "-" + std::to_string(k)] = std::move(h);
      }
    }
    SEED_TRY(Exec(engine, "establish:" + b.code, "team.establish", b.code,
                  {{"holders", std::move(holders)}}));
  }
  return OkStatus();
}

Status SeedTraining(Engine& engine, const RefData& ref, Timestamp now) {
  struct C {
    const char* id;
    const char* title;
    const char* kind;
    int refresh;
  };
  const C courses[] = {
      {"mh-one-day", "One-day mental health training (co-produced with service users)",
       "mh_one_day", 36},
      {"respond", "Respond: multi-agency mental-health role-play", "respond_role_play", 36},
      {"peqf-mh", "PEQF foundation: mental health and vulnerability", "peqf_module", 0},
      {"local-rcrp", "Local update: Right Care, Right Person", "local_update", 12},
  };
  for (const auto& c : courses) {
    SEED_TRY(
        Exec(engine, std::string("course:") + c.id, "training.course_create", "",
             {{"id", c.id}, {"title", c.title}, {"kind", c.kind}, {"refresh_months", c.refresh}}));
  }
  const CivilDate today = LondonDate(now);
  auto day = [&](int days_ago) {
    return FormatDate(CivilFromDays(DaysFromCivil(today) - days_ago));
  };
  SEED_TRY(Exec(engine, "session:cs-respond", "training.session_create", "",
                {{"course_id", "respond"},
                 {"date", day(40)},
                 {"bcu", "CS"},
                 {"location", "Lambeth training suite"},
                 {"facilitators", {"PS Demo Mental Health Team"}},
                 {"co_facilitators",
                  {{{"name", "SLaM crisis team lead"},
                    {"organisation", "South London and Maudsley NHS Foundation Trust"},
                    {"role", "co-facilitator"}},
                   {{"name", "LAS mental-health nurse"},
                    {"organisation", "London Ambulance Service NHS Trust"},
                    {"role", "co-facilitator"}}}},
                 {"service_user_input", true},
                 {"service_user_note", "Two experts by experience led the role-play debrief"},
                 {"capacity", 24}}));
  // Completions for the demo crews (collars BCU-1001..1012), imported as a file would be:
  // two in three trained, at dates that make some refreshers due and some overdue.
  std::string csv = "collar,name,bcu,course,completed_on\n";
  for (const Bcu& b : ref.bcus) {
    for (int c = 1001; c <= 1012; ++c) {
      if (c % 3 == 0) continue;
      const std::string collar = b.code + "-" + std::to_string(c);
      csv += collar + ",Officer " + b.code + std::to_string(c) + "," + b.code + ",mh-one-day," +
             day((c * 97 + static_cast<int>(b.code[0]) * 13) % 1300) + "\n";
    }
  }
  SEED_TRY(Exec(engine, "import:crews", "training.import", "",
                {{"csv", csv}, {"mode", "valid_rows"}, {"file_name", "demo-crews.csv"}}));
  return OkStatus();
}

// A person with five mental-health contacts in 25 days (over the 30-day threshold), with a
// candidate flag waiting for its health-led review; and two records of one man, to show a match.
Status SeedRepeatDemand(Engine& engine, Timestamp now) {
  auto created = Exec(engine, "person:sam", "person.create", "",
                      {{"name", "Sam Taylor"},
                       {"date_of_birth", "1991-04-12"},
                       {"phone", "07700 900461"},
                       {"address", "Flat 3, 12 Coldharbour Lane, London SW9 8PR"}});
  if (!created.ok()) return created.error();
  const std::string sam(created->at("id").as_string());
  const int days_ago[] = {25, 17, 11, 6, 2};
  for (int k = 0; k < 5; ++k) {
    auto inc =
        Exec(engine, "sam-incident:" + std::to_string(k), "incident.create", "",
             {{"channel", k % 2 ? "101" : "999"},
              {"received_at", FormatIso(now - Hours(24 * days_ago[k]))},
              {"location",
               {{"lat", 51.4613},
                {"lon", -0.1156},
                {"address", k % 2 ? "3/12 Coldharbour Ln SW98PR" : "Flat 3, 12 Coldharbour Lane"},
                {"type", "private_dwelling"}}},
              {"type", "concern_for_welfare"},
              {"grade", "S"},
              {"flags", {"mental_health"}},
              {"description", "Caller concerned for her neighbour's safety (demo)"}});
    if (!inc.ok()) return inc.error();
    const std::string id(inc->at("id").as_string());
    SEED_TRY(Exec(engine, "sam-link:" + std::to_string(k), "incident.link_person", id,
                  {{"person_id", sam}}));
    SEED_TRY(Exec(engine, "sam-close:" + std::to_string(k), "incident.close", id,
                  {{"result_code", "advice_given"},
                   {"summary", "Spoken to; referred to the community mental-health team"}}));
  }
  SEED_TRY(Exec(engine, "flag:sam", "hiu.flag_raise", "",
                {{"subject_type", "person"},
                 {"subject_id", sam},
                 {"reason", "Five mental-health contacts in 25 days; for review with SLaM"}}));
  SEED_TRY(
      Exec(engine, "person:jon", "person.create", "",
           {{"name", "Jon Smith"}, {"date_of_birth", "1984-09-30"}, {"phone", "020 7946 0001"}}));
  SEED_TRY(Exec(
      engine, "person:john", "person.create", "",
      {{"name", "Mr John Smith"}, {"date_of_birth", "1984-09-30"}, {"phone", "+44 20 7946 0001"}}));
  return OkStatus();
}

Status SeedLearning(Engine& engine) {
  const std::string url =
      "https://www.met.police.uk/foi-ai/metropolitan-police/iopc/2022/jan/"
      "IPOC-learning-recommendation-response-to-investigation-into-complaints-about-treatment-"
      "of-patient-PC-2334-19/";
  const char* owner = "MPS Mental Health lead (Frontline Policing)";
  SEED_TRY(Exec(
      engine, "learning:001", "learning.create", "",
      {{"source", "IOPC"},
       {"reference", "PC/2334/19"},
       {"number", "2019/122222/001"},
       {"title", "A memorandum of understanding with London's mental-health trusts"},
       {"summary",
        "Create an MoU between all London mental-health trusts and the pan-London mental health "
        "group covering joint mental-health training, a mental health team with a liaison "
        "officer and regular liaison meetings, and a working protocol for the police response "
        "to mental-health incidents (paraphrase of the published recommendation)."},
       {"text_verified", true},
       {"source_url", url},
       {"response", "not_accepted_as_a_whole"},
       {"rationale",
        "London already works under the Crisis Care Concordat, the s136 pathway for Londoners "
        "and the national MoU on police attendance in mental-health settings. Instead of a new "
        "MoU the force set out its operating model: a Mental Health Team in each of the 12 BCUs "
        "(two constables per borough led by a sergeant, in three functions) with a liaison "
        "officer per BCU, joint training co-produced with service users, and liaison with the "
        "trusts through their strategic partnerships."},
       {"owner", owner},
       {"due_on", "2027-03-31"},
       {"status", "in_progress"},
       {"actions",
        {{{"text",
           "A Mental Health Team and liaison officer in every BCU; a vacancy is visible "
           "to supervisors the day it happens (org_vacancy alert)"},
          {"owner", "BCU Commanders"},
          {"due_on", "2027-03-31"},
          {"status", "in_progress"},
          {"evidence", "GET /api/team/organisation"}},
         {{"text", "Joint mental-health training for frontline staff against the 10,000 target"},
          {"owner", owner},
          {"due_on", "2027-03-31"},
          {"status", "in_progress"},
          {"evidence", "GET /api/training/coverage"}}}},
       {"evidence", {"Force response published January 2022 (source_url)"}}}));
  SEED_TRY(
      Exec(engine, "learning:002", "learning.create", "",
           {{"source", "IOPC"},
            {"reference", "PC/2334/19"},
            {"number", "2019/122222/002"},
            {"title", "Recording and control of officers attending an incident"},
            {"summary",
             "[Working summary: check against the published text] Learning on the attendance of "
             "about 26 officers after an emergency-button activation, most not assisting and many "
             "not updating the control room, so the CAD log was incomplete."},
            {"source_url", url},
            {"response", "accepted"},
            {"rationale",
             "Accepted. Under collective command and control and self-led deployment every "
             "deployment — dispatched or self-initiated — is one recorded, visible action."},
            {"owner", "Met Command and Control (MetCC)"},
            {"due_on", "2027-03-31"},
            {"status", "in_progress"},
            {"actions",
             {{{"text",
                "Attendance governance: recorded self-deployment, sufficient-resources "
                "advisories, over-attendance alerts with stand-down, status prompts, a "
                "tamper-evident log"},
               {"owner", "Met Command and Control (MetCC)"},
               {"due_on", "2027-03-31"},
               {"status", "in_progress"},
               {"evidence", "tests/integration/twenty_six_officers_test.cpp"}}}}}));
  SEED_TRY(
      Exec(engine, "learning:003", "learning.create", "",
           {{"source", "IOPC"},
            {"reference", "PC/2334/19"},
            {"number", "2019/122222/003"},
            {"title", "Recommendation 003"},
            {"summary",
             "[Working summary: replace with the published text] The third recommendation of "
             "PC/2334/19, not accepted in the form proposed."},
            {"source_url", url},
            {"response", "not_accepted_in_current_form"},
            {"rationale",
             "[Working summary] The force's alternative is proactive work by each BCU's Mental "
             "Health Team: identifying repeat demand linked to mental health, high-intensity-user "
             "programmes reviewed with health partners, problem-solving and co-ordinated "
             "multi-agency tasking."},
            {"owner", owner},
            {"due_on", "2027-03-31"},
            {"status", "open"},
            {"actions",
             {{{"text", "Repeat-demand review and health-led HIU cases in every BCU"},
               {"owner", "BCU Mental Health Team sergeants"},
               {"due_on", "2027-03-31"},
               {"status", "in_progress"},
               {"evidence", "GET /api/repeat-demand, GET /api/hiu/cases"}}}}}));
  return OkStatus();
}

}  // namespace

Status SeedTeams(Engine& engine, const RefData& ref, Timestamp now) {
  if (auto st = SeedOrganisation(engine, ref); !st.ok()) return st;
  if (auto st = SeedTraining(engine, ref, now); !st.ok()) return st;
  if (auto st = SeedRepeatDemand(engine, now); !st.ok()) return st;
  return SeedLearning(engine);
}

}  // namespace concordat::cli
