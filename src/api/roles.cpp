#include "api/roles.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace concordat::api {
namespace {

const std::vector<std::string> kRoles = {
    "call_handler", "controller", "supervisor", "officer",   "mh_team", "clinician",
    "amhp",         "ambulance",  "hub111",     "analyst",   "auditor", "admin"};

const std::set<std::string, std::less<>> kPartners = {"clinician", "amhp", "ambulance", "hub111"};

// Groups, to keep the table readable.
const std::vector<std::string> kControlRoom = {"call_handler", "controller", "supervisor"};
const std::vector<std::string> kPolice = {"call_handler", "controller", "supervisor", "officer",
                                          "mh_team",      "analyst",    "auditor",    "admin"};
const std::vector<std::string> kEveryone = kRoles;

std::vector<std::string> Join(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

// THE permission table. Rows are actions; cells are the roles allowed.
const std::map<std::string, std::vector<std::string>, std::less<>>& Table() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> t = {
      // Platform
      {"auth.me", kEveryone},
      {"reference.read", kEveryone},
      {"board.read", kPolice},
      {"stream.subscribe", kEveryone},
      {"alert.acknowledge", Join({kControlRoom, {"admin"}})},
      {"admin.clock", {"admin"}},
      {"account.read", {"admin", "auditor"}},
      {"account.manage", {"admin"}},
      // Who wrote a log entry or made a change: names and collars of the force's own staff.
      {"people.read", kPolice},
      // Command and control
      {"incident.create", Join({kControlRoom, {"officer", "admin"}})},
      {"incident.read", kEveryone},  // partners: only what is shared with them (routes filter)
      {"incident.thrive", Join({kControlRoom, {"admin"}})},
      {"incident.log", Join({kControlRoom, {"officer", "mh_team", "admin"}})},
      {"incident.regrade", Join({kControlRoom, {"admin"}})},
      {"incident.link_person", Join({kControlRoom, {"officer", "mh_team", "admin"}})},
      {"incident.close", {"controller", "supervisor", "admin"}},
      {"incident.reopen", {"controller", "supervisor", "admin"}},
      {"incident.recommend", Join({kControlRoom, {"admin"}})},
      {"assignment.create", {"controller", "supervisor", "officer", "admin"}},
      {"assignment.update", {"controller", "supervisor", "officer", "admin"}},
      {"assignment.stand_down", {"controller", "supervisor", "admin"}},
      {"unit.read", kPolice},
      {"unit.manage", {"supervisor", "admin"}},
      {"unit.update", {"controller", "supervisor", "officer", "admin"}},
      {"unit.emergency", {"controller", "supervisor", "officer", "admin"}},
      // BCU mental-health teams (issue 6): the team does the work; supervisors see the
      // organisation (org_vacancy alerts reach them on the board); analysts read.
      {"team.read", kPolice},
      {"team.manage", {"mh_team", "admin"}},
      {"person.create", Join({kControlRoom, {"officer", "mh_team", "admin"}})},
      {"person.read", Join({kControlRoom, {"officer", "mh_team", "analyst", "admin"}})},
      {"person.merge", {"mh_team", "supervisor", "admin"}},
      {"repeat_demand.read", {"mh_team", "supervisor", "analyst", "admin"}},
      {"hiu.read", {"mh_team", "analyst", "admin"}},
      {"hiu.manage", {"mh_team", "admin"}},
      {"training.read", kPolice},
      {"training.manage", {"mh_team", "admin"}},
      {"learning.read", kPolice},
      {"learning.manage", {"mh_team", "admin"}},
      // Mental-health pathway: officers record detentions, the control room reads them.
      {"mh.triage", Join({kControlRoom, {"admin"}})},
      {"detention.record", {"officer", "mh_team", "supervisor", "admin"}},
      {"detention.handover_accept", {"clinician"}},  // the site's trust only (mh_custody.cpp)
      {"detention.read", Join({kControlRoom, {"officer", "mh_team", "auditor", "admin"}})},
      {"decision.record", Join({kControlRoom, {"officer", "mh_team", "admin"}})},
      {"force.record", {"officer", "mh_team", "supervisor", "admin"}},
      {"place_of_safety.read", Join({kPolice, {"clinician"}})},
      {"place_of_safety.update", {"clinician", "supervisor", "admin"}},  // the site's trust only
      {"report.s136", {"mh_team", "analyst", "supervisor", "admin"}},
      {"report.read", {"supervisor", "mh_team", "analyst", "admin"}},  // issue 8: no personal data
      // Partners and information sharing
      {"agency.read", kEveryone},
      {"agreement.read", kEveryone},
      {"agreement.manage", {"supervisor", "admin"}},
      {"referral.create", Join({kControlRoom, {"officer", "mh_team", "admin"}})},
      {"referral.raise", {"clinician", "amhp", "ambulance", "hub111"}},
      {"referral.read", kEveryone},
      {"referral.respond",
       Join({kControlRoom, {"admin", "clinician", "amhp", "ambulance", "hub111"}})},
      {"register.read", kPolice},
      {"register.manage", {"mh_team", "supervisor", "admin"}},
      {"audit.read", {"auditor"}},
  };
  return t;
}

}  // namespace

const std::vector<std::string>& AllRoles() { return kRoles; }

bool IsRole(std::string_view role) {
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

bool IsPartnerRole(std::string_view role) { return kPartners.contains(role); }

bool Allowed(std::string_view role, std::string_view permission) {
  const auto& t = Table();
  auto it = t.find(permission);
  if (it == t.end()) {
    return false;
  }
  return std::find(it->second.begin(), it->second.end(), role) != it->second.end();
}

std::vector<std::string> AllPermissions() {
  std::vector<std::string> out;
  for (const auto& [k, v] : Table()) {
    out.push_back(k);
  }
  return out;
}

std::vector<std::string> RolesFor(std::string_view permission) {
  const auto& t = Table();
  auto it = t.find(permission);
  return it == t.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace concordat::api
