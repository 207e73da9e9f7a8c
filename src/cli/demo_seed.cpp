#include "cli/demo_seed.hpp"

#include "api/roles.hpp"

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

}  // namespace

Result<std::vector<DemoAccount>> SeedDemo(UsersStore& users, Engine&, const RefData&,
                                          Timestamp now) {
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
      nu.collar = "AW-1001";
    }
    auto existing = users.FindByUsername(role);
    if (!existing.ok()) {
      return existing.error();
    }
    if (!*existing) {
      auto added = users.Add(nu, kDemoPassword, now);
      if (!added.ok()) {
        return added.error();
      }
    }
    out.push_back(DemoAccount{role, role, nu.agency_name});
  }
  return out;
}

}  // namespace concordat::cli
