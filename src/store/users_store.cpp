#include "store/users_store.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "store/hash_chain.hpp"
#include "store/sql_conn.hpp"

namespace concordat {

struct UsersStore::Impl {
  std::unique_ptr<sql::Conn> db;
  PasswordCost cost;
  bool cache_sessions = true;
  std::mutex mu;

  // Sessions already validated, by token hash: every authenticated request asks, and reading
  // the database each time serialised all workers on `mu`. An entry is trusted while nothing in
  // this store has changed accounts or sessions since (`generation`) and for at most
  // kSessionCacheFor, so that a change made by another process (`concordat users disable`
  // against the same file) takes effect within that time. Expiry is checked on every use. On a
  // database that several servers share nothing is cached (`cache_sessions`): an account
  // disabled through one server must be refused by every other at its next request.
  struct CachedSession {
    SessionInfo session;
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point cached_at;
  };
  static constexpr auto kSessionCacheFor = std::chrono::seconds(5);
  static constexpr size_t kSessionCacheMax = 100'000;
  std::shared_mutex cache_mu;
  std::unordered_map<std::string, CachedSession> sessions;
  std::atomic<std::uint64_t> generation{0};

  // Declared after taking `mu` in a method that changes accounts or sessions: on leaving, while
  // `mu` is still held, every cached session is dropped. A validation that read the database
  // before the change sees the generation move and does not cache what it read.
  struct ChangedOnExit {
    Impl& impl;
    ~ChangedOnExit() {
      impl.generation.fetch_add(1);
      std::unique_lock lock(impl.cache_mu);
      impl.sessions.clear();
    }
  };
};

namespace {

constexpr const char* kUserCols =
    "id, username, name, role, agency_id, agency_name, collar, disabled, demo";

User RowToUser(const sql::Rows& r, int row, int base = 0) {
  User u;
  u.id = r.Text(row, base + 0);
  u.username = r.Text(row, base + 1);
  u.name = r.Text(row, base + 2);
  u.role = r.Text(row, base + 3);
  u.agency_id = r.Text(row, base + 4);
  u.agency_name = r.Text(row, base + 5);
  u.collar = r.Text(row, base + 6);
  u.disabled = r.Int(row, base + 7) != 0;
  u.demo = r.Int(row, base + 8) != 0;
  return u;
}

Status CheckPasswordStrength(const std::string& password) {
  if (password.size() < 10) {
    return Error::InvalidArgument("password", "password must be at least 10 characters");
  }
  if (password.size() > 512) {
    return Error::InvalidArgument("password", "password must be at most 512 characters");
  }
  return OkStatus();
}

Result<std::string> HashPassword(const std::string& password, const PasswordCost& cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("password hashing ran out of memory");
  }
  return std::string(out);
}

std::string RandomToken() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return b64;
}

// A dummy hash to spend the same time on unknown usernames as on known ones.
const std::string& DummyHash(const PasswordCost& cost) {
  static std::string h = HashPassword("not-a-real-password-xx", cost).value();
  return h;
}

}  // namespace

UsersStore::UsersStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UsersStore::~UsersStore() = default;

Result<std::unique_ptr<UsersStore>> UsersStore::Open(const std::string& path, PasswordCost cost) {
  return OpenOn(sql::OpenSqlite(path), cost);
}

Result<std::unique_ptr<UsersStore>> UsersStore::OpenPostgres(const std::string& url,
                                                             PasswordCost cost) {
  return OpenOn(sql::OpenPostgres(url), cost);
}

Result<std::unique_ptr<UsersStore>> UsersStore::OpenOn(Result<std::unique_ptr<sql::Conn>> db,
                                                       PasswordCost cost) {
  if (sodium_init() < 0) {
    return Error::Internal("libsodium failed to initialise");
  }
  if (!db.ok()) {
    return db.error();
  }
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  impl->cost = cost;
  impl->cache_sessions = !impl->db->SharedByServers();
  return std::unique_ptr<UsersStore>(new UsersStore(std::move(impl)));
}

