// gzip for large responses: which Accept-Encoding values admit it, and that what Gzip writes is a
// gzip member that inflates back to the input.
#include <gtest/gtest.h>
#include <zlib.h>

#include "api/http.hpp"

namespace concordat::api {
namespace {

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);  // gzip only
  std::string out(in.size() * 50 + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(HttpGzip, AcceptEncodingValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate , gzip ; q=0.1"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
  EXPECT_FALSE(AcceptsGzip("*"));  // not asked for by name: sent as it is
}

TEST(HttpGzip, RoundTripsAndShrinksABoardLikeDocument) {
  std::string doc = R"({"seq":12,"incidents":[)";
  for (int i = 0; i < 300; ++i) {
    doc += (i ? "," : "") + std::string(R"({"id":"inc-)") + std::to_string(i) +
           R"(","grade":"I","status":"open","location":{"lat":51.5,"lon":-0.14}})";
  }
  doc += "]}";
  const std::string gz = Gzip(doc);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic (RFC 1952)
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_LT(gz.size() * 5, doc.size());
  EXPECT_EQ(Gunzip(gz), doc);
  EXPECT_EQ(Gunzip(Gzip("")), "");
}

}  // namespace
}  // namespace concordat::api
