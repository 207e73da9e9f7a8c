#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/csv.hpp"
#include "core/json_fields.hpp"

namespace concordat {
namespace {

TEST(Csv, QuotesNewlinesAndLineNumbers) {
  auto t = ParseCsv("a,b\r\n1,\"x, \"\"y\"\"\"\n2,\"multi\nline\"\n3,z\n");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].fields[1], "x, \"y\"");
  EXPECT_EQ(t->rows[1].fields[1], "multi\nline");
  EXPECT_EQ(t->rows[2].line, 5u);
  EXPECT_EQ(t->Column("b"), 1);
}

TEST(Csv, UnterminatedQuoteNamesTheLine) {
  auto t = ParseCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("line 2"), std::string::npos);
}

TEST(FieldReader, NamesTheFieldOfTheFirstProblem) {
  auto body = boost::json::parse(R"({"location":{"lat":95,"lon":-0.1},"grade":"X"})").as_object();
  FieldReader r(body);
  r.Number("location.lat", -90, 90);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "location.lat");
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  // The bounds as a person writes them (Boost.JSON's own text for -90 is "-9E1").
  EXPECT_EQ(r.error().message, "location.lat must be between -90 and 90");
  EXPECT_TRUE(r.error().details.is_null());  // one problem: nothing more to list
  FieldReader r2(body);
  r2.Number("location.lon", 0.5, 1.25);
  EXPECT_EQ(r2.error().message, "location.lon must be between 0.5 and 1.25");
}

// A blank form is told of every field it lacks at once, not one submission at a time: the first
// names the error's field, the message lists them all, details.problems has each, a field read
// twice is listed once.
TEST(FieldReader, EveryProblemIsToldAtOnce) {
  auto body = boost::json::parse(R"({"location":{"lat":95},"grade":"X","note":" "})").as_object();
  FieldReader r(body);
  r.Number("location.lat", -90, 90);
  r.Number("location.lon", -180, 180);
  r.Enum("grade", {"I", "S"});
  r.String("note");
  r.String("note");
  r.OptionalString("absent");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "location.lat");
  EXPECT_EQ(r.error().message,
            "location.lat must be between -90 and 90; location.lon is required; grade must be one "
            "of: I, S; note must not be blank");
  const auto& problems = r.error().details.at("problems").as_array();
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[1].at("field"), boost::json::value("location.lon"));
  EXPECT_EQ(problems[1].at("message"), boost::json::value("location.lon is required"));
  EXPECT_EQ(problems[3].at("field"), boost::json::value("note"));
  // Bounded: a body missing everything lists the first kMaxProblems.
  boost::json::object empty;
  FieldReader many(empty);
  for (int k = 0; k < 40; ++k) many.String("f" + std::to_string(k));
  EXPECT_EQ(many.error().details.at("problems").as_array().size(), FieldReader::kMaxProblems);
}

// Spaces say nothing: a required text made of them is refused, named, like an empty one.
TEST(FieldReader, ARequiredTextOfSpacesIsRefused) {
  auto body = boost::json::parse(R"({"summary":"  \t ","reason":" ok "})").as_object();
  FieldReader r(body);
  EXPECT_EQ(r.String("reason"), " ok ");
  EXPECT_TRUE(r.ok());
  r.String("summary");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "summary");
  EXPECT_EQ(r.error().message, "summary must not be blank");
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \n"));
  EXPECT_FALSE(IsBlank(" x "));
}

TEST(FieldReader, RequiredOptionalAndTypes) {
  auto body = boost::json::parse(R"({"a":"x","n":3,"b":true,"t":"2026-01-01T00:00:00Z"})")
                  .as_object();
  FieldReader r(body);
  EXPECT_EQ(r.String("a"), "x");
  EXPECT_EQ(r.Integer("n", 0, 5), 3);
  EXPECT_TRUE(r.Bool("b"));
  EXPECT_FALSE(r.OptionalString("missing").has_value());
  EXPECT_TRUE(r.Time("t") > 0);
  EXPECT_TRUE(r.ok());
  r.String("missing");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "missing");
  EXPECT_NE(r.error().message.find("required"), std::string::npos);
}

// Text that is not UTF-8 could not be read back from the log's JSON: found to the byte.
TEST(Utf8, TheFirstBadByteIsFound) {
  constexpr auto npos = std::string_view::npos;
  EXPECT_EQ(FirstInvalidUtf8("plain ASCII, 1 2 3"), npos);
  EXPECT_EQ(FirstInvalidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), npos);  // é € 😀
  EXPECT_EQ(FirstInvalidUtf8("CAF\xC9 ST"), 3u);        // Windows-1252 É
  EXPECT_EQ(FirstInvalidUtf8("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);      // a surrogate
  EXPECT_EQ(FirstInvalidUtf8("ok \xE2\x82"), 3u);       // cut short
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("\xE2\x82\xAC\x80"), 3u);  // a stray continuation byte
}

TEST(Utf8, ACsvFieldThatIsNotUtf8IsAnErrorNamingLineAndColumn) {
  auto t = ParseCsv("name,town\nA,Leeds\nB,CAF\xC9\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("line 3, column town"), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find("0xC9"), std::string::npos);
  EXPECT_TRUE(ParseCsv("name,town\nB,CAF\xC3\x89\n").ok());
}

}  // namespace
}  // namespace concordat
