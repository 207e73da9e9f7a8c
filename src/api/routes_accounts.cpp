// Accounts, managed by an administrator (DESIGN.md §2: "Administrator — users"): list, add,
// disable, enable, set a password, lift a sign-in lock; and the record of every such change, which
// an auditor may read too. The same store as `concordat users` (store/users_store.hpp): each change
// is one transaction with its record, and the request's Idempotency-Key is that record's key, so a
// retried call is answered with the account as it is and changes nothing. And who the users with
// given ids are (`GET /api/people`, for the force's own staff): the names that log entries and
// timelines show instead of user ids.
//
// Account data (staff names, roles, collar numbers) is not the personal data of the public that
// the access log records (DPA 2018 s62), so reads here are not logged there; changes are
// recorded in `account_changes`.
#include <algorithm>
#include <boost/json.hpp>
#include <string_view>
#include <vector>

#include "api/app.hpp"
#include "api/roles.hpp"
#include "core/json_fields.hpp"

namespace concordat::api {
namespace {

using CallPtr = std::shared_ptr<Call>;

constexpr const char* kPoliceAgencyId = "mps";
constexpr const char* kPoliceAgencyName = "Metropolitan Police Service";

// The kinds of agency (data/refdata/london/agencies.csv) whose staff may hold a partner role.
std::vector<std::string> AgencyKindsFor(const std::string& role) {
  if (role == "clinician") return {"mental_health_trust", "acute_trust"};
  if (role == "amhp") return {"amhp_service"};
  if (role == "ambulance") return {"ambulance_service"};
  if (role == "hub111") return {"nhs111_hub"};
  return {};
}

std::string RoleList() {
  std::string out;
  for (const auto& r : AllRoles()) out += (out.empty() ? "" : ", ") + r;
  return out;
}

// The agency an account of `role` belongs to: the force for police roles; for a partner role, a
// current agency of the right kind from the reference data, its name taken from there.
Result<std::pair<std::string, std::string>> AgencyFor(const RefData& ref, const std::string& role,
                                                      const std::string& agency_id) {
  const auto kinds = AgencyKindsFor(role);
  if (kinds.empty()) {
    if (!agency_id.empty() && agency_id != kPoliceAgencyId) {
      return Error::InvalidArgument("agency_id", "a " + role + " account belongs to the force (" +
                                                     kPoliceAgencyId + "), not " + agency_id);
    }
    return std::pair<std::string, std::string>{kPoliceAgencyId, kPoliceAgencyName};
  }
  if (agency_id.empty()) {
    return Error::InvalidArgument("agency_id", "a " + role + " account needs its agency");
  }
  for (const auto& a : ref.agencies) {
    if (a.id != agency_id) continue;
    if (std::find(kinds.begin(), kinds.end(), a.kind) == kinds.end()) {
      return Error::InvalidArgument(
          "agency_id", a.name + " is not an agency whose staff hold the " + role + " role");
    }
    if (a.status == "merged") {
      return Error::InvalidArgument(
          "agency_id", a.name + " has merged into " + a.merged_into + ": choose that agency");
    }
    return std::pair<std::string, std::string>{a.id, a.name};
  }
  return Error::InvalidArgument("agency_id", "no agency " + agency_id);
}

// An account as administrators see it: `sign_in_locked_until` (ISO time) while too many failed
// sign-ins lock it, null otherwise.
boost::json::object AccountJson(const User& u, Timestamp locked_until = 0) {
  boost::json::object o = UserToJson(u);
  o["disabled"] = u.disabled;
  o["sign_in_locked_until"] =
      locked_until == 0 ? boost::json::value(nullptr) : boost::json::value(FormatIso(locked_until));
  return o;
}

// The caller as the author of a change, with the request's Idempotency-Key (or, without one, a
// fresh key: the change is made once and not recognised on a retry).
Result<AccountCommand> By(const Call& c) {
  const std::string key = c.req().Header("idempotency-key");
  if (key.size() > 128 || key.find_first_of("\r\n\t") != std::string::npos) {
    return Error::InvalidArgument("Idempotency-Key",
                                  "Idempotency-Key must be 1-128 printable characters");
  }
  return AccountCommand{key.empty() ? std::string() : "account:" + key, c.user().id, c.user().role};
}

void ReplyOutcome(App& app, const CallPtr& c, const Result<AccountOutcome>& out, int status) {
  if (!out.ok()) return c->Fail(out.error());
  auto locked = app.users().SignInLockedUntil(out->user.username, app.engine().clock().Now(),
                                              app.options().sign_in_limit);
  if (!locked.ok()) return c->Fail(locked.error());
  HttpResponse r = JsonResponse(out->replayed ? 200 : status, AccountJson(out->user, *locked));
  if (out->replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
  c->Reply(std::move(r));
}

void Create(App& app, const CallPtr& c) {
  FieldReader r(c->body());
  const std::string username = r.String("username", 64);
  // Every change is attributed to a user (DESIGN.md §8): the name is what the log, the board and
  // an investigator show for them, so an account made here has one. An officer's collar number
  // is how the officer's own unit is found (its crew), so an officer's account has one too.
  // (`concordat users add` refuses an officer without a collar too, but takes an account without
  // a name, for a recovery account made from a shell.)
  const std::string name = r.String("name", 200);
  const std::string role = r.String("role", 40);
  const std::string agency_id = r.OptionalString("agency_id", 100).value_or("");
  const std::string collar = r.OptionalString("collar", 20).value_or("");
  const std::string password = r.String("password", 512);
  if (role == "officer" && (collar.empty() || IsBlank(collar))) {
    r.Fail("collar",
           "an officer's account needs the collar number: it is how the officer's unit "
           "is found");
  }
  if (!r.ok()) return c->Fail(r.error());
  if (!IsRole(role)) {
    return c->Fail(
        Error::InvalidArgument("role", "unknown role " + role + "; roles: " + RoleList()));
  }
  auto agency = AgencyFor(app.ref(), role, agency_id);
  if (!agency.ok()) return c->Fail(agency.error());
  auto by = By(*c);
  if (!by.ok()) return c->Fail(by.error());
  const NewUser nu{username, name, role, agency->first, agency->second, collar, false};
  ReplyOutcome(app, c, app.users().Add(nu, password, app.engine().clock().Now(), *by), 201);
}

void SetDisabled(App& app, const CallPtr& c, bool disabled) {
  const std::string& username = c->param("username");
  if (disabled && username == c->user().username) {
    return c->Fail(Error::FailedPrecondition(
        "you cannot disable your own account: ask another administrator"));
  }
  auto by = By(*c);
  if (!by.ok()) return c->Fail(by.error());
  ReplyOutcome(app, c, app.users().SetDisabled(username, disabled, app.engine().clock().Now(), *by),
               200);
}

}  // namespace

void AddAccountRoutes(App& app) {
  Router& r = app.mutable_router();
  r.Add({"GET", "/api/people", "people.read",
         "Who the users with these ids are (?ids=a,b,...: 1 to 200): name, role, collar, agency",
         [&app](const CallPtr& c) {
           auto it = c->req().query.find("ids");
           if (it == c->req().query.end() || it->second.empty()) {
             return c->Fail(Error::InvalidArgument("ids", "ids is required: user ids, by commas"));
           }
           std::vector<std::string> ids;
           std::string_view rest = it->second;
           while (!rest.empty()) {
             const size_t comma = rest.find(',');
             const std::string_view id = rest.substr(0, comma);
             if (id.empty() || id.size() > 100) {
               return c->Fail(Error::InvalidArgument("ids", "each id must be 1 to 100 characters"));
             }
             if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.emplace_back(id);
             if (ids.size() > 200) {
               return c->Fail(Error::InvalidArgument("ids", "at most 200 ids at a time"));
             }
             rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
             if (comma != std::string_view::npos && rest.empty()) {
               return c->Fail(Error::InvalidArgument("ids", "each id must be 1 to 100 characters"));
             }
           }
           auto found = app.users().FindByIds(ids);
           if (!found.ok()) return c->Fail(found.error());
           boost::json::array out;
           for (const auto& u : *found) {
             out.push_back({{"id", u.id},
                            {"name", u.name},
                            {"role", u.role},
                            {"collar", u.collar},
                            {"agency_id", u.agency_id},
                            {"agency_name", u.agency_name}});
           }
           c->Json(200, boost::json::object{{"people", out}});
         },
         false, "accounts"});
  r.Add({"GET", "/api/admin/users", "account.read", "Every account, by username",
         [&app](const CallPtr& c) {
           auto all = app.users().List();
           if (!all.ok()) return c->Fail(all.error());
           auto locked =
               app.users().LockedSignIns(app.engine().clock().Now(), app.options().sign_in_limit);
           if (!locked.ok()) return c->Fail(locked.error());
           boost::json::array out;
           for (const auto& u : *all) {
             const auto it = locked->find(u.username);
             out.push_back(AccountJson(u, it == locked->end() ? 0 : it->second));
           }
           c->Json(200, boost::json::object{{"users", out}, {"count", out.size()}});
         },
         false, "accounts"});
  r.Add({"GET", "/api/admin/users/changes", "account.read",
         "The latest account changes (who made each, when), newest first; ?limit= up to 1000",
         [&app](const CallPtr& c) {
           auto limit = QueryLimit(*c, 1000);
           if (!limit.ok()) return c->Fail(limit.error());
           auto changes = app.users().Changes(limit->value_or(200));
           if (!changes.ok()) return c->Fail(changes.error());
           boost::json::array out;
           for (const auto& ch : *changes) {
             out.push_back(boost::json::object{{"id", ch.id},
                                               {"at", FormatIso(ch.at)},
                                               {"actor_user", ch.actor_user},
                                               {"actor_role", ch.actor_role},
                                               {"action", ch.action},
                                               {"username", ch.username}});
           }
           c->Json(200, boost::json::object{{"changes", out}, {"count", out.size()}});
         },
         false, "accounts"});
  r.Add({"POST", "/api/admin/users", "account.manage",
         "Add an account: username, name, role, password (at least 10 characters); collar for "
         "an officer; agency_id for a partner role",
         [&app](const CallPtr& c) { Create(app, c); }, true, "accounts"});
  r.Add({"POST", "/api/admin/users/{username}/disable", "account.manage",
         "Disable an account (its sessions end); not your own, not the last admin",
         [&app](const CallPtr& c) { SetDisabled(app, c, true); }, true, "accounts"});
  r.Add({"POST", "/api/admin/users/{username}/enable", "account.manage",
         "Enable a disabled account", [&app](const CallPtr& c) { SetDisabled(app, c, false); },
         true, "accounts"});
  r.Add({"POST", "/api/admin/users/{username}/unlock", "account.manage",
         "Lift the sign-in lock that too many failed sign-ins put on an account",
         [&app](const CallPtr& c) {
           auto by = By(*c);
           if (!by.ok()) return c->Fail(by.error());
           ReplyOutcome(app, c,
                        app.users().Unlock(c->param("username"), app.engine().clock().Now(), *by),
                        200);
         },
         true, "accounts"});
  r.Add({"POST", "/api/admin/users/{username}/password", "account.manage",
         "Set an account's password (at least 10 characters; its sessions end)",
         [&app](const CallPtr& c) {
           FieldReader r(c->body());
           const std::string password = r.String("password", 512);
           if (!r.ok()) return c->Fail(r.error());
           auto by = By(*c);
           if (!by.ok()) return c->Fail(by.error());
           ReplyOutcome(app, c,
                        app.users().SetPassword(c->param("username"), password,
                                                app.engine().clock().Now(), *by),
                        200);
         },
         true, "accounts"});
}

}  // namespace concordat::api
