// Roles and what they may do: one table (roles.cpp, kPermissions), tested cell by cell.
//
// A permission is an action name ("incident.create", "alert.acknowledge", ...). Every route
// names the permission it needs; a role absent from that permission's row gets 403.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace concordat::api {

// The role names used in the API and configuration (DESIGN.md §2).
const std::vector<std::string>& AllRoles();
bool IsRole(std::string_view role);
// Partner (non-police) roles: clinician, amhp, ambulance, hub111.
bool IsPartnerRole(std::string_view role);

// True when `role` may perform `permission`. Unknown permissions are denied.
bool Allowed(std::string_view role, std::string_view permission);
// Every permission in the table, for tests and the OpenAPI document.
std::vector<std::string> AllPermissions();
std::vector<std::string> RolesFor(std::string_view permission);

}  // namespace concordat::api
