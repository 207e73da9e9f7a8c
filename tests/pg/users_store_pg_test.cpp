// The accounts store on PostgreSQL. The rules of tests/unit/users_store_test.cpp run on both
// stores (SQLite and PostgreSQL) with the same answers expected; then the cases only several
// servers on one database have: a session or a change made through one server counts at once
// through another, and the rules that check before they write hold when servers race.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <latch>
#include <optional>
#include <thread>

#include "pg_fixture.hpp"
#include "store/hash_chain.hpp"
#include "store/pg.hpp"
#include "store/users_store.hpp"

namespace concordat {
namespace {

constexpr Timestamp kNow = 1'795'773'600'000'000;
const AccountCommand kByAdmin{"", "user-admin", "admin"};

// The code of a refusal; nothing when the call succeeded.
template <class T>
std::optional<ErrorCode> CodeOf(const Result<T>& r) {
  if (r.ok()) return std::nullopt;
  return r.error().code;
}

NewUser Officer(const std::string& username) {
  return NewUser{username, "", "officer", "mps", "Met", ""};
}
NewUser Admin(const std::string& username) {
  return NewUser{username, "", "admin", "mps", "Met", ""};
}

// One store on SQLite (the reference) or on PostgreSQL, by the test's parameter.
class UsersStoreOnBoth : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto at = testing::FreshStoreLocation(GetParam(), "users-store-both");
    url_ = at.url;
    dir_ = at.dir;
    ASSERT_FALSE(url_.empty() && dir_.empty());
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    auto u = store_->Add(Officer("pc.hall"), "long-enough-pw", kNow);
    ASSERT_TRUE(u.ok()) << u.error().message;
    user_ = u->user;
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<UsersStore> OpenStore() {
    auto s = url_.empty() ? UsersStore::Open(dir_ + "/users.db", PasswordCost::Minimum())
                          : UsersStore::OpenPostgres(url_, PasswordCost::Minimum());
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::string url_;
  std::string dir_;
  std::unique_ptr<UsersStore> store_;
  User user_;
};

INSTANTIATE_TEST_SUITE_P(Stores, UsersStoreOnBoth, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST_P(UsersStoreOnBoth, RefusesBadInputAndUnknownAccountsWithTheSameCodes) {
  EXPECT_EQ(CodeOf(store_->Add(Officer("PC Hall"), "long-enough-pw", kNow)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(store_->Add(Officer(""), "long-enough-pw", kNow)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(store_->Add(Officer("pc.ward"), "short", kNow)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(store_->Add(Officer("pc.hall"), "long-enough-pw", kNow)),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(CodeOf(store_->SetDisabled("nobody", true, kNow)), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(store_->SetPassword("nobody", "another-long-pw", kNow)), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(store_->SetPassword("pc.hall", "short", kNow)), ErrorCode::kInvalidArgument);
  auto users = store_->List();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);  // nothing refused was written
  EXPECT_EQ((*users)[0].id, "user-pc.hall");
  EXPECT_EQ((*users)[0].name, "pc.hall");  // no name given: the username
  EXPECT_EQ((*users)[0].agency_name, "Met");
  EXPECT_FALSE((*users)[0].disabled);
  auto changes = store_->Changes(10);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->size(), 1u);
}

TEST_P(UsersStoreOnBoth, PasswordsAreCheckedAndDisabledAccountsRefused) {
  auto ok = store_->CheckPassword("pc.hall", "long-enough-pw");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->username, "pc.hall");
  EXPECT_EQ(CodeOf(store_->CheckPassword("pc.hall", "wrong-password")),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(CodeOf(store_->CheckPassword("nobody", "long-enough-pw")), ErrorCode::kUnauthenticated);
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow).ok());
  EXPECT_EQ(CodeOf(store_->CheckPassword("pc.hall", "long-enough-pw")),
            ErrorCode::kUnauthenticated);
  ASSERT_TRUE(store_->SetDisabled("pc.hall", false, kNow).ok());
  ASSERT_TRUE(store_->SetPassword("pc.hall", "another-long-pw", kNow).ok());
  EXPECT_FALSE(store_->CheckPassword("pc.hall", "long-enough-pw").ok());
  EXPECT_TRUE(store_->CheckPassword("pc.hall", "another-long-pw").ok());
}

TEST_P(UsersStoreOnBoth, SessionsExpireAndEndOnRevokeDisableAndNewPassword) {
  auto s = store_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(s.ok()) << s.error().message;
  for (int n = 0; n < 2; ++n) {  // twice: the second may come from a cache
    auto v = store_->ValidateToken(s->token, kNow + Minutes(59));
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->user.username, "pc.hall");
    EXPECT_EQ(v->user.role, "officer");
    EXPECT_EQ(v->expires_at, kNow + Minutes(60));
  }
  EXPECT_EQ(CodeOf(store_->ValidateToken(s->token, kNow + Minutes(60))),
            ErrorCode::kUnauthenticated);
  for (const std::string& bad :
       std::vector<std::string>{"not-a-token", "", std::string(200, 'x')}) {
    EXPECT_EQ(CodeOf(store_->ValidateToken(bad, kNow)), ErrorCode::kUnauthenticated);
  }
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow).ok());
  EXPECT_FALSE(store_->ValidateToken(s->token, kNow).ok());
  ASSERT_TRUE(store_->SetDisabled("pc.hall", false, kNow).ok());
  EXPECT_TRUE(store_->ValidateToken(s->token, kNow).ok());
  auto other = store_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->RevokeToken(s->token).ok());
  EXPECT_FALSE(store_->ValidateToken(s->token, kNow).ok());
  EXPECT_TRUE(store_->ValidateToken(other->token, kNow).ok());  // only that session ended
  ASSERT_TRUE(store_->SetPassword("pc.hall", "another-long-pw", kNow).ok());
  EXPECT_FALSE(store_->ValidateToken(other->token, kNow).ok());
}

