#include "cli/demo_seed.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "api/roles.hpp"
#include "cli/demo_seed_mh.hpp"
#include "cli/demo_seed_team.hpp"
#include "core/state.hpp"

namespace concordat::cli {
namespace {

struct AgencyOf {
  const char* role;
  const char* id;
  const char* name;
  const char* display;
};

// Partner accounts belong to seeded agencies (see the partners issue for the agency register).
constexpr AgencyOf kAgencies[] = {
    {"clinician", "trust-slam", "South London and Maudsley NHS Foundation Trust",
     "Demo Clinician (SLaM street triage)"},
    {"amhp", "amhp-lambeth", "Lambeth Council AMHP Service", "Demo AMHP (Lambeth)"},
    {"ambulance", "las", "London Ambulance Service NHS Trust", "Demo LAS Dispatcher"},
    {"hub111", "nhs111-mh-london", "NHS 111 Mental Health Hub (London)", "Demo 111 Hub Clinician"},
};

std::string DisplayName(const std::string& role) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"call_handler", "Demo Call Handler"}, {"controller", "Demo Controller"},
      {"supervisor", "Demo Inspector (Control Room)"}, {"officer", "PC Demo Officer"},
      {"mh_team", "PS Demo Mental Health Team"}, {"analyst", "Demo Analyst"},
      {"auditor", "Demo Auditor (Professional Standards)"}, {"admin", "Demo Administrator"}};
  for (const auto& [r, n] : kNames) {
    if (role == r) {
      return n;
    }
  }
  return role;
}


// Deterministic positions: a small linear congruential generator, so every demo looks the same.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : x_(seed) {}
  double Next() {
    x_ = x_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x_ >> 11) / static_cast<double>(1ULL << 53);
  }

 private:
  std::uint64_t x_;
};

const Actor kSeedActor{"seed", "admin", "mps", ""};

Status Run(Engine& engine, const std::string& key, std::string type, std::string target,
           boost::json::object body) {
  Outcome o = engine.Execute(Command{std::move(type), std::move(target), std::move(body),
                                     kSeedActor, "demo-seed:" + key});
  if (!o.ok && o.error.code != ErrorCode::kAlreadyExists) {
    return Error::Internal("demo seed step " + key + ": " + o.error.message);
  }
  return OkStatus();
}

// Six response units per BCU, crewed, spread over the BCU's boroughs, most available.
Status SeedUnits(Engine& engine, const RefData& ref, Timestamp now) {
  Lcg rng(20191122);
  static const char* kRanks[] = {"PC", "PC", "PC", "PS"};
  for (const auto& bcu : ref.bcus) {
    for (int n = 1; n <= 6; ++n) {
      const std::string call_sign = bcu.code + std::to_string(10 + n);
      boost::json::array crew;
      for (int m = 0; m < 2; ++m) {
        const int collar_n = 1000 + n * 2 - 1 + m;
        boost::json::array skills{"first_aid"};
        if ((n + m) % 3 == 0) skills.emplace_back("mental_health_trained");
        if (n % 2 == 0 && m == 0) skills.emplace_back("taser");
        crew.push_back({{"collar", bcu.code + "-" + std::to_string(collar_n)},
                        {"name", "Officer " + bcu.code + std::to_string(collar_n)},
                        {"rank", kRanks[(n + m) % 4]},
                        {"skills", skills}});
      }
      boost::json::array caps{"response"};
      if (n == 6) caps.emplace_back("dog");
      if (auto st = Run(engine, "unit:" + call_sign, "unit.create", "",
                        {{"call_sign", call_sign},
                         {"bcu", bcu.code},
                         {"crew", crew},
                         {"capabilities", caps},
                         {"status", n == 5 ? "off_duty" : "available"}});
          !st.ok()) {
        return st;
      }
      const Borough* home = ref.FindBorough(bcu.borough_codes[static_cast<size_t>(n) %
                                                              bcu.borough_codes.size()]);
      const LatLon c = home ? home->centroid : bcu.centroid;
      const double lat = c.lat + (rng.Next() - 0.5) * 0.03;
      const double lon = c.lon + (rng.Next() - 0.5) * 0.05;
      if (auto st = Run(engine, "fix:" + call_sign, "unit.location", "unit-" + call_sign,
                        {{"lat", lat}, {"lon", lon}, {"fixed_at", FormatIso(now)},
                         {"accuracy_m", 10}});
          !st.ok()) {
        return st;
      }
    }
  }
  return OkStatus();
}

