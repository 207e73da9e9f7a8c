// The permission table, cell by cell: for every permission and every role, the expected answer
// is written out here independently of roles.cpp, so a change to either shows up as a failure.
#include "api/roles.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace concordat::api {
namespace {

const std::set<std::string> kAll = {"call_handler", "controller", "supervisor", "officer",
                                    "mh_team",      "clinician",  "amhp",       "ambulance",
                                    "hub111",       "analyst",    "auditor",    "admin"};
const std::set<std::string> kPoliceAll = {"call_handler", "controller", "supervisor", "officer",
                                          "mh_team",      "analyst",    "auditor",    "admin"};

const std::map<std::string, std::set<std::string>>& Expected() {
  static const std::map<std::string, std::set<std::string>> m = {
      {"auth.me", kAll},
      {"reference.read", kAll},
      {"board.read", kPoliceAll},
      {"stream.subscribe", kAll},
      {"alert.acknowledge", {"call_handler", "controller", "supervisor", "admin"}},
      {"admin.clock", {"admin"}},
      {"account.read", {"admin", "auditor"}},
      {"account.manage", {"admin"}},
      {"people.read", kPoliceAll},
      {"detention.handover_accept", {"clinician"}},
      {"incident.create", {"call_handler", "controller", "supervisor", "officer", "admin"}},
      {"incident.read", kAll},
      {"incident.thrive", {"call_handler", "controller", "supervisor", "admin"}},
      {"incident.log", {"call_handler", "controller", "supervisor", "officer", "mh_team", "admin"}},
      {"incident.regrade", {"call_handler", "controller", "supervisor", "admin"}},
      {"incident.link_person",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "admin"}},
      {"incident.close", {"controller", "supervisor", "admin"}},
      {"incident.reopen", {"controller", "supervisor", "admin"}},
      {"incident.recommend", {"call_handler", "controller", "supervisor", "admin"}},
      {"assignment.create", {"controller", "supervisor", "officer", "admin"}},
      {"assignment.update", {"controller", "supervisor", "officer", "admin"}},
      {"assignment.stand_down", {"controller", "supervisor", "admin"}},
      {"unit.read", kPoliceAll},
      {"unit.manage", {"supervisor", "admin"}},
      {"unit.update", {"controller", "supervisor", "officer", "admin"}},
      {"unit.emergency", {"controller", "supervisor", "officer", "admin"}},
      {"team.read", kPoliceAll},
      {"team.manage", {"mh_team", "admin"}},
      {"person.create",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "admin"}},
      {"person.read",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "analyst", "admin"}},
      {"person.merge", {"mh_team", "supervisor", "admin"}},
      {"repeat_demand.read", {"mh_team", "supervisor", "analyst", "admin"}},
      {"hiu.read", {"mh_team", "analyst", "admin"}},
      {"hiu.manage", {"mh_team", "admin"}},
      {"training.read", kPoliceAll},
      {"training.manage", {"mh_team", "admin"}},
      {"learning.read", kPoliceAll},
      {"learning.manage", {"mh_team", "admin"}},
      {"mh.triage", {"call_handler", "controller", "supervisor", "admin"}},
      {"detention.record", {"officer", "mh_team", "supervisor", "admin"}},
      {"detention.read",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "auditor", "admin"}},
      {"decision.record",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "admin"}},
      {"force.record", {"officer", "mh_team", "supervisor", "admin"}},
      {"place_of_safety.read",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "analyst", "auditor",
        "admin", "clinician"}},
      {"place_of_safety.update", {"clinician", "supervisor", "admin"}},
      {"report.s136", {"mh_team", "analyst", "supervisor", "admin"}},
      {"report.read", {"supervisor", "mh_team", "analyst", "admin"}},
      {"agency.read", kAll},
      {"agreement.read", kAll},
      {"agreement.manage", {"supervisor", "admin"}},
      {"referral.create",
       {"call_handler", "controller", "supervisor", "officer", "mh_team", "admin"}},
      {"referral.raise", {"clinician", "amhp", "ambulance", "hub111"}},
      {"referral.read", kAll},
      {"referral.respond",
       {"call_handler", "controller", "supervisor", "admin", "clinician", "amhp", "ambulance",
        "hub111"}},
      {"register.read", kPoliceAll},
      {"register.manage", {"mh_team", "supervisor", "admin"}},
      {"audit.read", {"auditor"}},
  };
  return m;
}

TEST(Roles, TwelveRolesAsDesigned) {
  EXPECT_EQ(std::set<std::string>(AllRoles().begin(), AllRoles().end()), kAll);
}

TEST(Roles, EveryCellOfThePermissionTable) {
  const auto perms = AllPermissions();
  ASSERT_EQ(perms.size(), Expected().size()) << "a permission was added or removed without "
                                                 "updating this test's expected table";
  for (const auto& perm : perms) {
    auto it = Expected().find(perm);
    ASSERT_NE(it, Expected().end()) << "unexpected permission " << perm;
    for (const auto& role : kAll) {
      EXPECT_EQ(Allowed(role, perm), it->second.contains(role))
          << "role " << role << " on " << perm;
    }
  }
}

TEST(Roles, UnknownPermissionOrRoleIsDenied) {
  EXPECT_FALSE(Allowed("admin", "no.such.permission"));
  EXPECT_FALSE(Allowed("superuser", "auth.me"));
}

TEST(Roles, PartnersAreTheFourHealthAndCareRoles) {
  for (const auto& r : kAll) {
    const bool partner = r == "clinician" || r == "amhp" || r == "ambulance" || r == "hub111";
    EXPECT_EQ(IsPartnerRole(r), partner) << r;
  }
}

}  // namespace
}  // namespace concordat::api
