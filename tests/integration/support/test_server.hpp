// Integration-test support: the real Concordat stack (SQLite file, engine, App, HTTP/WebSocket
// server) started in-process on 127.0.0.1 with an ephemeral port, and small blocking clients that
// talk to it over real sockets.
//
// This header is free of Boost.Beast and Asio (only test_server.cpp includes them), so the tests
// that include it compile quickly.
//
// Thread-safety: a TestServer is driven from the test's thread. Each HttpClient and WsClient is
// used by one thread at a time; give every thread its own client.
//
// Example:
//   concordat::testing::TestServer server;              // virtual clock, demo accounts
//   const std::string token = server.Login("controller");
//   concordat::testing::HttpClient http(server.port());
//   auto r = http.Get("/api/auth/me", token);
//   EXPECT_EQ(r.status, 200);
//   EXPECT_EQ(r.json.at("role"), "controller");
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concordat {
class Engine;
class UsersStore;
namespace api {
class App;
}
namespace cli {
class Stack;
}
}  // namespace concordat

namespace concordat::testing {

struct HttpResult {
  int status = 0;  // 0 when no response arrived (connection failed or timed out)
  std::string body;
  boost::json::value json;                     // the parsed body when it is JSON, else null
  std::map<std::string, std::string> headers;  // lower-case names
};

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port, opened on first use and reopened when the
// server has closed it. Every exchange is bounded by a 30 s timeout.
class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sends `method target` with `body` and extra `headers` (names as given); Content-Length is set
  // from the body. A request that fails on a reused connection before any response is retried once
  // on a fresh one.
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {});
  // GET with `Authorization: Bearer <token>` (no header when token is empty).
  HttpResult Get(const std::string& target, const std::string& token);
  // POST of a JSON body, with the bearer token and, when not empty, an Idempotency-Key.
  HttpResult Post(const std::string& target, const std::string& token,
                  const boost::json::value& body, const std::string& idempotency_key = "");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A WebSocket client for /api/stream. Messages are parsed as JSON (a frame that is not JSON comes
// back as a string value).
class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(WsClient&&) noexcept;
  WsClient& operator=(WsClient&&) noexcept;

  // Connects and completes the WebSocket handshake; false on failure. Reconnecting after Close()
  // (or after the server closed) is allowed.
  bool Connect(unsigned short port, const std::string& target = "/api/stream");
  // Sends one text frame (blocks until written, at most 10 s).
  void Send(const std::string& text);
  // The next message, or nullopt when none arrives within `timeout` or the connection is closed.
  std::optional<boost::json::value> Next(std::chrono::milliseconds timeout);
  // Drops the connection at once (no close handshake), like a phone losing signal.
  void Close();
  // Whether the server has closed the connection (as seen by the last Next()).
  bool closed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// POST /api/incidents body: a 999 concern for welfare flagged mental health, at a private
// dwelling in Lambeth (1 Acre Lane), from `caller` on `phone` — the partner tests' incident.
boost::json::object WelfareIncidentBody(const std::string& caller, const std::string& phone);

// A WebSocket conversation at the byte level, for what a library client never does (several
// frames in one packet): connects, upgrades `target`, writes `frames` in one write, then reads
// until the server closes or `wait` passes. Returns the bytes after the 101 response ("" if the
// upgrade failed).
std::string RawWebSocketExchange(unsigned short port, const std::string& frames,
                                 std::chrono::milliseconds wait,
                                 const std::string& target = "/api/stream");

// A client frame (RFC 6455 5.2: masked), `final` unless it is a fragment with more to come.
std::string MaskedFrame(unsigned char opcode, const std::string& payload, bool final = true);

struct WsFrame {
  unsigned char opcode = 0;
  std::string payload;
};
// The server's (unmasked) frames in `bytes`, in order; an incomplete tail is left out.
std::vector<WsFrame> ServerFrames(const std::string& bytes);

struct TestServerOptions {
  bool virtual_clock = true;
  std::string virtual_start = "2026-11-27T10:00:00Z";
  bool demo = true;
  int ws_hello_seconds = 30;  // ServerOptions::ws_hello_seconds
  // "" = the SQLite store in the server's temporary folder; a PostgreSQL URL = the store every
  // server given the same URL shares (the real clock only: set virtual_clock false).
  std::string database_url;
  // AppOptions::list_slice (0: its default), so that a test can make a list read in many slices.
  size_t list_slice = 0;
};

// The real stack, assembled exactly as `concordat serve` does (cli::Stack), on a fresh temporary
// data folder that is removed when the TestServer is destroyed. Passwords use the minimum Argon2id
// cost so that logins are fast. Throws std::runtime_error when the stack cannot start.
class TestServer {
 public:
  explicit TestServer(TestServerOptions o = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const;
  // Signs in and returns the bearer token ("" and a test failure when sign-in fails).
  std::string Login(const std::string& username, const std::string& password = "concordat-demo");
  concordat::Engine& engine();
  const std::string& data_dir() const;
  // Stops everything (server, engine, stores) and starts again on the same data folder with the
  // same options, as a process restart would. The same port is reused when it is free; else
  // port() changes. Tokens stay valid (sessions are stored).
  void Restart();
  // POST /api/admin/clock/advance {"seconds":N} as admin, with a fresh Idempotency-Key.
  HttpResult Advance(int seconds);

  // Beyond the basic API, for tests that need to look inside.
  concordat::api::App& app();
  concordat::UsersStore& users();

 private:
  void Start(unsigned short port);

  TestServerOptions options_;
  std::string data_dir_;
  std::unique_ptr<concordat::cli::Stack> stack_;
  unsigned short port_ = 0;
  std::string admin_token_;
  int advances_ = 0;
};

}  // namespace concordat::testing