TEST_P(UsersStoreOnBoth, AChangeRetriedWithItsKeyIsAnsweredNotMadeTwice) {
  const AccountCommand by{"key-1", "user-admin", "admin"};
  auto first = store_->SetDisabled("pc.hall", true, kNow, by);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->replayed);
  EXPECT_TRUE(first->user.disabled);
  ASSERT_TRUE(store_->SetDisabled("pc.hall", false, kNow + 1).ok());
  auto again = store_->SetDisabled("pc.hall", true, kNow + 2, by);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_FALSE(again->user.disabled);  // the account as it is now
  EXPECT_EQ(CodeOf(store_->SetPassword("pc.hall", "another-long-pw", kNow + 3, by)),
            ErrorCode::kConflict);
  EXPECT_TRUE(store_->CheckPassword("pc.hall", "long-enough-pw").ok());
  const AccountCommand add{"key-2", "user-admin", "admin"};
  ASSERT_TRUE(store_->Add(Officer("pc.ward"), "long-enough-pw", kNow, add).ok());
  auto added_again = store_->Add(Officer("pc.ward"), "long-enough-pw", kNow, add);
  ASSERT_TRUE(added_again.ok()) << added_again.error().message;
  EXPECT_TRUE(added_again->replayed);
  EXPECT_EQ(added_again->user.id, "user-pc.ward");
  EXPECT_EQ(CodeOf(store_->Add(Officer("pc.ward"), "long-enough-pw", kNow,
                               {"key-3", "user-admin", "admin"})),
            ErrorCode::kAlreadyExists);
}

