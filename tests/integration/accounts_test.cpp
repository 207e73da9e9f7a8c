// Accounts managed by an administrator over the API (routes_accounts.cpp), against the real
// server: who may, what a bad request gets, that a retried change is answered and not made twice
// (also across a restart), that a disabled account loses its session at once, and that every
// change is on record with who made it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

std::string Str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : "<" + boost::json::serialize(v) + ">";
}

std::string ErrorField(const HttpResult& r) {
  const auto* e = r.json.is_object() ? r.json.as_object().if_contains("error") : nullptr;
  if (e == nullptr || !e->is_object() || !e->as_object().contains("field")) return "";
  return Str(e->at("field"));
}

boost::json::object NewOfficer(const std::string& username) {
  return {{"username", username},
          {"name", "PC Ada Ward"},
          {"role", "officer"},
          {"collar", "AW-2002"},
          {"password", "a-long-enough-password"}};
}

const boost::json::object* FindUser(const HttpResult& list, const std::string& username) {
  for (const auto& u : list.json.at("users").as_array()) {
    if (Str(u.at("username")) == username) return &u.as_object();
  }
  return nullptr;
}

TEST(AccountsTest, AnAdminAddsAnAccountThatCanSignInAndARetryMakesNoSecond) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  auto made = http.Post("/api/admin/users", admin, NewOfficer("pc.ward"), "acct-1");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Str(made.json.at("username")), "pc.ward");
  EXPECT_EQ(Str(made.json.at("agency").at("id")), "mps");
  EXPECT_FALSE(made.json.at("disabled").as_bool());
  EXPECT_FALSE(made.json.as_object().contains("password"));
  auto again = http.Post("/api/admin/users", admin, NewOfficer("pc.ward"), "acct-1");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  // Another key for the same username is a real collision.
  auto taken = http.Post("/api/admin/users", admin, NewOfficer("pc.ward"), "acct-2");
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_FALSE(server.Login("pc.ward", "a-long-enough-password").empty());
  auto me = http.Get("/api/auth/me", server.Login("pc.ward", "a-long-enough-password"));
  EXPECT_EQ(Str(me.json.at("collar")), "AW-2002");
  auto changes = http.Get("/api/admin/users/changes?limit=5", admin);
  ASSERT_EQ(changes.status, 200) << changes.body;
  const auto& latest = changes.json.at("changes").as_array().at(0);
  EXPECT_EQ(Str(latest.at("action")), "created");
  EXPECT_EQ(Str(latest.at("username")), "pc.ward");
  EXPECT_EQ(Str(latest.at("actor_user")), "user-admin");
  int created = 0;
  for (const auto& c : changes.json.at("changes").as_array()) {
    if (Str(c.at("username")) == "pc.ward") ++created;
  }
  EXPECT_EQ(created, 1);
}

TEST(AccountsTest, BadRequestsNameTheFieldAndChangeNothing) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  const auto before = http.Get("/api/admin/users", admin);
  ASSERT_EQ(before.status, 200);
  auto with = [](boost::json::object o, const char* key, boost::json::value v) {
    o[key] = std::move(v);
    return o;
  };
  struct Case {
    boost::json::object body;
    int status;
    std::string field;
  };
  const Case cases[] = {
      {with(NewOfficer("x"), "role", "chief"), 400, "role"},
      {with(NewOfficer("x"), "password", "short"), 400, "password"},
      {with(NewOfficer("Bad Name"), "username", "Bad Name"), 400, "username"},
      {with(NewOfficer("x"), "agency_id", "trust-slam"), 400, "agency_id"},
      {with(with(NewOfficer("x"), "role", "clinician"), "agency_id", "las"), 400, "agency_id"},
      {with(NewOfficer("x"), "role", "clinician"), 400, "agency_id"},
      {with(with(NewOfficer("x"), "role", "clinician"), "agency_id", "trust-candi"), 400,
       "agency_id"},  // merged into North London NHS FT
      {with(NewOfficer("x"), "name", boost::json::string(201, 'n')), 400, "name"},
      {with(NewOfficer("x"), "password", 12), 400, "password"},
      {with(NewOfficer("x"), "name", ""), 400, "name"},
      {with(NewOfficer("x"), "collar", " "), 400, "collar"},
  };
  int n = 0;
  for (const auto& c : cases) {
    auto r = http.Post("/api/admin/users", admin, c.body, "bad-" + std::to_string(++n));
    EXPECT_EQ(r.status, c.status) << boost::json::serialize(c.body) << " " << r.body;
    EXPECT_EQ(ErrorField(r), c.field) << r.body;
  }
  EXPECT_EQ(http.Get("/api/admin/users", admin).json.at("count"), before.json.at("count"));
  EXPECT_EQ(http.Get("/api/admin/users/changes?limit=0", admin).status, 400);
  EXPECT_EQ(http.Get("/api/admin/users/changes?limit=abc", admin).status, 400);
  EXPECT_EQ(http.Post("/api/admin/users/nobody/disable", admin, boost::json::object{}, "k").status,
            404);
  // A partner account takes its agency's name from the reference data.
  auto partner = http.Post(
      "/api/admin/users", admin,
      with(with(NewOfficer("slam.nurse"), "role", "clinician"), "agency_id", "trust-slam"),
      "good-1");
  ASSERT_EQ(partner.status, 201) << partner.body;
  EXPECT_EQ(Str(partner.json.at("agency").at("name")),
            "South London and Maudsley NHS Foundation Trust");
}

