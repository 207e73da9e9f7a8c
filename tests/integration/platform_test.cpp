// The platform's HTTP contract against the real server (SQLite file, engine, Beast server on an
// ephemeral port): sign-in, tokens, idempotent state changes (also across a restart), the error
// shape, the OpenAPI document, metrics and reference data. The stream and hostile input have
// their own files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <latch>
#include <set>

#include "api/app.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

bool Contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

// The string in a JSON value ("<not a string>" otherwise), for readable assertions.
std::string Str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string())
                       : "<not a string: " + boost::json::serialize(v) + ">";
}

// Asserts the one error shape: {"error":{"code":...,"message":...,"field"?:...}}.
void ExpectError(const HttpResult& r, int status, const std::string& code,
                 const std::string& field = "") {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  const auto* err = r.json.as_object().if_contains("error");
  ASSERT_TRUE(err != nullptr && err->is_object()) << r.body;
  EXPECT_EQ(Str(err->at("code")), code) << r.body;
  EXPECT_TRUE(err->at("message").is_string() && !err->at("message").as_string().empty());
  if (!field.empty()) {
    ASSERT_TRUE(err->as_object().contains("field")) << r.body;
    EXPECT_EQ(Str(err->at("field")), field) << r.body;
  }
}

std::uint64_t LogSeq(HttpClient& http) {
  auto r = http.Get("/api/health", "");
  EXPECT_EQ(r.status, 200);
  return r.json.at("log_seq").to_number<std::uint64_t>();
}

boost::json::object Credentials(const std::string& user, const std::string& password) {
  return {{"username", user}, {"password", password}};
}

