// JsonText: plain numbers, escapes, and a round trip through Boost.JSON's parser.
#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace concordat {
namespace {

TEST(JsonText, NumbersInTheirShortestPlainForm) {
  EXPECT_EQ(JsonText(0.8), "0.8");
  EXPECT_EQ(JsonText(0.0), "0.0");  // still a double when parsed back
  EXPECT_EQ(JsonText(50.0), "50.0");
  EXPECT_TRUE(boost::json::parse(JsonText(50.0)).is_double());
  EXPECT_EQ(JsonText(51.50081), "51.50081");
  EXPECT_EQ(JsonText(-0.12186), "-0.12186");
  EXPECT_EQ(JsonText(std::int64_t{-42}), "-42");
  EXPECT_EQ(JsonText(std::uint64_t{18446744073709551615ULL}), "18446744073709551615");
  EXPECT_EQ(JsonText(std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonText, StringsAreEscapedAndUtf8PassesThrough) {
  EXPECT_EQ(JsonText("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(JsonText("Café – £5"), "\"Café – £5\"");
}

TEST(JsonText, RoundTripsThroughTheParser) {
  const boost::json::value v = boost::json::parse(
      R"({"a":[1,2.5,-3e-7,true,null,"x"],"b":{"c":"line\nbreak","d":1e300},"e":[]})");
  EXPECT_EQ(boost::json::parse(JsonText(v)), v);
  EXPECT_EQ(JsonText(boost::json::object{{"k", 1}, {"l", boost::json::array{}}}),
            R"({"k":1,"l":[]})");
}

}  // namespace
}  // namespace concordat
