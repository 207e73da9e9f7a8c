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

// An object or an array is written as it is (no copy into a value first): the same text.
TEST(JsonText, AnObjectOrArrayIsWrittenAsTheValueHoldingIt) {
  const boost::json::object o{
      {"b", 0.5}, {"a", boost::json::array{1, "x", nullptr}}, {"c", {{"d", true}}}};
  EXPECT_EQ(JsonText(o), R"({"b":0.5,"a":[1,"x",null],"c":{"d":true}})");
  EXPECT_EQ(JsonText(o), JsonText(boost::json::value(o)));
  const boost::json::array a{o, 2.25, "y"};
  EXPECT_EQ(JsonText(a), JsonText(boost::json::value(a)));
  std::string out = "x";
  AppendJsonText(out, a);
  EXPECT_EQ(out, "x" + JsonText(boost::json::value(a)));
}

TEST(JsonText, StringsAreEscapedAndUtf8PassesThrough) {
  EXPECT_EQ(JsonText("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(JsonText("Café – £5"), "\"Café – £5\"");
}

// The scan for characters to escape reads eight bytes at a time: every byte value at every
// position of strings longer and shorter than a block is escaped exactly as one byte at a time.
TEST(JsonText, EveryByteAtEveryPositionIsEscapedAsByteByByte) {
  const auto one_at_a_time = [](const std::string& s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"') {
        out += "\\\"";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c < 0x20) {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else {
        out += ch;
      }
    }
    return out + "\"";
  };
  int checked = 0;
  for (const size_t length : {1U, 7U, 8U, 9U, 16U, 23U}) {
    for (size_t at = 0; at < length; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s(length, 'a');
        s[at] = static_cast<char>(b);
        ASSERT_EQ(JsonText(boost::json::value(s)), one_at_a_time(s))
            << "byte " << b << " at " << at;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, (1 + 7 + 8 + 9 + 16 + 23) * 256);
  // Two bytes to escape in one block, and bytes from 0x80 up (UTF-8) next to them.
  EXPECT_EQ(JsonText("ab\"c\\d\xc3\xa9"
                     "f"),
            "\"ab\\\"c\\\\d\xc3\xa9"
            "f\"");
  EXPECT_EQ(JsonText("\xe2\x80\x93\x1f\xe2\x80\x93\xe2\x80\x93"),
            "\"\xe2\x80\x93\\u001f\xe2\x80\x93\xe2\x80\x93\"");
}

TEST(JsonText, RoundTripsThroughTheParser) {
  const boost::json::value v = boost::json::parse(
      R"({"a":[1,2.5,-3e-7,true,null,"x"],"b":{"c":"line\nbreak","d":1e300},"e":[]})");
  EXPECT_EQ(boost::json::parse(JsonText(v)), v);
  EXPECT_EQ(JsonText(boost::json::object{{"k", 1}, {"l", boost::json::array{}}}),
            R"({"k":1,"l":[]})");
}

// Numbers for event payloads are written as Boost.JSON writes them: a typed event's payload is
// the text the engine wrote for the same data as a JSON object.
TEST(JsonWriter, LogDoublesAreBoostsOwnText) {
  for (const double x : {0.0, -0.0, 51.50081, -0.12041907780979827, 51.507400000000004, 1e21,
                         -1.5e-300, 123456789.0}) {
    std::string out;
    JsonWriter(out).OpenArray().LogDouble(x).LogDouble(x).CloseArray();
    const std::string one = boost::json::serialize(boost::json::value(x));
    EXPECT_EQ(out, "[" + one + "," + one + "]") << x;
  }
}

// The writer places commas itself and writes what JsonText writes for the same document.
TEST(JsonWriter, WritesTheSameTextAsJsonTextForTheSameDocument) {
  const boost::json::value data = {{"attending", 5}, {"units", {"a", "b"}}};
  std::string out;
  JsonWriter w(out);
  w.Open();
  w.Key("id").Str("inc-1");
  w.Key("empty").Open().Close();
  w.Key("none").OpenArray().CloseArray();
  w.Key("nested").OpenArray().Open().Key("x").Int(-3).Close().OpenArray().CloseArray().Null();
  w.CloseArray();
  w.Key("lat").Double(51.5).Key("whole").Double(50.0).Key("inf").Double(
      std::numeric_limits<double>::infinity());
  w.Key("yes").Bool(true).Key("no").Bool(false);
  w.Key("quote \"k\"").Str("line\nbreak \"q\" \\ \x01 caf\u00e9");
  w.Key("blank").StrOrNull("").Key("set").StrOrNull("v");
  w.Key("tags").StrArray({"a", "b"}).Key("no_tags").StrArray({});
  w.Key("data").Value(data);
  w.Close();
  const boost::json::object expect{
      {"id", "inc-1"},
      {"empty", boost::json::object{}},
      {"none", boost::json::array{}},
      {"nested", boost::json::array{boost::json::object{{"x", -3}}, boost::json::array{}, nullptr}},
      {"lat", 51.5},
      {"whole", 50.0},
      {"inf", std::numeric_limits<double>::infinity()},
      {"yes", true},
      {"no", false},
      {"quote \"k\"", "line\nbreak \"q\" \\ \x01 caf\u00e9"},
      {"blank", nullptr},
      {"set", "v"},
      {"tags", {"a", "b"}},
      {"no_tags", boost::json::array{}},
      {"data", data}};
  EXPECT_EQ(out, JsonText(expect));
  EXPECT_EQ(boost::json::parse(out).at("whole").kind(), boost::json::kind::double_);
}

}  // namespace
}  // namespace concordat