namespace {

Result<std::optional<User>> FindUser(sql::Conn& db, const std::string& username) {
  auto rows =
      db.Query(std::string("SELECT ") + kUserCols + " FROM users WHERE username = ?", {username});
  if (!rows.ok()) {
    return rows.error();
  }
  if (rows->empty()) {
    return std::optional<User>();
  }
  return std::optional<User>(RowToUser(*rows, 0));
}

Status Update(sql::Conn& db, std::string_view sql, const std::vector<sql::Value>& params,
              const std::string& username) {
  auto r = db.Query(sql, params);
  if (!r.ok()) {
    return r.error();
  }
  if (r->changed() == 0) {
    return Error::NotFound("no user " + username);
  }
  return OkStatus();
}

Status ForgetFailures(sql::Conn& db, const std::string& username) {
  auto r = db.Query("DELETE FROM sign_in_failures WHERE username = ?", {username});
  return r.ok() ? OkStatus() : Status(r.error());
}

// Runs `change` and records it in one transaction (see AccountCommand). Called under `mu`. The
// transaction holds the accounts lock, so that what `change` checks (the last enabled admin, a
// username taken, a command id seen) holds until it commits, whichever server asks.
Result<AccountOutcome> RecordedChange(sql::Conn& db, const AccountCommand& by,
                                      const std::string& action, const std::string& username,
                                      Timestamp now, const std::function<Status()>& change) {
  AccountOutcome outcome;
  auto st = sql::Transact(db, sql::kAccountsLock, [&]() -> Status {
    const std::string id = by.command_id.empty() ? "account-" + RandomToken() : by.command_id;
    auto seen = db.Query("SELECT action, username FROM account_changes WHERE command_id = ?", {id});
    if (!seen.ok()) {
      return seen.error();
    }
    if (!seen->empty()) {
      if (seen->Text(0, 0) != action || seen->Text(0, 1) != username) {
        return Error::Conflict("this Idempotency-Key was used for another change (" +
                               seen->Text(0, 0) + " " + seen->Text(0, 1) + "); use a new key");
      }
      outcome.replayed = true;
    } else {
      if (auto st = change(); !st.ok()) {
        return st;
      }
      auto rec = db.Query(
          "INSERT INTO account_changes (at_us, command_id, actor_user, actor_role, action, "
          "username) VALUES (?,?,?,?,?,?)",
          {now, id, by.actor_user.empty() ? "cli" : by.actor_user, by.actor_role, action,
           username});
      if (!rec.ok()) {
        return rec.error();
      }
    }
    auto user = FindUser(db, username);
    if (!user.ok()) {
      return user.error();
    }
    if (!*user) {
      return Error::NotFound("no user " + username);
    }
    outcome.user = **user;
    return OkStatus();
  });
  if (!st.ok()) {
    return st.error();
  }
  return outcome;
}

}  // namespace

Result<AccountOutcome> UsersStore::Add(const NewUser& nu, const std::string& password,
                                       Timestamp now, const AccountCommand& by) {
  if (nu.username.empty() || nu.username.size() > 64 ||
      nu.username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") !=
          std::string::npos) {
    return Error::InvalidArgument("username",
                                  "username must be 1-64 characters of a-z, 0-9, '.', '_', '-'");
  }
  if (auto st = CheckPasswordStrength(password); !st.ok()) {
    return st.error();
  }
  auto hash = HashPassword(password, impl_->cost);
  if (!hash.ok()) {
    return hash.error();
  }
  const User u{"user-" + nu.username,
               nu.username,
               nu.name.empty() ? nu.username : nu.name,
               nu.role,
               nu.agency_id,
               nu.agency_name,
               nu.collar,
               false,
               nu.demo};
  std::lock_guard lock(impl_->mu);
  sql::Conn& db = *impl_->db;
  return RecordedChange(db, by, "created", u.username, now, [&]() -> Status {
    auto r = db.Query(
        "INSERT INTO users (id, username, name, role, agency_id, agency_name, collar, "
        "password_hash, disabled, demo, created_at_us, updated_at_us) "
        "VALUES (?,?,?,?,?,?,?,?,0,?,?,?) ON CONFLICT (username) DO NOTHING",
        {u.id, u.username, u.name, u.role, u.agency_id, u.agency_name, u.collar, *hash,
         u.demo ? 1 : 0, now, now});
    if (!r.ok()) {
      return r.error();
    }
    if (r->changed() == 0) {
      return Error{
          ErrorCode::kAlreadyExists, "user " + u.username + " already exists", "username", {}};
    }
    return OkStatus();
  });
}