// A few live incidents so the board has work on it.
Status SeedIncidents(Engine& engine) {
  struct Demo {
    const char* key;
    double lat, lon;
    const char* address;
    const char* loc_type;
    const char* type;
    const char* grade;
    std::vector<const char*> flags;
    const char* description;
    const char* assign;
  };
  const Demo demos[] = {
      {"inc-westminster-bridge", 51.50081, -0.12186, "Westminster Bridge, SE1", "public_place",
       "mental_health", "I", {"mental_health", "vulnerability"},
       "Caller reports a man in distress on the bridge parapet, talking about ending his life.",
       "unit-AW11"},
      {"inc-brixton-welfare", 51.46130, -0.11560, "Brixton Road, SW9", "private_dwelling",
       "concern_for_welfare", "S", {"mental_health"},
       "Neighbour has not seen the occupant for three days; known mental-health history.", ""},
      {"inc-stratford-shoplift", 51.54307, -0.00335, "Westfield Stratford City, E20",
       "public_place", "theft", "E", {},
       "Security hold a shoplifter; no violence.", ""},
  };
  for (const auto& d : demos) {
    boost::json::array flags;
    for (const char* f : d.flags) flags.emplace_back(f);
    Outcome o = engine.Execute(Command{"incident.create",
                                       "",
                                       {{"channel", "999"},
                                        {"caller", {{"name", "Demo Caller"}, {"phone", "07700 900000"}}},
                                        {"location",
                                         {{"lat", d.lat},
                                          {"lon", d.lon},
                                          {"address", d.address},
                                          {"type", d.loc_type}}},
                                        {"type", d.type},
                                        {"grade", d.grade},
                                        {"flags", flags},
                                        {"description", d.description}},
                                       kSeedActor,
                                       std::string("demo-seed:") + d.key});
    if (!o.ok) {
      return Error::Internal(std::string("demo seed incident ") + d.key + ": " + o.error.message);
    }
    if (*d.assign != 0) {
      const std::string id(o.reply.at("id").as_string());
      if (auto st = Run(engine, std::string("assign:") + d.key, "assignment.create", id,
                        {{"unit_id", d.assign}, {"mode", "dispatched"}});
          !st.ok()) {
        return st;
      }
    }
  }
  return OkStatus();
}

