// The live stream (GET /api/stream, WebSocket) against the real server: catch-up from the log,
// then live events, and a resume with the last seq that misses nothing and repeats nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>
#include <thread>

#include "engine/engine.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

using std::chrono::milliseconds;

std::string Hello(const std::string& token, std::uint64_t since) {
  return boost::json::serialize(
      boost::json::object{{"type", "hello"}, {"token", token}, {"since", since}});
}

std::uint64_t LogSeq(HttpClient& http) {
  return http.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
}

std::vector<std::uint64_t> Range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> out;
  for (auto s = first; s <= last; ++s) {
    out.push_back(s);
  }
  return out;
}

struct Received {
  std::vector<std::uint64_t> seqs;  // event messages, in arrival order
  bool ready = false;
  std::uint64_t head = 0;  // from the ready message
};

// Reads event messages until "ready" (when `until_ready`) or until `last_seq` has arrived.
Received Read(WsClient& ws, bool until_ready, std::uint64_t last_seq = 0) {
  Received out;
  while (auto m = ws.Next(milliseconds(5000))) {
    const auto& o = m->as_object();
    if (o.at("type") == "ready") {
      out.ready = true;
      out.head = o.at("head").to_number<std::uint64_t>();
      if (until_ready) {
        break;
      }
      continue;
    }
    EXPECT_EQ(o.at("type"), boost::json::value("event")) << boost::json::serialize(*m);
    if (o.at("type") != "event") {
      break;
    }
    EXPECT_TRUE(o.at("event_type").is_string());
    EXPECT_TRUE(o.at("at").is_string());
    EXPECT_TRUE(o.at("data").is_object());
    out.seqs.push_back(o.at("seq").to_number<std::uint64_t>());
    if (!until_ready && out.seqs.back() >= last_seq) {
      break;
    }
  }
  return out;
}

TEST(StreamTest, CatchUpThenLiveThenResumeWithoutGapsOrRepeats) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(server.Advance(60).status, 200);
  }
  const std::uint64_t h0 = LogSeq(http);
  ASSERT_GE(h0, 3u);

  WsClient ws;
  ASSERT_TRUE(ws.Connect(server.port()));
  ws.Send(Hello(token, 0));
  auto caught_up = Read(ws, true);
  ASSERT_TRUE(caught_up.ready);
  EXPECT_EQ(caught_up.head, h0);
  EXPECT_EQ(caught_up.seqs, Range(1, h0));

  // Live: a committed change arrives on the stream.
  auto advanced = server.Advance(60);
  ASSERT_EQ(advanced.status, 200);
  const std::uint64_t h1 = advanced.json.at("seq").to_number<std::uint64_t>();
  EXPECT_EQ(Read(ws, false, h1).seqs, Range(h0 + 1, h1));

  // Away (no close handshake) while more happens.
  ws.Close();
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(server.Advance(60).status, 200);
  }
  const std::uint64_t h2 = LogSeq(http);
  ASSERT_GT(h2, h1);

  WsClient again;
  ASSERT_TRUE(again.Connect(server.port()));
  again.Send(Hello(token, h1));
  auto resumed = Read(again, true);
  ASSERT_TRUE(resumed.ready);
  EXPECT_EQ(resumed.head, h2);
  EXPECT_EQ(resumed.seqs, Range(h1 + 1, h2));  // exactly the missed events, once, in order

  auto later = server.Advance(60);
  ASSERT_EQ(later.status, 200);
  const std::uint64_t h3 = later.json.at("seq").to_number<std::uint64_t>();
  EXPECT_EQ(Read(again, false, h3).seqs, Range(h2 + 1, h3));
  EXPECT_FALSE(again.Next(milliseconds(300)).has_value());  // and nothing more
}

TEST(StreamTest, CommitsDuringCatchUpAreNeitherLostNorRepeated) {
  TestServer server;
  const Actor admin{"test-admin", "admin", "mps"};
  // A backlog written by several threads at once (so group commits form).
  auto burst = [&](const std::string& prefix, int n) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < n; ++i) {
          const std::string key = prefix + std::to_string(t) + "-" + std::to_string(i);
          ASSERT_TRUE(server.engine().AdvanceClock(Seconds(1), admin, key).ok);
        }
      });
    }
    for (auto& th : threads) {
      th.join();
    }
  };
  burst("backlog-", 400);

  const std::string token = server.Login("supervisor");
  WsClient ws;
  ASSERT_TRUE(ws.Connect(server.port()));
  std::thread writer([&] { burst("during-", 100); });
  ws.Send(Hello(token, 0));
  writer.join();
  const std::uint64_t head = server.engine().HeadSeq();
  auto got = Read(ws, false, head);
  EXPECT_EQ(got.seqs, Range(1, head));
  EXPECT_FALSE(ws.Next(milliseconds(200)).has_value());
}

TEST(StreamTest, BadHelloIsAnErrorThenClose) {
  TestServer server;
  struct Case {
    std::string hello;
    std::string code;
    std::string field;
  };
  const std::string token = server.Login("controller");
  const std::vector<Case> cases = {
      {"not json", "invalid_argument", "type"},
      {R"({"type":"subscribe"})", "invalid_argument", "type"},
      {R"({"type":"hello"})", "invalid_argument", "token"},
      {R"({"type":"hello","token":"garbage","since":0})", "unauthenticated", ""},
      {R"({"type":"hello","token":")" + token + R"(","since":-1})", "invalid_argument", "since"},
      {R"({"type":"hello","token":")" + token + R"(","since":"7"})", "invalid_argument", "since"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.hello);
    WsClient ws;
    ASSERT_TRUE(ws.Connect(server.port()));
    ws.Send(c.hello);
    auto m = ws.Next(milliseconds(5000));
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->at("type"), boost::json::value("error"));
    EXPECT_EQ(m->at("error").at("code"), boost::json::value(c.code));
    if (!c.field.empty()) {
      EXPECT_EQ(m->at("error").at("field"), boost::json::value(c.field));
    }
    EXPECT_FALSE(ws.Next(milliseconds(5000)).has_value());
    EXPECT_TRUE(ws.closed());
  }
}