TEST(AuthTest, SignInReturnsATokenAndTheUser) {
  TestServer server;
  HttpClient http(server.port());
  auto r = http.Post("/api/auth/login", "", Credentials("controller", "concordat-demo"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GE(r.json.at("token").as_string().size(), 32u);
  EXPECT_EQ(Str(r.json.at("user").at("username")), "controller");
  EXPECT_EQ(Str(r.json.at("user").at("role")), "controller");
  EXPECT_TRUE(r.json.at("expires_at").is_string());
}

TEST(AuthTest, WrongPasswordAndUnknownUserAreTheSame401) {
  TestServer server;
  HttpClient http(server.port());
  auto wrong = http.Post("/api/auth/login", "", Credentials("controller", "not-the-password"));
  ExpectError(wrong, 401, "unauthenticated");
  auto unknown = http.Post("/api/auth/login", "", Credentials("nobody", "concordat-demo"));
  ExpectError(unknown, 401, "unauthenticated");
  // No probing usernames: both answers say the same thing.
  EXPECT_EQ(Str(wrong.json.at("error").at("message")), Str(unknown.json.at("error").at("message")));
}

TEST(AuthTest, RepeatedFailuresAreThrottled) {
  TestServer server;
  HttpClient http(server.port());
  for (int i = 0; i < 5; ++i) {
    ExpectError(
        http.Post("/api/auth/login", "", Credentials("analyst", "guess-" + std::to_string(i))), 401,
        "unauthenticated");
  }
  // Now even the right password is refused for this account, saying for how long (the window
  // of 15 minutes opened at the first failure)...
  auto locked = http.Post("/api/auth/login", "", Credentials("analyst", "concordat-demo"));
  ExpectError(locked, 429, "resource_exhausted");
  const int retry_after = std::stoi(locked.headers["retry-after"]);
  EXPECT_GT(retry_after, 14 * 60);
  EXPECT_LE(retry_after, 15 * 60);
  EXPECT_EQ(locked.json.at("error").at("details").at("retry_after_seconds").to_number<int>(),
            retry_after);
  EXPECT_NE(Str(locked.json.at("error").at("message")).find("try again in 15 minutes"),
            std::string::npos)
      << locked.body;
  // ...but not for another.
  EXPECT_EQ(http.Post("/api/auth/login", "", Credentials("auditor", "concordat-demo")).status, 200);
}

TEST(AuthTest, AnAdministratorSeesAndLiftsASignInLock) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  for (int i = 0; i < 5; ++i) {
    http.Post("/api/auth/login", "", Credentials("officer", "guess-" + std::to_string(i)));
  }
  ExpectError(http.Post("/api/auth/login", "", Credentials("officer", "concordat-demo")), 429,
              "resource_exhausted");
  auto list = http.Get("/api/admin/users", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  for (const auto& u : list.json.at("users").as_array()) {
    const bool locked = u.at("sign_in_locked_until").is_string();
    EXPECT_EQ(locked, Str(u.at("username")) == "officer") << Str(u.at("username"));
  }
  // Only an administrator may lift it; a retry with the same key is answered, not made twice.
  ExpectError(http.Post("/api/admin/users/officer/unlock", server.Login("supervisor"),
                        boost::json::object{}, "unlock-0"),
              403, "permission_denied");
  auto unlocked =
      http.Post("/api/admin/users/officer/unlock", admin, boost::json::object{}, "unlock-1");
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_TRUE(unlocked.json.at("sign_in_locked_until").is_null());
  EXPECT_EQ(http.Post("/api/admin/users/officer/unlock", admin, boost::json::object{}, "unlock-1")
                .headers["idempotent-replayed"],
            "true");
  EXPECT_EQ(http.Post("/api/auth/login", "", Credentials("officer", "concordat-demo")).status, 200);
  auto changes = http.Get("/api/admin/users/changes?limit=5", admin);
  int unlocks = 0;
  for (const auto& c : changes.json.at("changes").as_array()) {
    unlocks += Str(c.at("action")) == "unlocked" && Str(c.at("username")) == "officer";
  }
  EXPECT_EQ(unlocks, 1);
  ExpectError(http.Post("/api/admin/users/nobody/unlock", admin, boost::json::object{}, "u-2"), 404,
              "not_found");
}

TEST(AuthTest, ASignInLockOutlastsARestart) {
  TestServer server;
  HttpClient http(server.port());
  for (int i = 0; i < 5; ++i) {
    http.Post("/api/auth/login", "", Credentials("analyst", "guess-" + std::to_string(i)));
  }
  server.Restart();
  HttpClient again(server.port());
  ExpectError(again.Post("/api/auth/login", "", Credentials("analyst", "concordat-demo")), 429,
              "resource_exhausted");
}

TEST(AuthTest, DisabledUserCannotSignInAndLosesTheSession) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("officer");
  ASSERT_EQ(http.Get("/api/auth/me", token).status, 200);
  ASSERT_TRUE(server.users().SetDisabled("officer", true, server.engine().clock().Now()).ok());
  ExpectError(http.Get("/api/auth/me", token), 401, "unauthenticated");
  ExpectError(http.Post("/api/auth/login", "", Credentials("officer", "concordat-demo")), 401,
              "unauthenticated");
  ASSERT_TRUE(server.users().SetDisabled("officer", false, server.engine().clock().Now()).ok());
  EXPECT_EQ(http.Post("/api/auth/login", "", Credentials("officer", "concordat-demo")).status, 200);
}

TEST(AuthTest, MeShowsRoleAndAgency) {
  TestServer server;
  HttpClient http(server.port());
  auto police = http.Get("/api/auth/me", server.Login("controller"));
  ASSERT_EQ(police.status, 200) << police.body;
  EXPECT_EQ(Str(police.json.at("role")), "controller");
  EXPECT_EQ(Str(police.json.at("agency").at("id")), "mps");
  EXPECT_EQ(Str(police.json.at("agency").at("name")), "Metropolitan Police Service");
  auto partner = http.Get("/api/auth/me", server.Login("clinician"));
  ASSERT_EQ(partner.status, 200) << partner.body;
  EXPECT_EQ(Str(partner.json.at("role")), "clinician");
  EXPECT_EQ(Str(partner.json.at("agency").at("id")), "trust-slam");
}

TEST(AuthTest, LogoutEndsTheToken) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("supervisor");
  const std::string other = server.Login("supervisor");
  ASSERT_EQ(http.Post("/api/auth/logout", token, boost::json::object{}).status, 200);
  ExpectError(http.Get("/api/auth/me", token), 401, "unauthenticated");
  // Only that session ended.
  EXPECT_EQ(http.Get("/api/auth/me", other).status, 200);
}