// Information-sharing agreements for the demo partner agencies, a referral to the trust, the
// national MoU on the register, and a liaison meeting with an action already overdue.
Status SeedPartners(Engine& engine, Timestamp now) {
  struct Isa {
    const char* agency;
    std::vector<const char*> categories;
    const char* regime;
    const char* condition;
    const char* purpose;
  };
  const Isa isas[] = {
      {"trust-slam",
       {"incident_summary", "location", "mental_health_flags", "person_identity",
        "detention_record", "health_information"},
       "uk_gdpr_art9", "sch1_para2_health_social_care",
       "Street triage, s136 consultation and handover at the Maudsley place of safety"},
      {"amhp-lambeth",
       {"incident_summary", "location", "person_identity", "detention_record"},
       "uk_gdpr_art9", "sch1_para2_health_social_care", "AMHP assessments and s135 warrants"},
      {"las", {"incident_summary", "location", "mental_health_flags"}, "uk_gdpr_art9",
       "sch1_para2_health_social_care", "Conveyance of people detained under s136"},
      {"nhs111-mh-london", {"incident_summary", "mental_health_flags", "health_information"},
       "uk_gdpr_art9", "sch1_para2_health_social_care",
       "Right Care, Right Person: warm handover to the 111 mental-health option"},
  };
  for (const auto& i : isas) {
    boost::json::array cats;
    for (const char* c : i.categories) cats.emplace_back(c);
    if (auto st = Run(engine, std::string("isa:") + i.agency, "agreement.create", "",
                      {{"agency_id", i.agency},
                       {"categories", cats},
                       {"regime", i.regime},
                       {"condition", i.condition},
                       {"purpose", i.purpose},
                       {"start", FormatIso(now - Hours(24 * 30))},
                       {"end", FormatIso(now + Hours(24 * 335))},
                       {"review_date", FormatIso(now + Hours(24 * 150))}});
        !st.ok()) {
      return st;
    }
  }
  // The Brixton welfare call goes to SLaM's street triage.
  const std::string brixton = engine.Read([](const State& s) {
    for (const auto& [id, i] : s.cad.incidents) {
      if (i.location.address == "Brixton Road, SW9") return id;
    }
    return std::string();
  });
  if (!brixton.empty()) {
    if (auto st = Run(engine, "referral:brixton", "referral.create", brixton,
                      {{"agency_id", "trust-slam"},
                       {"type", "street_triage"},
                       {"note", "Known to SLaM community team; please advise on approach"}});
        !st.ok()) {
      return st;
    }
  }
  if (auto st = Run(engine, "register:mou2017", "register.create", "",
                    {{"kind", "mou"},
                     {"title", "National MoU on police attendance in mental-health settings (2017)"},
                     {"parties", {"mps", "trust-slam", "trust-elft", "trust-cnwl"}},
                     {"status", "active"},
                     {"review_date", FormatIso(now + Hours(24 * 60))}});
      !st.ok()) {
    return st;
  }
  return Run(engine, "meeting:cs-slam", "meeting.create", "",
             {{"bcu", "CS"},
              {"agency_id", "trust-slam"},
              {"date", FormatIso(now - Hours(24 * 14))},
              {"attendees", {"PS Demo Mental Health Team", "SLaM crisis lead"}},
              {"minutes", "Reviewed s136 handover waits at the Maudsley place of safety."},
              {"actions",
               boost::json::array{{{"text", "Share handover-wait figures for October"},
                                   {"owner", "SLaM crisis lead"},
                                   {"due", FormatIso(now - Hours(24 * 2))}},
                                  {{"text", "Brief response teams on the HBPoS phone line"},
                                   {"owner", "PS Demo Mental Health Team"},
                                   {"due", FormatIso(now + Hours(24 * 7))}}}}});
}

}  // namespace

Result<std::vector<DemoAccount>> SeedDemo(UsersStore& users, Engine& engine, const RefData& ref,
                                          Timestamp now) {
  // The seed records stories that began hours ago; timers due in that past fire once the whole
  // story is recorded, not between two of its steps (e.g. a handover alert before the recorded
  // handover).
  struct Hold {
    Engine& e;
    explicit Hold(Engine& engine) : e(engine) { e.HoldTimers(true); }
    ~Hold() { e.HoldTimers(false); }
  } hold(engine);
  if (auto st = SeedUnits(engine, ref, now); !st.ok()) {
    return st.error();
  }
  if (auto st = SeedIncidents(engine); !st.ok()) {
    return st.error();
  }
  if (auto st = SeedPartners(engine, now); !st.ok()) {
    return st.error();
  }
  if (auto st = SeedTeams(engine, ref, now); !st.ok()) {  // demo_seed_team.cpp (issue 6)
    return st.error();
  }
  if (auto st = SeedMentalHealth(engine, now); !st.ok()) {  // demo_seed_mh.cpp (issue 4)
    return st.error();
  }
  std::vector<DemoAccount> out;
  for (const auto& role : api::AllRoles()) {
    NewUser nu{role, DisplayName(role), role, "mps", "Metropolitan Police Service", "", true};
    for (const auto& a : kAgencies) {
      if (role == a.role) {
        nu.agency_id = a.id;
        nu.agency_name = a.name;
        nu.name = a.display;
      }
    }
    if (role == "officer") {
      nu.collar = "AW-1001";  // crews AW11 in the demo seed
    }
    auto existing = users.FindByUsername(role);
    if (!existing.ok()) {
      return existing.error();
    }
    if (!*existing) {
      auto added = users.Add(nu, kDemoPassword, now, AccountCommand{"", "demo-seed", ""});
      // already_exists: another server seeding the same shared database got there first.
      if (!added.ok() && added.error().code != ErrorCode::kAlreadyExists) {
        return added.error();
      }
    }
    out.push_back(DemoAccount{role, role, nu.agency_name});
  }
  return out;
}

}  // namespace concordat::cli
