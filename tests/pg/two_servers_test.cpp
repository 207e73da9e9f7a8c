// Two real servers (HTTP, WebSocket, engine, accounts) on one PostgreSQL database, as a force
// runs several for resilience and load (DESIGN.md §6): a user signed in on one is signed in on
// the other; an incident created through one is on the other's board and stream; a retry sent to
// the other server is answered as the first; and `concordat verify --database` finds the log
// whole.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <thread>

#include "pg_fixture.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

using std::chrono::milliseconds;

TestServerOptions Shared(const std::string& url) {
  TestServerOptions o;
  o.virtual_clock = false;
  o.database_url = url;
  return o;
}

std::string RunCommand(const std::string& command, int* status) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf{};
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  *status = ::pclose(p);
  return out;
}

bool BoardHas(HttpClient& http, const std::string& token, const std::string& id) {
  auto board = http.Get("/api/board", token);
  if (board.status != 200) return false;
  for (const auto& inc : board.json.at("incidents").as_array()) {
    if (inc.at("id").is_string() && inc.at("id").as_string() == id) return true;
  }
  return false;
}

TEST(TwoRealServers, ShareAccountsTheLogTheBoardAndTheStream) {
  const std::string url = FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  TestServer a(Shared(url));  // seeds the demo
  TestServer b(Shared(url));  // finds the demo done: nothing is seeded twice
  HttpClient http_a(a.port());
  HttpClient http_b(b.port());
  const auto head = http_a.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
  EXPECT_GT(head, 0u);
  EXPECT_EQ(http_b.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>(), head);

  // Signed in on a, the same token is good on b.
  const std::string token = a.Login("controller");
  ASSERT_FALSE(token.empty());
  auto me = http_b.Get("/api/auth/me", token);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json.at("role"), "controller");

  // b's stream, from the head; then an incident created through a.
  WsClient ws;
  ASSERT_TRUE(ws.Connect(b.port()));
  ws.Send(boost::json::serialize(
      boost::json::object{{"type", "hello"}, {"token", token}, {"since", head}}));
  const auto body = WelfareIncidentBody("Sam Caller", "07700900123");
  auto created = http_a.Post("/api/incidents", token, body, "two-servers-1");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json.at("id").as_string());
  bool streamed = false;
  std::uint64_t last = head;
  while (auto m = ws.Next(milliseconds(5000))) {
    const auto& o = m->as_object();
    if (o.at("type") != "event") continue;
    const auto seq = o.at("seq").to_number<std::uint64_t>();
    EXPECT_EQ(seq, last + 1) << "b's stream skipped or repeated an event";
    last = seq;
    if (o.at("event_type") == "incident.created") {
      streamed = true;
      break;
    }
  }
  EXPECT_TRUE(streamed) << "b's WebSocket clients did not get a's incident";
  bool on_board = false;
  for (int i = 0; i < 100 && !on_board; ++i) {
    on_board = BoardHas(http_b, token, id);
    if (!on_board) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(on_board);

  // The same Idempotency-Key sent to b: the first answer, nothing appended.
  const auto before = http_b.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
  auto again = http_b.Post("/api/incidents", token, body, "two-servers-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(again.json.at("id"), created.json.at("id"));
  EXPECT_EQ(http_b.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>(), before);

  // A log entry through b lands on the incident a created, after it.
  auto logged =
      http_b.Post("/api/incidents/" + id + "/log", token,
                  boost::json::object{{"text", "Caller rang back from b's side"}}, "two-servers-2");
  EXPECT_EQ(logged.status, 200) << logged.body;
  ASSERT_TRUE(logged.json.is_object());
  EXPECT_EQ(logged.json.at("log").as_array().back().at("text"), "Caller rang back from b's side");

  int status = -1;
  const std::string out =
      RunCommand(std::string(CONCORDAT_BINARY) + " verify --database '" + url + "' 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(out.rfind("OK: ", 0), 0u) << out;
}

}  // namespace
}  // namespace concordat::testing