TEST(AuthTest, MissingOrGarbageCredentialsAre401) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  const std::vector<std::map<std::string, std::string>> cases = {
      {},
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Bearer not-a-token"}},
      {{"Authorization", "Bearer " + std::string(5000, 'x')}},
      {{"Authorization", "Bearer " + token + "x"}},
      {{"Authorization", "Basic Y29udHJvbGxlcjpjb25jb3JkYXQtZGVtbw=="}},
      {{"Authorization", "bearer"}},
  };
  for (const auto& headers : cases) {
    SCOPED_TRACE(headers.empty() ? "(none)" : headers.begin()->second.substr(0, 40));
    ExpectError(http.Send("GET", "/api/auth/me", "", headers), 401, "unauthenticated");
    ExpectError(http.Send("GET", "/api/board", "", headers), 401, "unauthenticated");
  }
}

TEST(IdempotencyTest, SameKeyTwiceReplaysTheFirstOutcomeAndAppendsNothing) {
  TestServer server;
  HttpClient http(server.port());
  const std::string admin = server.Login("admin");
  const std::string target = "/api/admin/clock/advance";
  auto first = http.Post(target, admin, boost::json::object{{"seconds", 30}}, "idem-key-1");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_FALSE(first.headers.contains("idempotent-replayed"));
  const std::uint64_t head = LogSeq(http);
  EXPECT_GT(head, 0u);
  const auto now = http.Get("/api/health", "").json.at("now");

  // A retry gets the first outcome and changes nothing.
  auto again = http.Post(target, admin, boost::json::object{{"seconds", 30}}, "idem-key-1");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(LogSeq(http), head);
  EXPECT_EQ(http.Get("/api/health", "").json.at("now"), now);
  // The key with another body is another request: refused (409), and it changes nothing either.
  auto another = http.Post(target, admin, boost::json::object{{"seconds", 600}}, "idem-key-1");
  EXPECT_EQ(another.status, 409) << another.body;
  EXPECT_EQ(LogSeq(http), head);
  EXPECT_EQ(http.Get("/api/health", "").json.at("now"), now);
  // A new key is a new command.
  auto other = http.Post(target, admin, boost::json::object{{"seconds", 30}}, "idem-key-2");
  ASSERT_EQ(other.status, 200);
  EXPECT_FALSE(other.headers.contains("idempotent-replayed"));
  EXPECT_GT(LogSeq(http), head);
}

// The same key sent with another request (another route, or the same route with another body) is
// refused with 409 and changes nothing: answering with the first request's outcome would tell the
// client that this one was done. The first request's own retry is still answered.
TEST(IdempotencyTest, AKeyUsedAgainForAnotherRequestIsAConflict) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  const auto body = WelfareIncidentBody("Pat Caller", "07700900111");
  auto created = http.Post("/api/incidents", token, body, "reused-key");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json.at("id").as_string());
  const std::uint64_t head = LogSeq(http);
  auto elsewhere = http.Post("/api/incidents/" + id + "/log", token,
                             boost::json::object{{"text", "a note"}}, "reused-key");
  EXPECT_EQ(elsewhere.status, 409) << elsewhere.body;
  EXPECT_EQ(elsewhere.json.at("error").at("code"), "conflict");
  auto changed = body;
  changed["description"] = "another call";
  EXPECT_EQ(http.Post("/api/incidents", token, changed, "reused-key").status, 409);
  EXPECT_EQ(LogSeq(http), head);
  auto retry = http.Post("/api/incidents", token, body, "reused-key");
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.headers["idempotent-replayed"], "true");
  EXPECT_EQ(retry.json.at("id"), created.json.at("id"));
}

// A command route only submits to the engine, so it runs on the I/O thread that read it: a
// command is answered while every worker is busy (with slow reads, password hashing), and a
// request that needs a worker waits for one.
TEST(DispatchTest, ACommandIsAnsweredWhileEveryWorkerIsBusy) {
  TestServer server;
  const std::string token = server.Login("call_handler");
  auto& pool = server.app().pool();
  ASSERT_GT(pool.threads(), 0u);
  std::latch busy(static_cast<std::ptrdiff_t>(pool.threads()));
  // Released on every way out of the test, or the server's workers would never finish.
  struct Release {
    std::promise<void> promise;
    bool done = false;
    void Now() {
      if (!done) promise.set_value();
      done = true;
    }
    ~Release() { Now(); }
  } release;
  std::shared_future<void> released = release.promise.get_future().share();
  for (size_t i = 0; i < pool.threads(); ++i) {
    pool.Post([&busy, released] {
      busy.count_down();
      released.wait();
    });
  }
  busy.wait();  // every worker is held

  HttpClient http(server.port());
  auto created = http.Post("/api/incidents", token,
                           boost::json::object{{"channel", "999"},
                                               {"location", {{"address", "1 Station Road"}}},
                                               {"type", "mental_health"},
                                               {"grade", "S"}},
                           "dispatch-1");
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(created.json.is_object() && created.json.as_object().contains("id")) << created.body;

  // A read needs a worker: it is answered only once one is free.
  auto read = std::async(std::launch::async, [&server, &token] {
    HttpClient other(server.port());
    return other.Get("/api/incidents", token);
  });
  EXPECT_EQ(read.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  release.Now();
  auto list = read.get();
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(created.json.at("id").as_string().c_str()), std::string::npos);
}