TEST(AccountsTest, OnlyAnAdminChangesAccountsAndAnAuditorMayReadThem) {
  TestServer server;
  HttpClient http(server.port());
  for (const char* role : {"supervisor", "auditor", "officer", "clinician"}) {
    auto r = http.Post("/api/admin/users", server.Login(role), NewOfficer("pc.x"),
                       "k-" + std::string(role));
    EXPECT_EQ(r.status, 403) << role << " " << r.body;
  }
  EXPECT_EQ(http.Get("/api/admin/users", server.Login("auditor")).status, 200);
  EXPECT_EQ(http.Get("/api/admin/users/changes", server.Login("auditor")).status, 200);
  EXPECT_EQ(http.Get("/api/admin/users", server.Login("supervisor")).status, 403);
}

TEST(AccountsTest, DisablingEndsTheSessionAtOnceAndIsRecordedOnce) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  const std::string officer = server.Login("officer");
  ASSERT_EQ(http.Get("/api/auth/me", officer).status, 200);
  auto off = http.Post("/api/admin/users/officer/disable", admin, boost::json::object{}, "d-1");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_TRUE(off.json.at("disabled").as_bool());
  EXPECT_EQ(http.Get("/api/auth/me", officer).status, 401);
  // The same call retried after a restart (the reply was lost): answered, not recorded again.
  server.Restart();
  HttpClient again(server.port());
  auto retry = again.Post("/api/admin/users/officer/disable", admin, boost::json::object{}, "d-1");
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.headers["idempotent-replayed"], "true");
  // The key of that change cannot be used for another.
  EXPECT_EQ(
      again.Post("/api/admin/users/officer/enable", admin, boost::json::object{}, "d-1").status,
      409);
  auto list = again.Get("/api/admin/users", admin);
  ASSERT_NE(FindUser(list, "officer"), nullptr);
  EXPECT_TRUE(FindUser(list, "officer")->at("disabled").as_bool());
  auto changes = again.Get("/api/admin/users/changes", admin);
  int disabled = 0;
  for (const auto& c : changes.json.at("changes").as_array()) {
    if (Str(c.at("username")) == "officer" && Str(c.at("action")) == "disabled") ++disabled;
  }
  EXPECT_EQ(disabled, 1);
  // A new password by the admin, then enabled: the officer signs in with it.
  ASSERT_EQ(again
                .Post("/api/admin/users/officer/password", admin,
                      boost::json::object{{"password", "a-new-long-password"}}, "p-1")
                .status,
            200);
  ASSERT_EQ(
      again.Post("/api/admin/users/officer/enable", admin, boost::json::object{}, "e-1").status,
      200);
  EXPECT_FALSE(server.Login("officer", "a-new-long-password").empty());
}

TEST(AccountsTest, AnAdminCannotLockTheWebAppOut) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  auto self = http.Post("/api/admin/users/admin/disable", admin, boost::json::object{}, "s-1");
  EXPECT_EQ(self.status, 422) << self.body;
  // With a second admin the first may be disabled (by the second); the second, then the last,
  // may not disable itself (and the store refuses the last admin to anyone: UsersStoreTest).
  ASSERT_EQ(http.Post("/api/admin/users", admin,
                      boost::json::object{{"username", "admin.two"},
                                          {"name", "Second Administrator"},
                                          {"role", "admin"},
                                          {"password", "a-long-enough-password"}},
                      "a-2")
                .status,
            201);
  const std::string second = server.Login("admin.two", "a-long-enough-password");
  ASSERT_EQ(
      http.Post("/api/admin/users/admin/disable", second, boost::json::object{}, "s-2").status,
      200);
  EXPECT_EQ(http.Get("/api/admin/users", admin).status, 401);
  EXPECT_EQ(
      http.Post("/api/admin/users/admin.two/disable", second, boost::json::object{}, "s-3").status,
      422);
}

// Log entries and timelines carry user ids; the force's own staff read the names behind them.
TEST(AccountsTest, PoliceReadWhoUserIdsAreAndPartnersDoNot) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  ASSERT_EQ(http.Post("/api/admin/users", admin, NewOfficer("pc.ward"), "acct-p").status, 201);
  ASSERT_EQ(
      http.Post("/api/admin/users/pc.ward/disable", admin, boost::json::object{}, "acct-d").status,
      200);
  const std::string controller = server.Login("controller");
  auto got = http.Get("/api/people?ids=user-pc.ward,user-nobody,user-pc.ward", controller);
  ASSERT_EQ(got.status, 200) << got.body;
  const auto& people = got.json.at("people").as_array();
  ASSERT_EQ(people.size(), 1u) << got.body;  // unknown ids left out, repeats answered once
  EXPECT_EQ(Str(people.at(0).at("name")), "PC Ada Ward");  // a disabled account still has a name
  EXPECT_EQ(Str(people.at(0).at("collar")), "AW-2002");
  EXPECT_EQ(Str(people.at(0).at("role")), "officer");
  EXPECT_FALSE(people.at(0).as_object().contains("username"));

  EXPECT_EQ(http.Get("/api/people?ids=user-pc.ward", server.Login("clinician")).status, 403);
  std::string many = "user-0";
  for (int i = 1; i <= 200; ++i) many += ",user-" + std::to_string(i);
  for (const std::string& bad :
       {std::string(""), std::string("?ids="), std::string("?ids=a,,b"), std::string("?ids=a,"),
        "?ids=" + many, "?ids=" + std::string(101, 'x')}) {
    auto r = http.Get("/api/people" + bad, controller);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(ErrorField(r), "ids") << bad;
  }
}

}  // namespace
}  // namespace concordat::testing
