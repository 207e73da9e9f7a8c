#include "store/users_store.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "store/hash_chain.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat {

struct UsersStore::Impl {
  std::unique_ptr<sqlite::Db> db;
  PasswordCost cost;
  std::mutex mu;

  // Sessions already validated, by token hash: every authenticated request asks, and reading
  // the database each time serialised all workers on `mu`. An entry is trusted while nothing in
  // this store has changed accounts or sessions since (`generation`) and for at most
  // kSessionCacheFor, so that a change made by another process (`concordat users disable`
  // against the same file) takes effect within that time. Expiry is checked on every use.
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

User RowToUser(const sqlite::Stmt& s, int base = 0) {
  User u;
  u.id = s.Text(base + 0);
  u.username = s.Text(base + 1);
  u.name = s.Text(base + 2);
  u.role = s.Text(base + 3);
  u.agency_id = s.Text(base + 4);
  u.agency_name = s.Text(base + 5);
  u.collar = s.Text(base + 6);
  u.disabled = s.Int(base + 7) != 0;
  u.demo = s.Int(base + 8) != 0;
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
  if (sodium_init() < 0) {
    return Error::Internal("libsodium failed to initialise");
  }
  auto db = sqlite::Db::Open(path);
  if (!db.ok()) {
    return db.error();
  }
  if (auto st = (*db)->Exec(kSchemaSql); !st.ok()) {
    return st.error();
  }
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  impl->cost = cost;
  return std::unique_ptr<UsersStore>(new UsersStore(std::move(impl)));
}

namespace {

Result<std::optional<User>> FindUser(sqlite::Db& db, const std::string& username) {
  std::optional<User> out;
  auto st = db.Each(
      std::string("SELECT ") + kUserCols + " FROM users WHERE username = ?",
      [&](sqlite::Stmt& q) { q.Bind(1, username); },
      [&](const sqlite::Stmt& r) { out = RowToUser(r); });
  if (!st.ok()) {
    return st.error();
  }
  return out;
}

Status Update(sqlite::Db& db, const char* sql, const std::function<void(sqlite::Stmt&)>& bind,
              const std::string& username) {
  auto st = db.Prepare(sql);
  if (!st.ok()) {
    return st.error();
  }
  bind(*st);
  if (auto r = st->Run(); !r.ok()) {
    return r;
  }
  if (sqlite3_changes(db.raw()) == 0) {
    return Error::NotFound("no user " + username);
  }
  return OkStatus();
}

// Runs `change` and records it in one transaction (see AccountCommand). Called under `mu`.
Result<AccountOutcome> RecordedChange(sqlite::Db& db, const AccountCommand& by,
                                      const std::string& action, const std::string& username,
                                      Timestamp now, const std::function<Status()>& change) {
  if (auto st = db.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return st.error();
  }
  auto result = [&]() -> Result<AccountOutcome> {
    const std::string id = by.command_id.empty() ? "account-" + RandomToken() : by.command_id;
    std::optional<std::pair<std::string, std::string>> seen;  // action, username
    if (auto st = db.Each(
            "SELECT action, username FROM account_changes WHERE command_id = ?",
            [&](sqlite::Stmt& q) { q.Bind(1, id); },
            [&](const sqlite::Stmt& r) { seen.emplace(r.Text(0), r.Text(1)); });
        !st.ok()) {
      return st.error();
    }
    bool replayed = false;
    if (seen) {
      if (seen->first != action || seen->second != username) {
        return Error::Conflict("this Idempotency-Key was used for another change (" + seen->first +
                               " " + seen->second + "); use a new key");
      }
      replayed = true;
    } else {
      if (auto st = change(); !st.ok()) {
        return st.error();
      }
      auto rec = db.Prepare(
          "INSERT INTO account_changes (at_us, command_id, actor_user, actor_role, action, "
          "username) VALUES (?,?,?,?,?,?)");
      if (!rec.ok()) {
        return rec.error();
      }
      rec->Bind(1, now).Bind(2, id).Bind(3, by.actor_user.empty() ? "cli" : by.actor_user);
      rec->Bind(4, by.actor_role).Bind(5, action).Bind(6, username);
      if (auto r = rec->Run(); !r.ok()) {
        return r.error();
      }
    }
    auto user = FindUser(db, username);
    if (!user.ok()) {
      return user.error();
    }
    if (!*user) {
      return Error::NotFound("no user " + username);
    }
    return AccountOutcome{**user, replayed};
  }();
  if (auto st = db.Exec(result.ok() ? "COMMIT" : "ROLLBACK"); !st.ok() && result.ok()) {
    (void)db.Exec("ROLLBACK");
    return st.error();
  }
  return result;
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
  sqlite::Db& db = *impl_->db;
  return RecordedChange(db, by, "created", u.username, now, [&]() -> Status {
    auto st = db.Prepare(
        "INSERT INTO users (id, username, name, role, agency_id, agency_name, collar, "
        "password_hash, disabled, demo, created_at_us, updated_at_us) "
        "VALUES (?,?,?,?,?,?,?,?,0,?,?,?) ON CONFLICT (username) DO NOTHING");
    if (!st.ok()) {
      return st.error();
    }
    st->Bind(1, u.id).Bind(2, u.username).Bind(3, u.name).Bind(4, u.role).Bind(5, u.agency_id);
    st->Bind(6, u.agency_name).Bind(7, u.collar).Bind(8, *hash).Bind(9, u.demo ? 1 : 0);
    st->Bind(10, now).Bind(11, now);
    if (auto r = st->Run(); !r.ok()) {
      return r;
    }
    if (sqlite3_changes(db.raw()) == 0) {
      return Error{
          ErrorCode::kAlreadyExists, "user " + u.username + " already exists", "username", {}};
    }
    return OkStatus();
  });
}

Result<std::vector<User>> UsersStore::List() {
  std::lock_guard lock(impl_->mu);
  std::vector<User> out;
  auto st = impl_->db->Each(
      std::string("SELECT ") + kUserCols + " FROM users ORDER BY username", [](sqlite::Stmt&) {},
      [&](const sqlite::Stmt& r) { out.push_back(RowToUser(r)); });
  if (!st.ok()) {
    return st.error();
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
  sqlite::Db& db = *impl_->db;
  return RecordedChange(db, by, disabled ? "disabled" : "enabled", username, now, [&]() -> Status {
    if (disabled) {
      // Nobody could manage accounts from the web app again: refused (another admin first).
      auto target = FindUser(db, username);
      if (!target.ok()) {
        return target.error();
      }
      if (*target && (*target)->role == "admin" && !(*target)->disabled) {
        std::int64_t others = 0;
        if (auto st = db.Each(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND "
                "username != ?",
                [&](sqlite::Stmt& q) { q.Bind(1, username); },
                [&](const sqlite::Stmt& r) { others = r.Int(0); });
            !st.ok()) {
          return st;
        }
        if (others == 0) {
          return Error::FailedPrecondition(
              username + " is the last enabled admin: add or enable another admin first");
        }
      }
    }
    return Update(
        db, "UPDATE users SET disabled = ?, updated_at_us = ? WHERE username = ?",
        [&](sqlite::Stmt& st) { st.Bind(1, disabled ? 1 : 0).Bind(2, now).Bind(3, username); },
        username);
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
  sqlite::Db& db = *impl_->db;
  return RecordedChange(db, by, "password_set", username, now, [&]() -> Status {
    if (auto st = Update(
            db, "UPDATE users SET password_hash = ?, updated_at_us = ? WHERE username = ?",
            [&](sqlite::Stmt& st) { st.Bind(1, *hash).Bind(2, now).Bind(3, username); }, username);
        !st.ok()) {
      return st;
    }
    // A new password ends every existing session.
    auto rev = db.Prepare(
        "UPDATE sessions SET revoked = 1 WHERE user_id = (SELECT id FROM users WHERE username = "
        "?)");
    if (!rev.ok()) {
      return rev.error();
    }
    rev->Bind(1, username);
    return rev->Run();
  });
}

Result<std::vector<AccountChange>> UsersStore::Changes(size_t limit) {
  std::lock_guard lock(impl_->mu);
  std::vector<AccountChange> out;
  auto st = impl_->db->Each(
      "SELECT id, at_us, actor_user, actor_role, action, username FROM account_changes "
      "ORDER BY id DESC LIMIT ?",
      [&](sqlite::Stmt& q) { q.Bind(1, static_cast<std::int64_t>(limit)); },
      [&](const sqlite::Stmt& r) {
        out.push_back(
            AccountChange{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
      });
  if (!st.ok()) {
    return st.error();
  }
  return out;
}

Result<User> UsersStore::CheckPassword(const std::string& username, const std::string& password) {
  std::string hash;
  std::optional<User> user;
  {
    std::lock_guard lock(impl_->mu);
    auto st = impl_->db->Prepare(std::string("SELECT ") + kUserCols +
                                 ", password_hash FROM users WHERE username = ?");
    if (!st.ok()) {
      return st.error();
    }
    st->Bind(1, username);
    auto row = st->Step();
    if (!row.ok()) {
      return row.error();
    }
    if (*row) {
      user = RowToUser(*st);
      hash = st->Text(9);
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
  auto st = impl_->db->Prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at_us, expires_at_us) VALUES (?,?,?,?)");
  if (!st.ok()) {
    return st.error();
  }
  st->Bind(1, Sha256Hex(s.token)).Bind(2, user.id).Bind(3, now).Bind(4, s.expires_at);
  if (auto r = st->Run(); !r.ok()) {
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
  {
    std::shared_lock cache(impl_->cache_mu);
    if (auto it = impl_->sessions.find(token_hash);
        it != impl_->sessions.end() && it->second.generation == generation &&
        steady - it->second.cached_at < Impl::kSessionCacheFor) {
      if (now >= it->second.session.expires_at) return bad;
      return it->second.session;
    }
  }
  std::lock_guard lock(impl_->mu);
  auto st = impl_->db->Prepare(
      std::string("SELECT s.expires_at_us, s.revoked, ") +
      "u.id, u.username, u.name, u.role, u.agency_id, u.agency_name, u.collar, u.disabled, u.demo "
      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?");
  if (!st.ok()) {
    return st.error();
  }
  st->Bind(1, token_hash);
  auto row = st->Step();
  if (!row.ok()) {
    return row.error();
  }
  if (!*row) {
    return bad;
  }
  SessionInfo s;
  s.expires_at = st->Int(0);
  const bool revoked = st->Int(1) != 0;
  s.user = RowToUser(*st, 2);
  if (revoked || s.user.disabled || now >= s.expires_at) {
    return bad;
  }
  std::unique_lock cache(impl_->cache_mu);
  if (impl_->generation.load() == generation) {
    if (impl_->sessions.size() >= Impl::kSessionCacheMax) impl_->sessions.clear();
    impl_->sessions[token_hash] = Impl::CachedSession{s, generation, steady};
  }
  return s;
}

Status UsersStore::RevokeToken(const std::string& token) {
  std::lock_guard lock(impl_->mu);
  Impl::ChangedOnExit changed{*impl_};
  auto st = impl_->db->Prepare("UPDATE sessions SET revoked = 1 WHERE token_hash = ?");
  if (!st.ok()) {
    return st.error();
  }
  st->Bind(1, Sha256Hex(token));
  return st->Run();
}

}  // namespace concordat
