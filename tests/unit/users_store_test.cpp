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

// Account changes (a key retried, the record of who changed what, the last enabled admin) are
// tested on this store and on PostgreSQL alike: tests/pg/users_store_pg_test.cpp,
// Stores/UsersStoreOnBoth.* (the "sqlite" cases are this store).

}  // namespace
}  // namespace concordat