TEST(IdempotencyTest, ReplayHoldsAcrossARestart) {
  TestServer server;
  const std::string admin = server.Login("admin");
  HttpResult first;
  std::uint64_t head = 0;
  {
    HttpClient http(server.port());
    first = http.Post("/api/admin/clock/advance", admin, boost::json::object{{"seconds", 5}},
                      "before-restart");
    ASSERT_EQ(first.status, 200) << first.body;
    head = LogSeq(http);
  }
  server.Restart();
  HttpClient http(server.port());
  EXPECT_EQ(LogSeq(http), head);  // replayed from the file
  auto again = http.Post("/api/admin/clock/advance", admin, boost::json::object{{"seconds", 5}},
                         "before-restart");
  ASSERT_EQ(again.status, 200) << again.body;  // the session survived the restart too
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(LogSeq(http), head);
  // The same key for another advance is not a retry: refused, and the clock does not move.
  const auto clock_before = http.Get("/api/health", "").json.at("now");
  auto other = http.Post("/api/admin/clock/advance", admin, boost::json::object{{"seconds", 60}},
                         "before-restart");
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(LogSeq(http), head);
  EXPECT_EQ(http.Get("/api/health", "").json.at("now"), clock_before);
}

TEST(ErrorsTest, MalformedJsonBodyIs400NamingTheBody) {
  TestServer server;
  HttpClient http(server.port());
  const std::map<std::string, std::string> json{{"Content-Type", "application/json"}};
  ExpectError(http.Send("POST", "/api/auth/login", "{\"username\": \"admin\",", json), 400,
              "invalid_argument", "body");
  ExpectError(http.Send("POST", "/api/auth/login", "", json), 400, "invalid_argument", "body");
  ExpectError(http.Send("POST", "/api/auth/login", "[1,2]", json), 400, "invalid_argument", "body");
}

TEST(ErrorsTest, OversizedBodyIs413WithTheErrorShape) {
  TestServer server;
  HttpClient http(server.port());
  const std::string body = "{\"username\":\"" + std::string(1024 * 1024, 'a') + "\"}";
  auto r = http.Send("POST", "/api/auth/login", body, {{"Content-Type", "application/json"}});
  ExpectError(r, 413, "invalid_argument", "body");
  // The client can carry on (on a new connection).
  EXPECT_EQ(http.Get("/api/health", "").status, 200);
}

TEST(ErrorsTest, UnknownEndpointIs404AndWrongMethodIsRefused) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  ExpectError(http.Get("/api/no-such-thing", token), 404, "not_found");
  ExpectError(http.Get("/api/no-such-thing", ""), 404, "not_found");
  ExpectError(http.Send("POST", "/api/nope", "{}", {}), 404, "not_found");
  // A path that exists with another method: 405, saying which methods it takes.
  ExpectError(http.Send("DELETE", "/api/health"), 405, "invalid_argument", "method");
  ExpectError(http.Send("PUT", "/api/auth/me", "{}", {{"Authorization", "Bearer " + token}}), 405,
              "invalid_argument", "method");
  auto login = http.Get("/api/auth/login", "");
  ExpectError(login, 405, "invalid_argument", "method");
  EXPECT_EQ(login.headers["allow"], "POST");
  EXPECT_NE(login.body.find("use POST"), std::string::npos) << login.body;
  // A report that does not exist is not found, like any other missing thing.
  ExpectError(http.Get("/api/reports/nosuch", server.Login("analyst")), 404, "not_found", "report");
}