TEST_P(UsersStoreOnBoth, EveryChangeIsRecordedWithWhoMadeItNewestFirst) {
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow + 10, {"k1", "user-admin", "admin"}).ok());
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow + 20, {"k1", "user-admin", "admin"}).ok());
  ASSERT_TRUE(store_->SetPassword("pc.hall", "another-long-pw", kNow + 30).ok());
  EXPECT_FALSE(store_->SetDisabled("nobody", true, kNow + 40, {"k2", "user-admin", "admin"}).ok());
  auto changes = store_->Changes(10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].action, "password_set");
  EXPECT_EQ((*changes)[0].actor_user, "cli");
  EXPECT_EQ((*changes)[0].at, kNow + 30);
  EXPECT_EQ((*changes)[1].action, "disabled");
  EXPECT_EQ((*changes)[1].actor_user, "user-admin");
  EXPECT_EQ((*changes)[1].actor_role, "admin");
  EXPECT_EQ((*changes)[1].at, kNow + 10);
  EXPECT_EQ((*changes)[2].action, "created");
  EXPECT_EQ((*changes)[2].username, "pc.hall");
  EXPECT_GT((*changes)[0].id, (*changes)[1].id);
  auto newest = store_->Changes(1);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 1u);
  EXPECT_EQ((*newest)[0].action, "password_set");
}

TEST_P(UsersStoreOnBoth, TheLastEnabledAdminCannotBeDisabled) {
  ASSERT_TRUE(store_->Add(Admin("admin.a"), "long-enough-pw", kNow).ok());
  EXPECT_EQ(CodeOf(store_->SetDisabled("admin.a", true, kNow)), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Add(Admin("admin.b"), "long-enough-pw", kNow).ok());
  ASSERT_TRUE(store_->SetDisabled("admin.a", true, kNow).ok());
  EXPECT_EQ(CodeOf(store_->SetDisabled("admin.b", true, kNow)), ErrorCode::kFailedPrecondition);
  auto changes = store_->Changes(1);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ((*changes)[0].username, "admin.a");  // the refusals were not recorded
}

TEST_P(UsersStoreOnBoth, AStoreOpenedAgainFindsAccountsAndSessions) {
  auto s = store_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(s.ok());
  store_.reset();
  store_ = OpenStore();
  ASSERT_NE(store_, nullptr);
  auto found = store_->FindByUsername("pc.hall");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->role, "officer");
  auto missing = store_->FindByUsername("nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto v = store_->ValidateToken(s->token, kNow);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->user.id, "user-pc.hall");
}

TEST_P(UsersStoreOnBoth, FailedSignInsLockTheUsernameUntilTheirWindowCloses) {
  const SignInLimit limit{3, Minutes(15)};
  auto until = [&](const std::string& who, Timestamp at) {
    auto r = store_->SignInLockedUntil(who, at, limit);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Timestamp{-1};
  };
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow + Minutes(i), limit).ok());
  }
  EXPECT_EQ(until("pc.hall", kNow + Minutes(2)), 0);
  ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow + Minutes(2), limit).ok());
  // Locked from the third failure until 15 minutes after the first, whatever the password.
  EXPECT_EQ(until("pc.hall", kNow + Minutes(3)), kNow + Minutes(15));
  EXPECT_EQ(until("pc.other", kNow + Minutes(3)), 0);
  auto locked = store_->LockedSignIns(kNow + Minutes(3), limit);
  ASSERT_TRUE(locked.ok());
  ASSERT_EQ(locked->size(), 1u);
  EXPECT_EQ(locked->at("pc.hall"), kNow + Minutes(15));
  // The lock outlasts the store being opened again (a restart)...
  store_.reset();
  store_ = OpenStore();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(until("pc.hall", kNow + Minutes(14)), kNow + Minutes(15));
  // ...and ends with its window; a failure after that opens a new window and counts from one.
  EXPECT_EQ(until("pc.hall", kNow + Minutes(15)), 0);
  ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow + Minutes(16), limit).ok());
  EXPECT_EQ(until("pc.hall", kNow + Minutes(16)), 0);
  ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow + Minutes(17), limit).ok());
  ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow + Minutes(18), limit).ok());
  EXPECT_EQ(until("pc.hall", kNow + Minutes(18)), kNow + Minutes(31));
}