// Frames that arrive in the same packet as the hello are not lost: a ping is answered, a close
// is answered and ends the connection (what was queued for the client is dropped: it reads no
// more); a hello sent in two fragments counts as one.
TEST(StreamTest, FramesInTheSamePacketAsTheHelloAreHeard) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  const std::string hello = Hello(token, LogSeq(http));
  const std::string close_normal("\x03\xe8", 2);
  struct Case {
    std::string name;
    std::string frames;
    bool ready_and_pong;  // otherwise: closed
  };
  const std::vector<Case> cases = {
      {"hello, ping", MaskedFrame(0x1, hello) + MaskedFrame(0x9, "p1"), true},
      {"hello in two fragments, ping",
       MaskedFrame(0x1, hello.substr(0, 10), false) + MaskedFrame(0x0, hello.substr(10)) +
           MaskedFrame(0x9, "p1"),
       true},
      {"hello, close", MaskedFrame(0x1, hello) + MaskedFrame(0x8, close_normal), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    // An open connection is read for 1.5 s; a closed one ends the exchange at once.
    const auto frames = ServerFrames(RawWebSocketExchange(
        server.port(), c.frames, milliseconds(c.ready_and_pong ? 1500 : 5000)));
    bool ready = false;
    bool pong = false;
    for (const auto& f : frames) {
      if (f.opcode == 0x1) {
        auto v = boost::json::parse(f.payload);
        ready = ready || v.at("type") == "ready";
        EXPECT_NE(v.at("type"), boost::json::value("error")) << f.payload;
      }
      pong = pong || (f.opcode == 0xA && f.payload == "p1");
    }
    ASSERT_FALSE(frames.empty());
    if (c.ready_and_pong) {
      EXPECT_TRUE(ready) << "the hello was not taken";
      EXPECT_TRUE(pong) << "the ping was not answered";
      EXPECT_NE(frames.back().opcode, 0x8);
    } else {
      EXPECT_EQ(frames.back().opcode, 0x8) << "the close was not answered";
      EXPECT_EQ(frames.back().payload, close_normal);
    }
  }
}

// A client that upgrades and then says nothing is dropped after the hello deadline, not kept.
TEST(StreamTest, AClientThatNeverSaysHelloIsDropped) {
  TestServerOptions options;
  options.ws_hello_seconds = 1;
  TestServer server(options);
  const auto started = std::chrono::steady_clock::now();
  const std::string bytes = RawWebSocketExchange(server.port(), "", milliseconds(10000));
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(bytes.empty()) << "nothing is sent before a hello";
  EXPECT_GE(waited, milliseconds(900));
  EXPECT_LT(waited, milliseconds(5000)) << "the connection was kept open";
}

TEST(StreamTest, UpgradeElsewhereIsRefused) {
  TestServer server;
  WsClient ws;
  EXPECT_FALSE(ws.Connect(server.port(), "/api/health"));
}

}  // namespace
}  // namespace concordat::testing

namespace concordat::testing {
namespace {

// An account disabled while its stream is open: the stream is told the session ended and
// closed within the recheck interval (5 s), and nothing committed after that reaches it.
TEST(StreamTest, AStreamEndsWhenItsAccountIsDisabled) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("call_handler");
  const std::string admin = server.Login("admin");
  WsClient ws;
  ASSERT_TRUE(ws.Connect(server.port()));
  ws.Send(Hello(token, LogSeq(http)));
  auto ready = ws.Next(milliseconds(5000));
  ASSERT_TRUE(ready.has_value());
  ASSERT_EQ(ready->as_object().at("type"), "ready");
  auto off = http.Post("/api/admin/users/call_handler/disable", admin, boost::json::object{},
                       "disable-stream");
  ASSERT_EQ(off.status, 200) << off.body;
  const auto disabled_at = std::chrono::steady_clock::now();
  std::optional<boost::json::value> ended;
  while (auto m = ws.Next(milliseconds(12000))) {
    if (m->as_object().at("type") == "error") {
      ended = m;
      break;
    }
  }
  ASSERT_TRUE(ended.has_value()) << "the disabled account's stream stayed open";
  EXPECT_EQ(ended->as_object().at("error").at("code"), "unauthenticated");
  EXPECT_LT(std::chrono::steady_clock::now() - disabled_at, std::chrono::seconds(11));
  // Closed: an incident created now does not reach it.
  const std::string controller = server.Login("controller");
  ASSERT_EQ(http.Post("/api/incidents", controller, WelfareIncidentBody("A Caller", "07700900000"),
                      "after-disable")
                .status,
            201);
  EXPECT_FALSE(ws.Next(milliseconds(1000)).has_value());
  EXPECT_TRUE(ws.closed());
  const auto metrics = http.Get("/metrics", "").body;
  EXPECT_NE(metrics.find("concordat_ws_sessions_ended_total 1"), std::string::npos);
  EXPECT_NE(metrics.find("concordat_ws_clients 0"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace concordat::testing
