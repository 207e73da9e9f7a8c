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
      {"incident.create", {"call_handler", "controller", "supervisor", "officer", "admin"}},
      {"incident.read", kPoliceAll},
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