TEST_P(UsersStoreOnBoth, UnknownUsernamesCountTooAndClosedWindowsAreForgotten) {
  const SignInLimit limit{2, Minutes(15)};
  // "Ever failed" as seen by a window long enough to include any row still stored.
  const SignInLimit ever{1, Hours(24 * 365)};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store_->RecordFailedSignIn("no.such.user", kNow, limit).ok());
  }
  EXPECT_EQ(*store_->SignInLockedUntil("no.such.user", kNow, limit), kNow + Minutes(15));
  // Another failure an hour later forgets every window that has closed: the table holds only the
  // usernames that failed within the last window.
  ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow + Hours(1), limit).ok());
  auto stored = store_->LockedSignIns(kNow + Hours(1), ever);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->count("no.such.user"), 0u);
  EXPECT_EQ(stored->count("pc.hall"), 1u);
  // A sign-in that succeeds forgets the failures before it.
  ASSERT_TRUE(store_->ClearFailedSignIns("pc.hall").ok());
  EXPECT_TRUE(store_->LockedSignIns(kNow + Hours(1), ever)->empty());
}

TEST_P(UsersStoreOnBoth, AnAdministratorANewPasswordOrEnablingLiftsALock) {
  const SignInLimit limit{1, Minutes(15)};
  auto lock = [&] { ASSERT_TRUE(store_->RecordFailedSignIn("pc.hall", kNow, limit).ok()); };
  auto locked = [&] { return *store_->SignInLockedUntil("pc.hall", kNow, limit) != 0; };
  lock();
  ASSERT_TRUE(locked());
  auto unlocked = store_->Unlock("pc.hall", kNow, kByAdmin);
  ASSERT_TRUE(unlocked.ok()) << unlocked.error().message;
  EXPECT_FALSE(locked());
  auto changes = store_->Changes(1);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ((*changes)[0].action, "unlocked");
  EXPECT_EQ((*changes)[0].actor_user, "user-admin");
  EXPECT_EQ(CodeOf(store_->Unlock("nobody", kNow, kByAdmin)), ErrorCode::kNotFound);
  lock();
  ASSERT_TRUE(store_->SetPassword("pc.hall", "a-new-long-password", kNow).ok());
  EXPECT_FALSE(locked());
  lock();
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow).ok());
  EXPECT_TRUE(locked());  // disabling is no reason to lift it
  ASSERT_TRUE(store_->SetDisabled("pc.hall", false, kNow).ok());
  EXPECT_FALSE(locked());
}

// Two servers on one PostgreSQL database.
class UsersStoreTwoServers : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::FreshPgDatabase();
    ASSERT_FALSE(url_.empty());
    for (auto* s : {&a_, &b_}) {
      auto opened = UsersStore::OpenPostgres(url_, PasswordCost::Minimum());
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      *s = std::move(*opened);
    }
    auto u = a_->Add(Officer("pc.hall"), "long-enough-pw", kNow);
    ASSERT_TRUE(u.ok()) << u.error().message;
    user_ = u->user;
  }

  // Runs `first` and `second` on two threads released at the same moment.
  static void AtOnce(const std::function<void()>& first, const std::function<void()>& second) {
    std::latch start(2);
    std::thread t1([&] {
      start.arrive_and_wait();
      first();
    });
    std::thread t2([&] {
      start.arrive_and_wait();
      second();
    });
    t1.join();
    t2.join();
  }

  std::string url_;
  std::unique_ptr<UsersStore> a_;
  std::unique_ptr<UsersStore> b_;
  User user_;
};

