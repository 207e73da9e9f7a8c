// No input may produce a 500 or a partial change: a table of hostile requests through the real
// client, and raw bytes that no HTTP library would send, each answered with a 4xx.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

struct HostileCase {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  std::string token_role;  // "" = no token
  int expected;            // the exact status
  std::map<std::string, std::string> headers = {};
};

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::vector<HostileCase> Cases() {
  const std::string login = "/api/auth/login";
  const std::string advance = "/api/admin/clock/advance";
  return {
      {"login body is an array", "POST", login, "[]", "", 400},
      {"username is a number", "POST", login, R"({"username":5,"password":"x"})", "", 400},
      {"password is an object", "POST", login, R"({"username":"admin","password":{"a":1}})", "",
       400},
      {"username is null", "POST", login, R"({"username":null,"password":"x"})", "", 400},
      {"username too long", "POST", login,
       R"({"username":")" + std::string(70, 'u') + R"(","password":"x"})", "", 400},
      {"NUL in username", "POST", login, R"({"username":"\u0000admin","password":"x"})", "", 401},
      {"unicode username", "POST", login,
       R"({"username":"адмін 🚓 \u202e","password":"concordat-demo"})", "", 401},
      {"invalid UTF-8", "POST", login, "{\"username\":\"\xff\xfe\",\"password\":\"x\"}", "", 400},
      {"nested 100000 deep", "POST", login, Nested(100000), "", 400},
      {"number overflows a double", "POST", login, R"({"username":1e999999})", "", 400},
      {"duplicate keys", "POST", login,
       R"({"username":"admin","username":"admin","password":"wrong-password"})", "", 401},
      {"seconds huge double", "POST", advance, R"({"seconds":1e300})", "admin", 400},
      {"seconds huge integer", "POST", advance, R"({"seconds":99999999999999999999999})", "admin",
       400},
      {"seconds negative", "POST", advance, R"({"seconds":-5})", "admin", 400},
      {"seconds zero", "POST", advance, R"({"seconds":0})", "admin", 400},
      {"seconds fractional", "POST", advance, R"({"seconds":1.5})", "admin", 400},
      {"seconds a string", "POST", advance, R"({"seconds":"10"})", "admin", 400},
      {"seconds a bool", "POST", advance, R"({"seconds":true})", "admin", 400},
      {"seconds missing", "POST", advance, R"({})", "admin", 400},
      {"advance by a controller", "POST", advance, R"({"seconds":1})", "controller", 403},
      {"board by a partner", "GET", "/api/board", "", "clinician", 403},
      {"unknown alert", "POST", "/api/alerts/alert-999/acknowledge", "{}", "controller", 404},
      {"idempotency key too long",
       "POST",
       "/api/alerts/alert-1/acknowledge",
       "{}",
       "controller",
       400,
       {{"Idempotency-Key", std::string(200, 'k')}}},
      {"very long path segment", "POST", "/api/alerts/" + std::string(5000, 'a') + "/acknowledge",
       "{}", "controller", 404},
      {"path traversal under /api", "GET", "/api/../../etc/passwd", "", "controller", 404},
      {"encoded traversal under /api", "GET", "/api/reference/..%2f..%2f..%2fetc%2fpasswd", "",
       "controller", 404},
      {"bad percent encoding", "GET", "/api/health%zz", "", "", 400},
      {"unknown method", "FOO", "/api/health", "", "", 405},
      {"request line over the header limit", "GET", "/api/" + std::string(20000, 'x'), "", "", 413},
  };
}

TEST(HostileInputTest, EveryHostileRequestIsA4xxAndChangesNothing) {
  TestServer server;
  std::map<std::string, std::string> tokens;
  for (const char* role : {"admin", "controller", "clinician"}) {
    tokens[role] = server.Login(role);
  }
  HttpClient http(server.port());
  const auto head = http.Get("/api/health", "").json.at("log_seq");
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    auto headers = c.headers;
    headers["Content-Type"] = "application/json";
    if (!c.token_role.empty()) {
      headers["Authorization"] = "Bearer " + tokens[c.token_role];
    }
    auto r = http.Send(c.method, c.target, c.body, headers);
    EXPECT_EQ(r.status, c.expected) << r.body.substr(0, 300);
    ASSERT_TRUE(r.json.is_object()) << r.body.substr(0, 300);
    EXPECT_TRUE(r.json.as_object().contains("error"));
  }
  EXPECT_EQ(http.Get("/api/health", "").json.at("log_seq"), head);
}

// Outside /api: traversal must never reach the file system, whether or not the app is built.
TEST(HostileInputTest, StaticFilesRefuseTraversal) {
  TestServer server;
  HttpClient http(server.port());
  for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/assets/..%2f..%2f..%2fetc%2fpasswd", "/..", "/.%2e/"}) {
    SCOPED_TRACE(target);
    auto r = http.Get(target, "");
    EXPECT_GE(r.status, 400);
    EXPECT_LT(r.status, 500);
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << r.body.substr(0, 200);
  }
}

// Sends raw bytes and returns the status of the first response ("" connection error → 0).
int RawStatus(unsigned short port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string got;
  char buf[4096];
  pollfd p{fd, POLLIN, 0};
  while (got.find("\r\n") == std::string::npos && ::poll(&p, 1, 5000) > 0) {
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      break;
    }
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (got.size() < 12 || !got.starts_with("HTTP/1.1 ")) {
    return 0;
  }
  return std::stoi(got.substr(9, 3));
}

TEST(HostileInputTest, MalformedHttpIsA4xx) {
  TestServer server;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"garbage request line", "GARBAGE\r\n\r\n"},
      {"bad content length", "POST /api/auth/login HTTP/1.1\r\nContent-Length: abc\r\n\r\n"},
      {"content length overflow",
       "POST /api/auth/login HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"},
      {"huge declared body", "POST /api/auth/login HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n"},
      {"bad chunk", "POST /api/auth/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
      {"header over the limit",
       "GET /api/health HTTP/1.1\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n"},
      {"bad version", "GET /api/health HTTP/9.x\r\n\r\n"},
      {"absolute-form target", "GET http://evil.example/api/health HTTP/1.1\r\n\r\n"},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    const int status = RawStatus(server.port(), bytes);
    EXPECT_GE(status, 400);
    EXPECT_LT(status, 500);
  }
  HttpClient http(server.port());
  EXPECT_EQ(http.Get("/api/health", "").status, 200);  // and the server is still serving
}

}  // namespace
}  // namespace concordat::testing
