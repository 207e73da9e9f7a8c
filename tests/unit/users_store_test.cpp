// Sessions: validated sessions are cached in memory, so every change that ends a session must
// be seen by the very next validation — through the cache, not around it.
#include "store/users_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace concordat {
namespace {

constexpr Timestamp kNow = 1'795'773'600'000'000;

class UsersStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/users-store-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = UsersStore::Open(dir_ + "/users.db", PasswordCost::Minimum());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    auto u = store_->Add(NewUser{"pc.hall", "PC Hall", "officer", "mps", "Met", "AB123"},
                         "long-enough-pw", kNow);
    ASSERT_TRUE(u.ok()) << u.error().message;
    user_ = u->user;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string NewToken() {
    auto s = store_->CreateSession(user_, kNow, Minutes(60));
    EXPECT_TRUE(s.ok());
    return s.ok() ? s->token : std::string();
  }
  // Validates twice, so the second answer comes from the cache.
  void ExpectValid(const std::string& token, Timestamp at = kNow) {
    for (int n = 0; n < 2; ++n) {
      auto v = store_->ValidateToken(token, at);
      ASSERT_TRUE(v.ok()) << v.error().message;
      EXPECT_EQ(v->user.username, "pc.hall");
      EXPECT_EQ(v->user.role, "officer");
      EXPECT_EQ(v->expires_at, kNow + Minutes(60));
    }
  }
  void ExpectInvalid(const std::string& token, Timestamp at = kNow) {
    auto v = store_->ValidateToken(token, at);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code, ErrorCode::kUnauthenticated);
  }

  std::string dir_;
  std::unique_ptr<UsersStore> store_;
  User user_;
};

TEST_F(UsersStoreTest, RevokedTokenIsRefusedAtOnceThoughCached) {
  const std::string token = NewToken();
  const std::string other = NewToken();
  ExpectValid(token);
  ExpectValid(other);
  ASSERT_TRUE(store_->RevokeToken(token).ok());
  ExpectInvalid(token);
  ExpectValid(other);  // only that session ended
}

TEST_F(UsersStoreTest, DisablingTheUserEndsCachedSessions) {
  const std::string token = NewToken();
  ExpectValid(token);
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow).ok());
  ExpectInvalid(token);
  ASSERT_TRUE(store_->SetDisabled("pc.hall", false, kNow).ok());
  ExpectValid(token);
}

TEST_F(UsersStoreTest, NewPasswordEndsCachedSessions) {
  const std::string token = NewToken();
  ExpectValid(token);
  ASSERT_TRUE(store_->SetPassword("pc.hall", "another-long-pw", kNow).ok());
  ExpectInvalid(token);
}

TEST_F(UsersStoreTest, CachedSessionStillExpiresOnTime) {
  const std::string token = NewToken();
  ExpectValid(token, kNow + Minutes(59));
  ExpectInvalid(token, kNow + Minutes(60));
}

TEST_F(UsersStoreTest, UnknownAndMalformedTokensAreRefused) {
  ExpectValid(NewToken());
  ExpectInvalid("not-a-token");
  ExpectInvalid("");
  ExpectInvalid(std::string(200, 'x'));
}

TEST_F(UsersStoreTest, AChangeRetriedWithItsKeyIsAnsweredNotMadeTwice) {
  const AccountCommand by{"key-1", "user-admin", "admin"};
  auto first = store_->SetDisabled("pc.hall", true, kNow, by);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->replayed);
  EXPECT_TRUE(first->user.disabled);
  // Enabled again by someone else meanwhile; the retry answers with the account as it is now.
  ASSERT_TRUE(store_->SetDisabled("pc.hall", false, kNow + 1).ok());
  auto again = store_->SetDisabled("pc.hall", true, kNow + 2, by);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_FALSE(again->user.disabled);
  // The same key for another change is refused, and changes nothing.
  auto other = store_->SetPassword("pc.hall", "another-long-pw", kNow + 3, by);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(store_->CheckPassword("pc.hall", "long-enough-pw").ok());
  auto created = store_->Add(NewUser{"pc.ward", "", "officer", "mps", "Met", ""}, "long-enough-pw",
                             kNow, AccountCommand{"key-2", "user-admin", "admin"});
  ASSERT_TRUE(created.ok());
  auto created_again =
      store_->Add(NewUser{"pc.ward", "", "officer", "mps", "Met", ""}, "long-enough-pw", kNow,
                  AccountCommand{"key-2", "user-admin", "admin"});
  ASSERT_TRUE(created_again.ok()) << created_again.error().message;
  EXPECT_TRUE(created_again->replayed);
  auto taken = store_->Add(NewUser{"pc.ward", "", "officer", "mps", "Met", ""}, "long-enough-pw",
                           kNow, AccountCommand{"key-3", "user-admin", "admin"});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(UsersStoreTest, EveryChangeIsRecordedWithWhoMadeIt) {
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow + 10, {"k1", "user-admin", "admin"}).ok());
  ASSERT_TRUE(store_->SetDisabled("pc.hall", true, kNow + 20, {"k1", "user-admin", "admin"}).ok());
  ASSERT_TRUE(store_->SetPassword("pc.hall", "another-long-pw", kNow + 30).ok());
  EXPECT_FALSE(store_->SetDisabled("nobody", true, kNow + 40, {"k2", "user-admin", "admin"}).ok());
  auto changes = store_->Changes(10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);  // created (SetUp), disabled once, password: not the refusal
  EXPECT_EQ((*changes)[0].action, "password_set");
  EXPECT_EQ((*changes)[0].actor_user, "cli");
  EXPECT_EQ((*changes)[1].action, "disabled");
  EXPECT_EQ((*changes)[1].actor_user, "user-admin");
  EXPECT_EQ((*changes)[1].at, kNow + 10);
  EXPECT_EQ((*changes)[2].action, "created");
  EXPECT_EQ((*changes)[2].username, "pc.hall");
}

TEST_F(UsersStoreTest, TheLastEnabledAdminCannotBeDisabled) {
  ASSERT_TRUE(
      store_->Add(NewUser{"admin.a", "", "admin", "mps", "Met", ""}, "long-enough-pw", kNow).ok());
  auto refused = store_->SetDisabled("admin.a", true, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(
      store_->Add(NewUser{"admin.b", "", "admin", "mps", "Met", ""}, "long-enough-pw", kNow).ok());
  ASSERT_TRUE(store_->SetDisabled("admin.a", true, kNow).ok());
  EXPECT_FALSE(store_->SetDisabled("admin.b", true, kNow).ok());
  auto changes = store_->Changes(1);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ((*changes)[0].username, "admin.a");  // the refusals were not recorded
}

}  // namespace
}  // namespace concordat