TEST_F(UsersStoreTwoServers, ASessionCreatedThroughOneValidatesThroughTheOther) {
  auto s = a_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto v = b_->ValidateToken(s->token, kNow);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->user.username, "pc.hall");
  EXPECT_EQ(v->expires_at, kNow + Minutes(60));
  EXPECT_FALSE(b_->ValidateToken(s->token, kNow + Minutes(60)).ok());
  auto user = b_->CheckPassword("pc.hall", "long-enough-pw");  // added through a_
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(user->id, user_.id);
}

TEST_F(UsersStoreTwoServers, AChangeThroughOneEndsSessionsOnTheOtherAtOnce) {
  auto s = a_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(b_->ValidateToken(s->token, kNow).ok());
  ASSERT_TRUE(b_->ValidateToken(s->token, kNow).ok());
  ASSERT_TRUE(a_->SetDisabled("pc.hall", true, kNow).ok());
  EXPECT_EQ(CodeOf(b_->ValidateToken(s->token, kNow)), ErrorCode::kUnauthenticated);
  ASSERT_TRUE(a_->SetDisabled("pc.hall", false, kNow).ok());
  EXPECT_TRUE(b_->ValidateToken(s->token, kNow).ok());
  ASSERT_TRUE(a_->RevokeToken(s->token).ok());
  EXPECT_FALSE(b_->ValidateToken(s->token, kNow).ok());
  auto other = b_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(b_->ValidateToken(other->token, kNow).ok());
  ASSERT_TRUE(a_->SetPassword("pc.hall", "another-long-pw", kNow).ok());
  EXPECT_FALSE(b_->ValidateToken(other->token, kNow).ok());
}

TEST_F(UsersStoreTwoServers, FailedSignInsThroughEitherServerCountTogether) {
  const SignInLimit limit{4, Minutes(15)};
  // Guesses spread over both servers, two at a time at once: every one counts.
  AtOnce([&] { ASSERT_TRUE(a_->RecordFailedSignIn("pc.hall", kNow, limit).ok()); },
         [&] { ASSERT_TRUE(b_->RecordFailedSignIn("pc.hall", kNow, limit).ok()); });
  ASSERT_TRUE(a_->RecordFailedSignIn("pc.hall", kNow, limit).ok());
  EXPECT_EQ(*b_->SignInLockedUntil("pc.hall", kNow, limit), 0);
  ASSERT_TRUE(b_->RecordFailedSignIn("pc.hall", kNow, limit).ok());
  EXPECT_EQ(*a_->SignInLockedUntil("pc.hall", kNow, limit), kNow + Minutes(15));
  EXPECT_EQ(*b_->SignInLockedUntil("pc.hall", kNow, limit), kNow + Minutes(15));
  ASSERT_TRUE(b_->Unlock("pc.hall", kNow, kByAdmin).ok());
  EXPECT_EQ(*a_->SignInLockedUntil("pc.hall", kNow, limit), 0);
}

TEST_F(UsersStoreTwoServers, OnlyOneOfTheLastTwoAdminsCanBeDisabledWhenBothServersTryAtOnce) {
  ASSERT_TRUE(a_->Add(Admin("admin.a"), "long-enough-pw", kNow).ok());
  ASSERT_TRUE(a_->Add(Admin("admin.b"), "long-enough-pw", kNow).ok());
  for (int round = 0; round < 20; ++round) {
    Result<AccountOutcome> ra = Error::Internal("not run");
    Result<AccountOutcome> rb = Error::Internal("not run");
    AtOnce([&] { ra = a_->SetDisabled("admin.a", true, kNow, kByAdmin); },
           [&] { rb = b_->SetDisabled("admin.b", true, kNow, kByAdmin); });
    ASSERT_NE(ra.ok(), rb.ok()) << "round " << round << ": exactly one may succeed";
    const Result<AccountOutcome>& refused = ra.ok() ? rb : ra;
    EXPECT_EQ(CodeOf(refused), ErrorCode::kFailedPrecondition) << refused.error().message;
    auto users = a_->List();
    ASSERT_TRUE(users.ok());
    int enabled_admins = 0;
    for (const auto& u : *users) enabled_admins += u.role == "admin" && !u.disabled;
    ASSERT_EQ(enabled_admins, 1);
    ASSERT_TRUE(a_->SetDisabled(ra.ok() ? "admin.a" : "admin.b", false, kNow).ok());
  }
}