// The auditor checks the log's chain from the screen (GET /api/audit/verify), as `concordat verify`
// does from the command line: whole, with the count and head hash; then, after a row is edited
// behind the server's back, broken at that event. Others may not ask.
TEST(AuditTest, TheAuditorChecksTheLogAndFindsARowEditedBehindTheServersBack) {
  TestServer server;
  HttpClient http(server.port());
  const std::string auditor = server.Login("auditor");
  ExpectError(http.Get("/api/audit/verify", server.Login("controller")), 403, "permission_denied");
  auto whole = http.Get("/api/audit/verify", auditor);
  ASSERT_EQ(whole.status, 200) << whole.body;
  const auto head = LogSeq(http);
  ASSERT_GT(head, 10u);
  EXPECT_TRUE(whole.json.at("ok").as_bool());
  EXPECT_EQ(whole.json.at("count").to_number<std::uint64_t>(), head);
  EXPECT_EQ(Str(whole.json.at("head_hash")), server.engine().log().HeadHash());
  EXPECT_TRUE(whole.json.at("first_bad_seq").is_null());
  EXPECT_TRUE(whole.json.at("checked_at").is_string());

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((server.data_dir() + "/concordat.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE events SET payload = '{\"edited\":true}' WHERE seq = 7",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto broken = http.Get("/api/audit/verify", auditor);
  ASSERT_EQ(broken.status, 200) << broken.body;
  EXPECT_FALSE(broken.json.at("ok").as_bool());
  EXPECT_EQ(broken.json.at("first_bad_seq").to_number<std::uint64_t>(), 7u);
  EXPECT_EQ(broken.json.at("count").to_number<std::uint64_t>(), 6u);  // whole before it
  EXPECT_TRUE(Contains(Str(broken.json.at("problem")), "altered")) << broken.body;
  EXPECT_TRUE(broken.json.at("head_hash").is_null());
}

// One check of the log at a time: a second asked for while the first reads the log is refused
// with 409 (it would take a second worker for the same answer), and the first still answers in
// full. The log is made long enough (some 150,000 events) for the two to overlap.
TEST(AuditTest, ASecondCheckWhileOneRunsIsRefused) {
  TestServer server;
  HttpClient http(server.port());
  const std::string auditor = server.Login("auditor");
  auto created = http.Post("/api/incidents", server.Login("controller"),
                           WelfareIncidentBody("A Caller", "07700 900000"), "audit-busy-1");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string incident = Str(created.json.at("id"));
  constexpr int kLines = 150'000;
  std::atomic<int> answered{0}, failed{0};
  std::promise<void> all;
  for (int n = 0; n < kLines; ++n) {
    Command c{"incident.log",
              incident,
              {{"text", "line " + std::to_string(n)}},
              {"user-ctl", "controller", "mps", ""},
              "busy-" + std::to_string(n)};
    c.idempotent = false;
    c.wants_reply = false;
    server.engine().Submit(std::move(c), [&](Outcome o) {
      if (!o.ok) failed.fetch_add(1);
      if (answered.fetch_add(1) + 1 == kLines) all.set_value();
    });
  }
  all.get_future().wait();
  ASSERT_EQ(failed.load(), 0);

  auto check = [&] {
    HttpClient own(server.port());
    return own.Get("/api/audit/verify", auditor);
  };
  auto first = std::async(std::launch::async, check);
  auto second = std::async(std::launch::async, check);
  auto a = first.get();
  auto b = second.get();
  // Whichever reached the log first answers; the other is refused while it runs.
  const auto& done = a.status == 200 ? a : b;
  const auto& refused = a.status == 200 ? b : a;
  ASSERT_EQ(done.status, 200) << a.body << b.body;
  ExpectError(refused, 409, "conflict");
  EXPECT_TRUE(Contains(refused.body, "a check of the log is running now")) << refused.body;
  EXPECT_TRUE(done.json.at("ok").as_bool());
  EXPECT_EQ(done.json.at("count").to_number<std::uint64_t>(), LogSeq(http));
  // Once it has ended, the next check runs.
  EXPECT_EQ(http.Get("/api/audit/verify", auditor).status, 200);
}

TEST(ContractTest, HealthShape) {
  TestServer server;
  HttpClient http(server.port());
  auto r = http.Get("/api/health", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(r.json.at("status")), "ok");
  EXPECT_TRUE(r.json.at("version").is_string());
  EXPECT_TRUE(r.json.at("log_seq").is_number());
  EXPECT_EQ(r.headers["content-type"], "application/json");
}

TEST(ContractTest, OpenApiListsExactlyTheRoutesThatExist) {
  TestServer server;
  HttpClient http(server.port());
  auto r = http.Get("/api/openapi.json", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(r.json.at("openapi")).substr(0, 2), "3.");
  std::set<std::string> documented;
  for (const auto& [path, ops] : r.json.at("paths").as_object()) {
    for (const auto& [method, op] : ops.as_object()) {
      std::string m(method);
      for (auto& c : m) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      documented.insert(m + " " + std::string(path));
    }
  }
  std::set<std::string> routed;
  for (const auto& route : server.app().router().routes()) {
    routed.insert(route.method + " " + route.pattern);
  }
  EXPECT_EQ(documented, routed);
  // Query parameters are listed with the routes that read them.
  std::set<std::string> report_query;
  for (const auto& p :
       r.json.at("paths").at("/api/reports/{name}").at("get").at("parameters").as_array()) {
    if (p.at("in") == "query") report_query.insert(Str(p.at("name")));
  }
  EXPECT_EQ(report_query, (std::set<std::string>{"from", "to", "bcu", "format", "table"}));
  EXPECT_TRUE(routed.contains("POST /api/auth/login"));
  EXPECT_TRUE(routed.contains("POST /api/admin/clock/advance"));
}

// Every route that only submits a command is made by CommandRoute: it runs on the I/O thread and
// parses a JSON body. The POSTs that are not plain commands run on the workers: sign-in (Argon2id)
// and out, the virtual clock (its handler waits for the outcome), the CSV import (parses and
// checks a whole file first) and account changes (Argon2id; the accounts store is not the log).
TEST(ContractTest, EveryCommandRouteRunsOnTheIoThread) {
  TestServer server;  // with the virtual clock, so its route exists
  const std::set<std::string> not_commands{"POST /api/auth/login",
                                           "POST /api/auth/logout",
                                           "POST /api/admin/clock/advance",
                                           "POST /api/training/completions/import",
                                           "POST /api/admin/users",
                                           "POST /api/admin/users/{username}/disable",
                                           "POST /api/admin/users/{username}/enable",
                                           "POST /api/admin/users/{username}/password",
                                           "POST /api/admin/users/{username}/unlock"};
  std::set<std::string> off_io;
  int commands = 0;
  for (const auto& route : server.app().router().routes()) {
    if (route.method == "GET") continue;
    const std::string name = route.method + " " + route.pattern;
    if (not_commands.contains(name)) {
      EXPECT_FALSE(route.on_io_thread) << name;
      continue;
    }
    ++commands;
    if (!route.on_io_thread || !route.json_body) off_io.insert(name);
  }
  std::string names;
  for (const auto& n : off_io) names += "\n  " + n;
  EXPECT_TRUE(off_io.empty()) << "not on the I/O thread or without a JSON body:" << names;
  // The command routes of CAD, mental health, partners, teams, training, learning and alerts.
  EXPECT_GE(commands, 50);
}

TEST(ContractTest, AdvanceClockExistsOnlyWithTheVirtualClock) {
  TestServer server(TestServerOptions{.virtual_clock = false});
  HttpClient http(server.port());
  ExpectError(http.Post("/api/admin/clock/advance", server.Login("admin"),
                        boost::json::object{{"seconds", 1}}),
              404, "not_found");
  EXPECT_FALSE(Contains(http.Get("/api/openapi.json", "").body, "/api/admin/clock/advance"));
}

TEST(ContractTest, MetricsHaveTheNamedFamilies) {
  TestServer server;
  HttpClient http(server.port());
  ASSERT_EQ(server.Advance(1).status, 200);
  const std::uint64_t head = LogSeq(http);
  auto r = http.Get("/metrics", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.headers["content-type"].starts_with("text/plain"));
  for (const char* family :
       {"concordat_http_requests_total counter",
        "concordat_http_request_duration_seconds histogram", "concordat_log_seq gauge",
        "concordat_engine_commits_total counter", "concordat_engine_events_total counter",
        "concordat_engine_batch_size_last gauge", "concordat_engine_batch_size_max gauge",
        "concordat_ws_clients gauge"}) {
    EXPECT_TRUE(Contains(r.body, std::string("# TYPE ") + family)) << family;
  }
  EXPECT_TRUE(Contains(r.body, "\nconcordat_log_seq " + std::to_string(head) + "\n")) << r.body;
  EXPECT_TRUE(Contains(r.body, "route=\"/api/health\",status=\"200\"")) << r.body;
}

TEST(ContractTest, ReferenceDataCounts) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("officer");
  auto bcus = http.Get("/api/reference/bcus", token);
  ASSERT_EQ(bcus.status, 200);
  EXPECT_EQ(bcus.json.as_array().size(), 12u);
  auto boroughs = http.Get("/api/reference/boroughs", token);
  ASSERT_EQ(boroughs.status, 200);
  ASSERT_EQ(boroughs.json.as_array().size(), 33u);
  int without_bcu = 0;
  for (const auto& b : boroughs.json.as_array()) {
    without_bcu += b.at("bcu").is_null() ? 1 : 0;
  }
  EXPECT_EQ(without_bcu, 1);  // the City of London, another force
  EXPECT_FALSE(http.Get("/api/reference/places-of-safety", token).json.as_array().empty());
  EXPECT_FALSE(http.Get("/api/reference/emergency-departments", token).json.as_array().empty());
  ExpectError(http.Get("/api/reference/bcus", ""), 401, "unauthenticated");
}

// "Newest first" by number, not by the ids' text ("inc-9" after "inc-12"), so that a limit takes
// the newest.
TEST(ListsTest, IncidentsAndAlertsAreNewestFirstByNumber) {
  TestServer server;
  HttpClient http(server.port());
  const std::string controller = server.Login("controller");
  std::vector<std::uint64_t> made;
  for (int n = 0; n < 12; ++n) {
    auto r = http.Post("/api/incidents", controller,
                       WelfareIncidentBody("Caller " + std::to_string(n), "07700 900100"),
                       "order-" + std::to_string(n));
    ASSERT_EQ(r.status, 201) << r.body;
    made.push_back(api::IdNumber(Str(r.json.at("id"))));
  }
  auto three = http.Get("/api/incidents?limit=3", controller);
  ASSERT_EQ(three.status, 200) << three.body;
  ASSERT_EQ(three.json.at("incidents").as_array().size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(api::IdNumber(Str(three.json.at("incidents").at(k).at("id"))), made[11 - k]);
  }
  // A limit out of range is refused, as every list's is, not quietly changed.
  for (const char* bad : {"0", "5001", "-1", "10x", "ten"}) {
    auto r = http.Get(std::string("/api/incidents?limit=") + bad, controller);
    ExpectError(r, 400, "invalid_argument", "limit");
    EXPECT_TRUE(Contains(r.body, "limit must be a number from 1 to 5000")) << bad << r.body;
  }
  auto recs = http.Get("/api/incidents/" + Str(three.json.at("incidents").at(0).at("id")) +
                           "/recommendations?limit=51",
                       controller);
  ExpectError(recs, 400, "invalid_argument", "limit");
  EXPECT_EQ(http.Get("/api/incidents/" + Str(three.json.at("incidents").at(0).at("id")) +
                         "/recommendations?limit=2",
                     controller)
                .status,
            200);
  auto alerts = http.Get("/api/alerts", controller);
  ASSERT_EQ(alerts.status, 200);
  std::uint64_t last = UINT64_MAX;
  ASSERT_GE(alerts.json.as_array().size(), 2u);  // the demo seed's
  for (const auto& a : alerts.json.as_array()) {
    const std::uint64_t n = api::IdNumber(Str(a.at("id")));
    EXPECT_LT(n, last) << Str(a.at("id"));
    last = n;
  }
  // A page at a time: ?limit= the newest, X-Next-Before where the next page starts, and the
  // pages together are the whole list in the same order.
  std::vector<std::string> whole, paged;
  for (const auto& a : alerts.json.as_array()) whole.push_back(Str(a.at("id")));
  std::string next = "/api/alerts?limit=1";
  for (int page = 0; page < 100 && !next.empty(); ++page) {
    auto r = http.Get(next, controller);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_LE(r.json.as_array().size(), 1u);
    for (const auto& a : r.json.as_array()) paged.push_back(Str(a.at("id")));
    const auto more = r.headers.find("x-next-before");
    next = more == r.headers.end() ? "" : "/api/alerts?limit=1&before=" + more->second;
  }
  EXPECT_EQ(paged, whole);
  auto older = http.Get("/api/alerts?before=" + whole.front(), controller);
  ASSERT_EQ(older.status, 200) << older.body;
  EXPECT_EQ(older.json.as_array().size(), whole.size() - 1);
  EXPECT_EQ(older.headers.count("x-next-before"), 0u);  // nothing after the last page
  for (const char* bad : {"limit=0", "limit=1001", "limit=x", "before=alert-0", "before=alert-",
                          "before=inc-4", "before=alert-1x"}) {
    auto r = http.Get(std::string("/api/alerts?") + bad, controller);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
  }
  EXPECT_EQ(api::IdNumber("inc-120"), 120u);
  EXPECT_EQ(api::IdNumber("alert-x"), 0u);
  // ?status=open (read from the open incidents, not a scan) is the whole list's open ones, in the
  // same order; a closed incident moves to ?status=closed.
  auto closed = http.Post("/api/incidents/inc-" + std::to_string(made[5]) + "/close", controller,
                          boost::json::object{{"result_code", "no_trace"}, {"summary", "gone"}},
                          "order-close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  const auto ids_of = [&](const std::string& query) {
    std::vector<std::string> ids;
    std::vector<std::string> statuses;
    for (const auto& i :
         http.Get("/api/incidents" + query, controller).json.at("incidents").as_array()) {
      ids.push_back(Str(i.at("id")));
      statuses.push_back(Str(i.at("status")));
    }
    return std::make_pair(ids, statuses);
  };
  const auto [all, all_statuses] = ids_of("?limit=5000");
  std::vector<std::string> open_in_all;
  for (size_t k = 0; k < all.size(); ++k) {
    if (all_statuses[k] == "open") open_in_all.push_back(all[k]);
  }
  EXPECT_EQ(ids_of("?status=open&limit=5000").first, open_in_all);
  const std::string gone = "inc-" + std::to_string(made[5]);
  EXPECT_EQ(std::count(open_in_all.begin(), open_in_all.end(), gone), 0);
  const auto closed_ids = ids_of("?status=closed").first;
  EXPECT_EQ(std::count(closed_ids.begin(), closed_ids.end(), gone), 1);
}

// A list with no index to use (?bcu=, ?status=closed, a time window, or none) is read a slice of
// the store at a time so that the writer waits for one slice at most; read in slices of 5 it is
// the same list, in the same order, as read in one.
TEST(ListsTest, AListReadInSlicesIsTheSameAsInOne) {
  TestServer whole;
  TestServerOptions o;
  o.list_slice = 5;
  TestServer sliced(o);
  for (TestServer* server : {&whole, &sliced}) {
    HttpClient http(server->port());
    const std::string controller = server->Login("controller");
    for (int n = 0; n < 23; ++n) {
      auto r = http.Post("/api/incidents", controller,
                         WelfareIncidentBody("Caller " + std::to_string(n), "07700 900100"),
                         "slice-" + std::to_string(n));
      ASSERT_EQ(r.status, 201) << r.body;
      if (n % 4 == 0) {
        ASSERT_EQ(http.Post("/api/incidents/" + Str(r.json.at("id")) + "/close", controller,
                            boost::json::object{{"result_code", "no_trace"}, {"summary", "gone"}},
                            "slice-close-" + std::to_string(n))
                      .status,
                  200);
      }
    }
  }
  const auto ids = [](TestServer& server, const std::string& query) {
    HttpClient http(server.port());
    auto r = http.Get("/api/incidents" + query, server.Login("controller"));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> out;
    for (const auto& i : r.json.at("incidents").as_array()) out.push_back(Str(i.at("id")));
    return out;
  };
  for (const char* query :
       {"?limit=5000", "", "?limit=3", "?limit=7", "?status=closed", "?status=closed&limit=2",
        "?bcu=CS", "?grade=S&limit=4", "?from=2026-11-27T10:00:00Z&to=2026-11-27T10:00:00.5Z"}) {
    const auto one = ids(whole, query);
    EXPECT_EQ(ids(sliced, query), one) << query;
    if (std::string(query) == "?limit=5000") {
      EXPECT_GT(one.size(), 30u);  // 23 and the demo's
    }
  }
}

}  // namespace
}  // namespace concordat::testing
