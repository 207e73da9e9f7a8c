// Accounts and sessions. Passwords are stored as Argon2id hashes (libsodium crypto_pwhash_str);
// bearer tokens are 256 random bits handed to the client once and stored only as their SHA-256.
// Sessions expire; disabling a user ends their sessions at the next request.
//
// Thread-safety: all methods may be called from any thread (one connection behind a mutex;
// password hashing runs outside it). Every method does blocking I/O: never call from an I/O
// thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat {

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

struct PasswordCost {
  // libsodium's "interactive" limits by default; tests may lower them.
  unsigned long long ops = 2;
  size_t mem = 64ull << 20;
  static PasswordCost Minimum() { return {1, 8192}; }
};

struct SessionInfo {
  std::string token;  // only returned by CreateSession
  User user;
  Timestamp expires_at = 0;
};

class UsersStore {
 public:
  static Result<std::unique_ptr<UsersStore>> Open(const std::string& path, PasswordCost cost);
  ~UsersStore();

  // already_exists when the username is taken; invalid_argument for a weak password (< 10 chars)
  // or a malformed username.
  Result<User> Add(const NewUser& u, const std::string& password, Timestamp now);
  Result<std::vector<User>> List();
  Result<std::optional<User>> FindByUsername(const std::string& username);
  Status SetDisabled(const std::string& username, bool disabled, Timestamp now);
  Status SetPassword(const std::string& username, const std::string& password, Timestamp now);

  // unauthenticated when the user is unknown, disabled or the password is wrong (one message for
  // all three, so usernames cannot be probed).
  Result<User> CheckPassword(const std::string& username, const std::string& password);

  Result<SessionInfo> CreateSession(const User& user, Timestamp now, Timestamp ttl);
  // unauthenticated when the token is unknown, revoked, expired or its user disabled.
  Result<SessionInfo> ValidateToken(const std::string& token, Timestamp now);
  Status RevokeToken(const std::string& token);

 private:
  struct Impl;
  explicit UsersStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace concordat