Result<std::vector<User>> UsersStore::List() {
  std::lock_guard lock(impl_->mu);
  auto rows =
      impl_->db->Query(std::string("SELECT ") + kUserCols + " FROM users ORDER BY username", {});
  if (!rows.ok()) {
    return rows.error();
  }
  std::vector<User> out;
  for (int r = 0; r < rows->size(); ++r) {
    out.push_back(RowToUser(*rows, r));
  }
  return out;
}

Result<std::vector<User>> UsersStore::FindByIds(const std::vector<std::string>& ids) {
  std::lock_guard lock(impl_->mu);
  std::vector<User> out;
  const std::string sql = std::string("SELECT ") + kUserCols + " FROM users WHERE id = ?";
  for (const auto& id : ids) {
    auto rows = impl_->db->Query(sql, {id});
    if (!rows.ok()) {
      return rows.error();
    }
    if (!rows->empty()) {
      out.push_back(RowToUser(*rows, 0));
    }
  }
  return out;
}

Result<std::optional<User>> UsersStore::FindByUsername(const std::string& username) {
  std::lock_guard lock(impl_->mu);
  return FindUser(*impl_->db, username);
}

Result<AccountOutcome> UsersStore::SetDisabled(const std::string& username, bool disabled,
                                               Timestamp now, const AccountCommand& by) {
  std::lock_guard lock(impl_->mu);
  Impl::ChangedOnExit changed{*impl_};
  sql::Conn& db = *impl_->db;
  return RecordedChange(db, by, disabled ? "disabled" : "enabled", username, now, [&]() -> Status {
    if (disabled) {
      // Nobody could manage accounts from the web app again: refused (another admin first).
      auto target = FindUser(db, username);
      if (!target.ok()) {
        return target.error();
      }
      if (*target && (*target)->role == "admin" && !(*target)->disabled) {
        auto others = db.Query(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND username != ?",
            {username});
        if (!others.ok()) {
          return others.error();
        }
        if (others->Int(0, 0) == 0) {
          return Error::FailedPrecondition(
              username + " is the last enabled admin: add or enable another admin first");
        }
      }
    }
    if (auto st = Update(db, "UPDATE users SET disabled = ?, updated_at_us = ? WHERE username = ?",
                         {disabled ? 1 : 0, now, username}, username);
        !st.ok() || disabled) {
      return st;
    }
    return ForgetFailures(db, username);
  });
}

Result<AccountOutcome> UsersStore::SetPassword(const std::string& username,
                                               const std::string& password, Timestamp now,
                                               const AccountCommand& by) {
  if (auto st = CheckPasswordStrength(password); !st.ok()) {
    return st.error();
  }
  auto hash = HashPassword(password, impl_->cost);
  if (!hash.ok()) {
    return hash.error();
  }
  std::lock_guard lock(impl_->mu);
  Impl::ChangedOnExit changed{*impl_};
  sql::Conn& db = *impl_->db;
  return RecordedChange(db, by, "password_set", username, now, [&]() -> Status {
    if (auto st =
            Update(db, "UPDATE users SET password_hash = ?, updated_at_us = ? WHERE username = ?",
                   {*hash, now, username}, username);
        !st.ok()) {
      return st;
    }
    // A new password ends every existing session.
    auto rev = db.Query(
        "UPDATE sessions SET revoked = 1 WHERE user_id = (SELECT id FROM users WHERE username = "
        "?)",
        {username});
    if (!rev.ok()) {
      return rev.error();
    }
    return ForgetFailures(db, username);
  });
}