TEST_F(UsersStoreTwoServers, AKeyRetriedOnBothServersAtOnceIsMadeOnce) {
  for (int round = 0; round < 10; ++round) {
    const AccountCommand by{"key-" + std::to_string(round), "user-admin", "admin"};
    const bool disable = round % 2 == 0;
    Result<AccountOutcome> ra = Error::Internal("not run");
    Result<AccountOutcome> rb = Error::Internal("not run");
    AtOnce([&] { ra = a_->SetDisabled("pc.hall", disable, kNow, by); },
           [&] { rb = b_->SetDisabled("pc.hall", disable, kNow, by); });
    ASSERT_TRUE(ra.ok()) << ra.error().message;
    ASSERT_TRUE(rb.ok()) << rb.error().message;
    EXPECT_NE(ra->replayed, rb->replayed) << "round " << round;
    EXPECT_EQ(ra->user.disabled, disable);
  }
  auto changes = a_->Changes(100);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->size(), 11u);  // created, then one per key
}

TEST_F(UsersStoreTwoServers, AUsernameTakenAtOnceOnBothServersIsCreatedOnce) {
  for (int round = 0; round < 10; ++round) {
    const std::string name = "pc.new" + std::to_string(round);
    Result<AccountOutcome> ra = Error::Internal("not run");
    Result<AccountOutcome> rb = Error::Internal("not run");
    AtOnce([&] { ra = a_->Add(Officer(name), "long-enough-pw", kNow, kByAdmin); },
           [&] { rb = b_->Add(Admin(name), "long-enough-pw", kNow, kByAdmin); });
    ASSERT_NE(ra.ok(), rb.ok()) << "round " << round;
    const Result<AccountOutcome>& refused = ra.ok() ? rb : ra;
    EXPECT_EQ(CodeOf(refused), ErrorCode::kAlreadyExists) << refused.error().message;
    auto found = b_->FindByUsername(name);
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->role, ra.ok() ? "officer" : "admin");
  }
}

TEST_F(UsersStoreTwoServers, ServersStartingAtOnceOnAnEmptyDatabaseAllOpen) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  constexpr int kServers = 6;
  std::latch start(kServers);
  std::vector<Status> opened(kServers, OkStatus());
  std::vector<std::thread> threads;
  for (int i = 0; i < kServers; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto s = UsersStore::OpenPostgres(url, PasswordCost::Minimum());
      opened[i] = s.ok() ? OkStatus() : Status(s.error());
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kServers; ++i) {
    EXPECT_TRUE(opened[i].ok()) << "server " << i << ": " << opened[i].error().message;
  }
}

TEST_F(UsersStoreTwoServers, TokensAreStoredOnlyAsTheirHash) {
  auto s = a_->CreateSession(user_, kNow, Minutes(60));
  ASSERT_TRUE(s.ok());
  auto raw = pg::Conn::Open(url_);
  ASSERT_TRUE(raw.ok());
  auto rows = (*raw)->Query("SELECT token_hash, user_id, expires_at_us FROM sessions");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Text(0, 0), Sha256Hex(s->token));
  EXPECT_NE(rows->Text(0, 0), s->token);
  EXPECT_EQ(rows->Text(0, 1), "user-pc.hall");
  EXPECT_EQ(rows->Int(0, 2), kNow + Minutes(60));
  auto hash = (*raw)->Query("SELECT password_hash FROM users WHERE username = 'pc.hall'");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->Text(0, 0).rfind("$argon2id$", 0), 0u) << hash->Text(0, 0);
}

}  // namespace
}  // namespace concordat
