// Accounts and sessions. Passwords are stored as Argon2id hashes (libsodium crypto_pwhash_str);
// bearer tokens are 256 random bits handed to the client once and stored only as their SHA-256.
// Sessions expire; disabling a user ends their sessions at the next request.
//
// The store is a SQLite file (one server: Open) or a PostgreSQL database that several servers
// share (OpenPostgres), with the same rules and answers on both. On PostgreSQL every account
// change holds an advisory lock for its transaction, so that the rules that check before they
// write (the last enabled admin, a username taken, an Idempotency-Key seen) hold across servers,
// and sessions are not cached: a change made through one server counts at once on every other.
//
// Thread-safety: all methods may be called from any thread (one connection behind a mutex;
// password hashing runs outside it). Every method does blocking I/O: never call from an I/O
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat {

namespace sql {
class Conn;
}

struct User {
  std::string id;
  std::string username;
  std::string name;
  std::string role;
  std::string agency_id;
  std::string agency_name;
  std::string collar;
  bool disabled = false;
  bool demo = false;
};

struct NewUser {
  std::string username;
  std::string name;
  std::string role;
  std::string agency_id;
  std::string agency_name;
  std::string collar;
  bool demo = false;
};

// Who asked for a change to an account, and the key that makes asking twice safe (the API's
// Idempotency-Key). Every change is recorded with it in `account_changes`, in the same
// transaction as the change itself.
struct AccountCommand {
  std::string command_id;  // "" = a fresh one (the command line, the demo seed)
  std::string actor_user;  // a user id; "" = "cli"
  std::string actor_role;
};

// One recorded change, newest first from Changes().
struct AccountChange {
  std::int64_t id = 0;
  Timestamp at = 0;
  std::string actor_user;
  std::string actor_role;
  std::string action;  // created | disabled | enabled | password_set | unlocked
  std::string username;
};

struct AccountOutcome {
  User user;              // the account as it is after the change
  bool replayed = false;  // the command id had been seen: nothing changed this time
};

struct PasswordCost {
  // libsodium's "interactive" limits by default; tests may lower them.
  unsigned long long ops = 2;
  size_t mem = 64ull << 20;
  static PasswordCost Minimum() { return {1, 8192}; }
};

// Sign-in throttling: a window opens at a username's first failed sign-in; `max_failures` within
// it lock the username until the window closes, whatever the password. Policy, from the
// configuration (auth.max_failed_logins, auth.failed_login_window_minutes).
struct SignInLimit {
  int max_failures = 5;
  Timestamp window = Minutes(15);
};

struct SessionInfo {
  std::string token;  // only returned by CreateSession
  User user;
  Timestamp expires_at = 0;
};

class UsersStore {
 public:
  // Opens the SQLite file at `path`, creating it and its tables if needed.
  static Result<std::unique_ptr<UsersStore>> Open(const std::string& path, PasswordCost cost);
  // Connects to the PostgreSQL database at `url` (a libpq URL), creating its tables if needed;
  // unavailable when the server cannot be reached.
  static Result<std::unique_ptr<UsersStore>> OpenPostgres(const std::string& url,
                                                          PasswordCost cost);
  ~UsersStore();

  // Account changes. Each is one transaction with its record in `account_changes`; a command id
  // recorded before answers with the account as it is now (`replayed`) and changes nothing, and
  // one recorded for another change is a conflict.
  // already_exists when the username is taken; invalid_argument for a weak password (< 10 chars)
  // or a malformed username.
  Result<AccountOutcome> Add(const NewUser& u, const std::string& password, Timestamp now,
                             const AccountCommand& by = {});
  // Disabling ends the user's sessions. failed_precondition for the last enabled admin. Enabling
  // lifts a sign-in lock too.
  Result<AccountOutcome> SetDisabled(const std::string& username, bool disabled, Timestamp now,
                                     const AccountCommand& by = {});
  // A new password ends every existing session of the user and lifts a sign-in lock.
  Result<AccountOutcome> SetPassword(const std::string& username, const std::string& password,
                                     Timestamp now, const AccountCommand& by = {});
  // Lifts a sign-in lock (see SignInLimit) before its window closes: an administrator who has
  // spoken to the user. Recorded as "unlocked"; not_found for an unknown user.
  Result<AccountOutcome> Unlock(const std::string& username, Timestamp now,
                                const AccountCommand& by = {});
  Result<std::vector<User>> List();
  Result<std::optional<User>> FindByUsername(const std::string& username);
  // The accounts with these ids (disabled ones too), in the order asked; unknown ids are left out.
  Result<std::vector<User>> FindByIds(const std::vector<std::string>& ids);
  // The most recent account changes, newest first.
  Result<std::vector<AccountChange>> Changes(size_t limit);

  // unauthenticated when the user is unknown, disabled or the password is wrong (one message for
  // all three, so usernames cannot be probed).
  Result<User> CheckPassword(const std::string& username, const std::string& password);

  // Failed sign-ins are counted here, with the accounts, so that every server sharing them
  // counts the same guesses. Unknown usernames count like known ones (nothing tells them apart).
  // When `username` may next try to sign in: 0 when it may now.
  Result<Timestamp> SignInLockedUntil(const std::string& username, Timestamp now,
                                      const SignInLimit& limit);
  // Counts one failure, and forgets every window that has closed (the table holds only the
  // usernames that failed within the last window).
  Status RecordFailedSignIn(const std::string& username, Timestamp now, const SignInLimit& limit);
  // A sign-in that succeeded forgets the failures before it.
  Status ClearFailedSignIns(const std::string& username);
  // Every username locked at `now`, with the time its lock ends.
  Result<std::map<std::string, Timestamp>> LockedSignIns(Timestamp now, const SignInLimit& limit);

  Result<SessionInfo> CreateSession(const User& user, Timestamp now, Timestamp ttl);
  // unauthenticated when the token is unknown, revoked, expired or its user disabled.
  Result<SessionInfo> ValidateToken(const std::string& token, Timestamp now);
  Status RevokeToken(const std::string& token);

 private:
  struct Impl;
  explicit UsersStore(std::unique_ptr<Impl> impl);
  static Result<std::unique_ptr<UsersStore>> OpenOn(Result<std::unique_ptr<sql::Conn>> db,
                                                    PasswordCost cost);
  std::unique_ptr<Impl> impl_;
};

}  // namespace concordat
