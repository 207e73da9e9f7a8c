#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "api/roles.hpp"
#include "cli/commands.hpp"
#include "cli/store_open.hpp"
#include "core/json_fields.hpp"
#include "engine/clock.hpp"
#include "store/users_store.hpp"

namespace concordat::cli {
namespace {

std::string ReadPassword(const std::string& given) {
  if (!given.empty()) {
    return given;
  }
  std::string line;
  std::getline(std::cin, line);
  return line;
}

// Prints "`what`: `message`" and sets the exit code for a command that failed.
void Refuse(const std::string& what, const std::string& message, int& exit_code) {
  fmt::print(stderr, "{}: {}\n", what, message);
  exit_code = 2;
}

// The accounts of `f` (see OpenUsersOf), or nullptr after saying why not.
std::unique_ptr<UsersStore> OpenOrRefuse(const StoreFlags& f, bool create, const std::string& what,
                                         int& exit_code) {
  auto store = OpenUsersOf(f, create);
  if (!store.ok()) {
    Refuse(what, store.error().message, exit_code);
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace

void AddUsersCommand(CLI::App& app, int& exit_code) {
  auto* users = app.add_subcommand("users", "Manage accounts");
  users->require_subcommand(1);
  struct Opts {
    StoreFlags store;
    std::string username, name, role, agency_id = "mps",
                              agency_name = "Metropolitan Police Service", collar, password;
  };
  auto o = std::make_shared<Opts>();
  auto add_data = [o](CLI::App* c) { AddStoreOptions(c, o->store); };

  auto* add = users->add_subcommand("add", "Add an account (password from --password or stdin)");
  add_data(add);
  add->add_option("username", o->username, "Login name (a-z, 0-9, . _ -)")->required();
  add->add_option("--role", o->role, "Role")->required();
  add->add_option("--name", o->name, "Display name");
  add->add_option("--agency-id", o->agency_id, "Agency id")->capture_default_str();
  add->add_option("--agency-name", o->agency_name, "Agency name")->capture_default_str();
  add->add_option("--collar", o->collar, "Collar number (officers)");
  add->add_option("--password", o->password, "Password (else read one line from stdin)");
  add->callback([o, &exit_code] {
    if (!api::IsRole(o->role)) {
      std::string roles;
      for (const auto& r : api::AllRoles()) {
        roles += (roles.empty() ? "" : ", ") + r;
      }
      fmt::print(stderr, "users add: unknown role '{}'; roles: {}\n", o->role, roles);
      exit_code = 2;
      return;
    }
    // As the API and the accounts screen: an officer's own unit is found by the collar number
    // (its crew), so an officer's account without one could do nothing. (A name stays optional
    // here, for a recovery account made from a shell.)
    if (o->role == "officer" && IsBlank(o->collar)) {
      fmt::print(stderr,
                 "users add: an officer's account needs --collar: it is how the officer's unit is "
                 "found\n");
      exit_code = 2;
      return;
    }
    auto store = OpenOrRefuse(o->store, /*create=*/true, "users add", exit_code);
    if (!store) return;
    auto u = store->Add(
        NewUser{o->username, o->name, o->role, o->agency_id, o->agency_name, o->collar, false},
        ReadPassword(o->password), RealClock().Now());
    if (!u.ok()) return Refuse("users add", u.error().message, exit_code);
    fmt::print("added {} ({}, {})\n", u->user.username, u->user.role, u->user.agency_name);
  });

  auto* list = users->add_subcommand("list", "List accounts");
  add_data(list);
  list->callback([o, &exit_code] {
    auto store = OpenOrRefuse(o->store, /*create=*/false, "users list", exit_code);
    if (!store) return;
    auto all = store->List();
    if (!all.ok()) return Refuse("users list", all.error().message, exit_code);
    // Columns as wide as their longest value, so that long agency names keep them aligned.
    size_t wu = 8, wr = 4, wa = 6;
    for (const auto& u : *all) {
      wu = std::max(wu, u.username.size());
      wr = std::max(wr, u.role.size());
      wa = std::max(wa, u.agency_name.size());
    }
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", "USERNAME", wu, "ROLE", wr, "AGENCY", wa, "STATE");
    for (const auto& u : *all) {
      fmt::print("{:<{}}  {:<{}}  {:<{}}  {}{}\n", u.username, wu, u.role, wr, u.agency_name, wa,
                 u.disabled ? "disabled" : "active", u.demo ? " (demo)" : "");
    }
  });

  for (const bool disable : {true, false}) {
    auto* c = users->add_subcommand(disable ? "disable" : "enable",
                                    disable ? "Disable an account (ends its sessions)"
                                            : "Enable a disabled account");
    add_data(c);
    c->add_option("username", o->username, "Login name")->required();
    c->callback([o, disable, &exit_code] {
      auto store = OpenOrRefuse(o->store, /*create=*/false, "users", exit_code);
      if (!store) return;
      auto st = store->SetDisabled(o->username, disable, RealClock().Now());
      if (!st.ok()) return Refuse("users", st.error().message, exit_code);
      fmt::print("{} {}\n", disable ? "disabled" : "enabled", o->username);
    });
  }

  auto* unlock = users->add_subcommand(
      "unlock", "Lift the sign-in lock that too many failed sign-ins put on an account");
  add_data(unlock);
  unlock->add_option("username", o->username, "Login name")->required();
  unlock->callback([o, &exit_code] {
    auto store = OpenOrRefuse(o->store, /*create=*/false, "users unlock", exit_code);
    if (!store) return;
    auto st = store->Unlock(o->username, RealClock().Now());
    if (!st.ok()) return Refuse("users unlock", st.error().message, exit_code);
    fmt::print("unlocked {}: it may sign in again\n", o->username);
  });

  auto* pw = users->add_subcommand("passwd", "Set a password (ends the account's sessions)");
  add_data(pw);
  pw->add_option("username", o->username, "Login name")->required();
  pw->add_option("--password", o->password, "Password (else read one line from stdin)");
  pw->callback([o, &exit_code] {
    auto store = OpenOrRefuse(o->store, /*create=*/false, "users passwd", exit_code);
    if (!store) return;
    auto st = store->SetPassword(o->username, ReadPassword(o->password), RealClock().Now());
    if (!st.ok()) return Refuse("users passwd", st.error().message, exit_code);
    fmt::print("password changed for {}\n", o->username);
  });
}

}  // namespace concordat::cli
