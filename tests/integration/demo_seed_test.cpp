// The demo seed on a real clock, as `concordat serve --demo` runs it: stories that began hours ago
// are recorded whole before their timers fire, so the board starts with only the alerts the
// stories really call for.
#include <gtest/gtest.h>

#include <zlib.h>

#include <boost/json.hpp>

#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

TEST(DemoSeed, RealClockSeedRaisesNoAlertForAHandoverItRecordsAsDone) {
  TestServer server(TestServerOptions{.virtual_clock = false});
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  auto board = http.Get("/api/board", token).json;
  ASSERT_GE(board.at("detentions").as_array().size(), 2u) << board;
  // Clapham was handed over 25 minutes after arrival and Whitechapel has waited under an hour:
  // neither may show a handover alert (they did when the seed's past timers fired mid-story).
  for (const auto& a : board.at("alerts").as_array()) {
    EXPECT_NE(a.at("type"), "handover_wait") << a;
  }
}

// The board is read by every control-room screen every few seconds; browsers accept gzip and get
// it compressed, the same document; a client that does not ask gets plain JSON.
TEST(DemoSeed, BoardIsGzippedForClientsThatAcceptIt) {
  TestServer server;
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  const std::map<std::string, std::string> auth{{"Authorization", "Bearer " + token}};
  auto plain = http.Send("GET", "/api/board", "", auth);
  ASSERT_EQ(plain.status, 200);
  EXPECT_FALSE(plain.headers.contains("content-encoding"));
  auto with_gzip = auth;
  with_gzip["Accept-Encoding"] = "gzip, deflate, br";
  auto gz = http.Send("GET", "/api/board", "", with_gzip);
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  EXPECT_EQ(gz.headers["vary"], "Accept-Encoding");
  EXPECT_LT(gz.body.size() * 4, plain.body.size());
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(plain.body.size() * 2 + 4096, '\0');
  z.next_in = reinterpret_cast<Bytef*>(gz.body.data());
  z.avail_in = static_cast<uInt>(gz.body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  ASSERT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  const auto a = boost::json::parse(plain.body);
  const auto b = boost::json::parse(out);
  // The same state (the virtual clock stands still, so nothing moved between the two reads).
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace concordat::testing