Result<AccountOutcome> UsersStore::Unlock(const std::string& username, Timestamp now,
                                          const AccountCommand& by) {
  std::lock_guard lock(impl_->mu);
  sql::Conn& db = *impl_->db;
  return RecordedChange(db, by, "unlocked", username, now, [&]() -> Status {
    auto user = FindUser(db, username);
    if (!user.ok()) {
      return user.error();
    }
    if (!*user) {
      return Error::NotFound("no user " + username);
    }
    return ForgetFailures(db, username);
  });
}

Result<Timestamp> UsersStore::SignInLockedUntil(const std::string& username, Timestamp now,
                                                const SignInLimit& limit) {
  std::lock_guard lock(impl_->mu);
  auto rows = impl_->db->Query(
      "SELECT first_at_us FROM sign_in_failures WHERE username = ? AND failures >= ? AND "
      "first_at_us > ?",
      {username, limit.max_failures, now - limit.window});
  if (!rows.ok()) {
    return rows.error();
  }
  return rows->empty() ? Timestamp{0} : rows->Int(0, 0) + limit.window;
}

Status UsersStore::RecordFailedSignIn(const std::string& username, Timestamp now,
                                      const SignInLimit& limit) {
  const Timestamp closed = now - limit.window;  // a window that opened at or before this is over
  std::lock_guard lock(impl_->mu);
  auto count = impl_->db->Query(
      "INSERT INTO sign_in_failures (username, failures, first_at_us) VALUES (?, 1, ?) "
      "ON CONFLICT (username) DO UPDATE SET "
      "failures = CASE WHEN sign_in_failures.first_at_us <= ? THEN 1 "
      "ELSE sign_in_failures.failures + 1 END, "
      "first_at_us = CASE WHEN sign_in_failures.first_at_us <= ? THEN excluded.first_at_us "
      "ELSE sign_in_failures.first_at_us END",
      {username, now, closed, closed});
  if (!count.ok()) {
    return count.error();
  }
  auto stale = impl_->db->Query("DELETE FROM sign_in_failures WHERE first_at_us <= ?", {closed});
  return stale.ok() ? OkStatus() : Status(stale.error());
}

Status UsersStore::ClearFailedSignIns(const std::string& username) {
  std::lock_guard lock(impl_->mu);
  return ForgetFailures(*impl_->db, username);
}

Result<std::map<std::string, Timestamp>> UsersStore::LockedSignIns(Timestamp now,
                                                                   const SignInLimit& limit) {
  std::lock_guard lock(impl_->mu);
  auto rows = impl_->db->Query(
      "SELECT username, first_at_us FROM sign_in_failures WHERE failures >= ? AND "
      "first_at_us > ?",
      {limit.max_failures, now - limit.window});
  if (!rows.ok()) {
    return rows.error();
  }
  std::map<std::string, Timestamp> out;
  for (int r = 0; r < rows->size(); ++r) {
    out.emplace(rows->Text(r, 0), rows->Int(r, 1) + limit.window);
  }
  return out;
}

Result<std::vector<AccountChange>> UsersStore::Changes(size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto rows = impl_->db->Query(
      "SELECT id, at_us, actor_user, actor_role, action, username FROM account_changes "
      "ORDER BY id DESC LIMIT ?",
      {static_cast<std::int64_t>(limit)});
  if (!rows.ok()) {
    return rows.error();
  }
  std::vector<AccountChange> out;
  for (int r = 0; r < rows->size(); ++r) {
    out.push_back(AccountChange{rows->Int(r, 0), rows->Int(r, 1), rows->Text(r, 2),
                                rows->Text(r, 3), rows->Text(r, 4), rows->Text(r, 5)});
  }
  return out;
}

Result<User> UsersStore::CheckPassword(const std::string& username, const std::string& password) {
  std::string hash;
  std::optional<User> user;
  {
    std::lock_guard lock(impl_->mu);
    auto rows = impl_->db->Query(
        std::string("SELECT ") + kUserCols + ", password_hash FROM users WHERE username = ?",
        {username});
    if (!rows.ok()) {
      return rows.error();
    }
    if (!rows->empty()) {
      user = RowToUser(*rows, 0);
      hash = rows->Text(0, 9);
    }
  }
  const Error bad{ErrorCode::kUnauthenticated, "unknown user or wrong password", {}, {}};
  if (!user) {
    if (crypto_pwhash_str_verify(DummyHash(impl_->cost).c_str(), password.data(),
                                 password.size()) == 0) {
      return bad;  // cannot happen; the dummy password is not guessable input
    }
    return bad;
  }
  if (crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) != 0 ||
      user->disabled) {
    return bad;
  }
  return *user;
}

Result<SessionInfo> UsersStore::CreateSession(const User& user, Timestamp now, Timestamp ttl) {
  SessionInfo s{RandomToken(), user, now + ttl};
  std::lock_guard lock(impl_->mu);
  auto r = impl_->db->Query(
      "INSERT INTO sessions (token_hash, user_id, created_at_us, expires_at_us) VALUES (?,?,?,?)",
      {Sha256Hex(s.token), user.id, now, s.expires_at});
  if (!r.ok()) {
    return r.error();
  }
  return s;
}

Result<SessionInfo> UsersStore::ValidateToken(const std::string& token, Timestamp now) {
  const Error bad{ErrorCode::kUnauthenticated, "the session is unknown or has expired", {}, {}};
  if (token.empty() || token.size() > 128) {
    return bad;
  }
  const std::string token_hash = Sha256Hex(token);
  const auto steady = std::chrono::steady_clock::now();
  const std::uint64_t generation = impl_->generation.load();
  if (impl_->cache_sessions) {
    std::shared_lock cache(impl_->cache_mu);
    if (auto it = impl_->sessions.find(token_hash);
        it != impl_->sessions.end() && it->second.generation == generation &&
        steady - it->second.cached_at < Impl::kSessionCacheFor) {
      if (now >= it->second.session.expires_at) return bad;
      return it->second.session;
    }
  }
  std::lock_guard lock(impl_->mu);
  auto rows = impl_->db->Query(
      "SELECT s.expires_at_us, s.revoked, u.id, u.username, u.name, u.role, u.agency_id, "
      "u.agency_name, u.collar, u.disabled, u.demo "
      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
      {token_hash});
  if (!rows.ok()) {
    return rows.error();
  }
  if (rows->empty()) {
    return bad;
  }
  SessionInfo s;
  s.expires_at = rows->Int(0, 0);
  const bool revoked = rows->Int(0, 1) != 0;
  s.user = RowToUser(*rows, 0, 2);
  if (revoked || s.user.disabled || now >= s.expires_at) {
    return bad;
  }
  if (impl_->cache_sessions) {
    std::unique_lock cache(impl_->cache_mu);
    if (impl_->generation.load() == generation) {
      if (impl_->sessions.size() >= Impl::kSessionCacheMax) impl_->sessions.clear();
      impl_->sessions[token_hash] = Impl::CachedSession{s, generation, steady};
    }
  }
  return s;
}

Status UsersStore::RevokeToken(const std::string& token) {
  std::lock_guard lock(impl_->mu);
  Impl::ChangedOnExit changed{*impl_};
  auto r =
      impl_->db->Query("UPDATE sessions SET revoked = 1 WHERE token_hash = ?", {Sha256Hex(token)});
  return r.ok() ? OkStatus() : Status(r.error());
}

}  // namespace concordat
