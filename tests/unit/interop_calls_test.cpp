// Calls-for-service import: CSV records, strptime-like patterns, US zones across DST changes,
// mapping TOML and bad-row reporting (src/interop/calls_import.hpp).
#include <gtest/gtest.h>

#include "interop/calls_import.hpp"

namespace concordat::interop {
namespace {

Timestamp Utc(const char* iso) { return *ParseIso(iso); }

Result<Timestamp> At(const char* zone, int y, int mo, int d, int h, int mi) {
  return LocalToUtc(CivilTime{{y, mo, d}, h, mi, 0, 0}, *FindZone(zone));
}

TEST(InteropCsv, QuotedMultiLineFieldsKeepTheirStartingLine) {
  auto r = ParseCsv("a,b\r\n1,\"x\ny, \"\"q\"\"\"\n2,z\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[1].fields[1], "x\ny, \"q\"");
  EXPECT_EQ((*r)[2].line, 4);
  EXPECT_EQ((*r)[2].fields[0], "2");
  EXPECT_FALSE(ParseCsv("a\n\"open").ok());
}

TEST(InteropDate, PatternsParseTheirFields) {
  auto a = ParseLocal("1/5/2022 20:27", "%m/%d/%Y %H:%M");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->date->year, 2022);
  EXPECT_EQ(a->date->month, 1);
  EXPECT_EQ(a->date->day, 5);
  EXPECT_EQ(*a->hour, 20);
  auto b = ParseLocal("04/18/2018 12:05:09 AM", "%m/%d/%Y %I:%M:%S %p");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b->hour, 0);
  EXPECT_EQ(*b->second, 9);
  auto c = ParseLocal("04/18/2018 12:00:00 PM", "%m/%d/%Y%*");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->hour.has_value());
  EXPECT_EQ(*ParseLocal("07:15 pm", "%I:%M %p")->hour, 19);
  EXPECT_EQ(ParseLocal("18-03-08", "%y-%m-%d")->date->year, 2018);
}

TEST(InteropDate, BadDatesAreErrorsThatSayWhy) {
  EXPECT_FALSE(ParseLocal("2/30/2022 10:00", "%m/%d/%Y %H:%M").ok());
  EXPECT_FALSE(ParseLocal("2/29/2022 10:00", "%m/%d/%Y %H:%M").ok());
  EXPECT_TRUE(ParseLocal("2/29/2024 10:00", "%m/%d/%Y %H:%M").ok());
  EXPECT_FALSE(ParseLocal("1/5/2022 24:00", "%m/%d/%Y %H:%M").ok());
  EXPECT_FALSE(ParseLocal("1/5/2022 20:27 extra", "%m/%d/%Y %H:%M").ok());
  EXPECT_FALSE(ParseLocal("yesterday", "%m/%d/%Y").ok());
  auto e = ParseLocal("1/5/2022", "%m/%d/%Q");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("%Q"), std::string::npos);
}

TEST(InteropZone, EasternAcrossTheSpringChange) {
  // 2022: second Sunday of March is the 13th.
  EXPECT_EQ(*At("America/New_York", 2022, 3, 13, 1, 59), Utc("2022-03-13T06:59:00Z"));
  EXPECT_FALSE(At("America/New_York", 2022, 3, 13, 2, 30).ok());  // the gap
  EXPECT_EQ(*At("America/New_York", 2022, 3, 13, 3, 0), Utc("2022-03-13T07:00:00Z"));
  EXPECT_EQ(*At("America/New_York", 2022, 3, 12, 2, 30), Utc("2022-03-12T07:30:00Z"));
  EXPECT_EQ(*At("America/New_York", 2022, 1, 25, 20, 27), Utc("2022-01-26T01:27:00Z"));
}

TEST(InteropZone, EasternAcrossTheAutumnChange) {
  // 2022: first Sunday of November is the 6th; 01:30 happens twice, the first (EDT) is taken.
  EXPECT_EQ(*At("America/New_York", 2022, 11, 6, 0, 59), Utc("2022-11-06T04:59:00Z"));
  EXPECT_EQ(*At("America/New_York", 2022, 11, 6, 1, 30), Utc("2022-11-06T05:30:00Z"));
  EXPECT_EQ(*At("America/New_York", 2022, 11, 6, 2, 0), Utc("2022-11-06T07:00:00Z"));
  EXPECT_EQ(*At("America/New_York", 2016, 11, 5, 12, 0), Utc("2016-11-05T16:00:00Z"));
}

TEST(InteropZone, PacificAndTheLimits) {
  // 2018: DST from 11 March to 4 November.
  EXPECT_EQ(*At("America/Los_Angeles", 2018, 3, 11, 3, 0), Utc("2018-03-11T10:00:00Z"));
  EXPECT_EQ(*At("America/Los_Angeles", 2018, 3, 11, 1, 0), Utc("2018-03-11T09:00:00Z"));
  EXPECT_EQ(*At("America/Los_Angeles", 2018, 7, 1, 12, 0), Utc("2018-07-01T19:00:00Z"));
  EXPECT_EQ(*At("America/Los_Angeles", 2018, 11, 4, 2, 0), Utc("2018-11-04T10:00:00Z"));
  EXPECT_EQ(*At("UTC", 2018, 7, 1, 12, 0), Utc("2018-07-01T12:00:00Z"));
  EXPECT_FALSE(At("America/Los_Angeles", 2006, 7, 1, 12, 0).ok());
  auto z = FindZone("Europe/Paris");
  ASSERT_FALSE(z.ok());
  EXPECT_NE(z.error().message.find("America/New_York"), std::string::npos);
}

constexpr const char* kMapping = R"(
source = "Test"
timezone = "America/New_York"
[columns]
date = "When"
date_format = "%m/%d/%Y %H:%M"
type = "What"
address = "Where"
lat = "Lat"
lon = "Lon"
reference = "Ref"
[types]
"Mentally-ill person" = { type = "mental_health", grade = "S", flags = ["mental_health"] }
[[prefixes]]
prefix = "EMS:"
type = "medical"
grade = "I"
)";

TEST(InteropMapping, RowsBecomeIncidentBodies) {
  auto m = ParseMapping(kMapping);
  ASSERT_TRUE(m.ok()) << m.error().message;
  const char* csv =
      "Ref,When,What,Where,Lat,Lon\n"
      "7,1/25/2022 20:27,Mentally-ill person,\"1 MAIN ST\nORLANDO\",,\n"
      "8,7/4/2022 09:00,EMS: FALL,2 HIGH ST,40.1,-75.3\n";
  auto f = MapCalls(csv, *m);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->records, 2);
  EXPECT_TRUE(f->bad.empty());
  ASSERT_EQ(f->rows.size(), 2u);
  const auto& a = f->rows[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_FALSE(a.located);
  EXPECT_EQ(a.body.at("type").as_string(), "mental_health");
  EXPECT_EQ(a.body.at("grade").as_string(), "S");
  EXPECT_EQ(a.body.at("channel").as_string(), "999");
  EXPECT_EQ(a.body.at("received_at").as_string(), "2022-01-26T01:27:00.000000Z");
  EXPECT_EQ(a.body.at("location").at("address").as_string(), "1 MAIN ST\nORLANDO");
  EXPECT_FALSE(a.body.at("location").as_object().contains("lat"));
  EXPECT_EQ(a.body.at("flags").as_array().size(), 1u);
  const auto& b = f->rows[1];
  EXPECT_EQ(b.line, 4);  // the quoted field above spans two lines
  EXPECT_TRUE(b.located);
  EXPECT_EQ(b.body.at("type").as_string(), "medical");
  EXPECT_EQ(b.body.at("received_at").as_string(), "2022-07-04T13:00:00.000000Z");
  EXPECT_DOUBLE_EQ(b.body.at("location").at("lat").as_double(), 40.1);
  EXPECT_NE(std::string(b.body.at("description").as_string()).find("source ref 8"),
            std::string::npos);
  EXPECT_EQ(CommandIdFor("Test", std::string(64, 'a')),
            "import-calls:Test:" + std::string(32, 'a'));
  EXPECT_EQ(CommandIdFor("Test", std::string(64, 'a'), 2),
            "import-calls:Test:" + std::string(32, 'a') + "#2");
  // A row is known by its content: each carries its record's fields.
  EXPECT_EQ(b.content, std::string("8\x1f") + "7/4/2022 09:00\x1f" + "EMS: FALL\x1f" +
                           "2 HIGH ST\x1f" + "40.1\x1f" + "-75.3\x1f");
  EXPECT_NE(a.content, b.content);
}

// Mistakes in the mapping stop the import before any row is mapped, naming the key: a misspelt
// flag (which the engine would refuse row by row, after some rows had gone in), a type that is
// not a code, and keys the mapping does not know (a misspelt "adress" would leave every row
// without an address).
TEST(InteropMapping, MistakesInTheMappingAreNamedBeforeAnyRow) {
  auto with = [](std::string from, std::string to) {
    std::string text = kMapping;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    return ParseMapping(text);
  };
  auto flag = with("flags = [\"mental_health\"]", "flags = [\"mental_helth\"]");
  ASSERT_FALSE(flag.ok());
  EXPECT_EQ(flag.error().field, "types");
  EXPECT_NE(flag.error().message.find("unknown flag \"mental_helth\""), std::string::npos)
      << flag.error().message;
  EXPECT_NE(flag.error().message.find("vulnerability"), std::string::npos);

  auto type = with("type = \"medical\"", "type = \"Medical call\"");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error().field, "prefixes");
  EXPECT_NE(type.error().message.find("lower-case code"), std::string::npos);

  auto column = with("address = \"Where\"", "adress = \"Where\"");
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.error().field, "columns.adress");
  EXPECT_NE(column.error().message.find("unknown key \"adress\""), std::string::npos);

  auto top = with("source = \"Test\"", "sauce = \"Test\"");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().field, "sauce");

  auto rule = with("grade = \"I\"", "grade = \"I\"\nflag = [\"weapons\"]");
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.error().field, "prefixes.flag");
}

TEST(InteropMapping, BadRowsAreReportedWithLinesAndReasons) {
  auto m = ParseMapping(kMapping);
  ASSERT_TRUE(m.ok());
  const char* csv =
      "Ref,When,What,Where,Lat,Lon\n"
      "1,1/25/2022 20:27,Burglary,1 MAIN ST,,\n"      // unknown type, no default
      "2,13/25/2022 20:27,EMS: FALL,1 MAIN ST,,\n"    // month 13
      "3,3/13/2022 02:30,EMS: FALL,1 MAIN ST,,\n"     // in the DST gap
      "4,1/25/2022 20:27,EMS: FALL,,,\n"              // no location at all
      "5,1/25/2022 20:27,EMS: FALL,1 MAIN ST,95,1\n"  // latitude out of range
      "6,1/25/2022 20:27,EMS: FALL\n"                 // short row
      "7,1/25/2022 20:27,EMS: FALL,1 MAIN ST,,\n";    // fine
  auto f = MapCalls(csv, *m);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->records, 7);
  ASSERT_EQ(f->rows.size(), 1u);
  EXPECT_EQ(f->rows[0].line, 8);
  ASSERT_EQ(f->bad.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(f->bad[i].line, i + 2);
  EXPECT_NE(f->bad[0].reason.find("Burglary"), std::string::npos);
  EXPECT_NE(f->bad[1].reason.find("month"), std::string::npos);
  EXPECT_NE(f->bad[2].reason.find("does not exist"), std::string::npos);
  EXPECT_NE(f->bad[3].reason.find("no address"), std::string::npos);
  EXPECT_NE(f->bad[4].reason.find("coordinates"), std::string::npos);
  EXPECT_NE(f->bad[5].reason.find("fields"), std::string::npos);
}

// A file saved in another encoding: its rows could not be read back from the log, so they are
// bad rows naming the column, and the rest of the file is imported.
TEST(InteropMapping, RowsThatAreNotUtf8AreBadRows) {
  auto m = ParseMapping(kMapping);
  ASSERT_TRUE(m.ok());
  const char* csv =
      "Ref,When,What,Where,Lat,Lon,Note\n"
      "1,1/25/2022 20:27,EMS: FALL,CAF\xC9 STREET,,,\n"
      "2,1/25/2022 20:27,EMS: FALL,CAF\xC3\x89 STREET,,,caf\xE9\n";  // Note is never read
  auto f = MapCalls(csv, *m);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->bad.size(), 1u);
  EXPECT_EQ(f->bad[0].line, 2);
  EXPECT_NE(f->bad[0].reason.find("Where: not UTF-8"), std::string::npos) << f->bad[0].reason;
  ASSERT_EQ(f->rows.size(), 1u);
  EXPECT_EQ(f->rows[0].line, 3);
}

TEST(InteropMapping, MappingErrorsNameTheProblem) {
  EXPECT_FALSE(ParseMapping("timezone = \"America/New_York\"\n").ok());  // no [columns]
  auto z = ParseMapping("timezone = \"Asia/Tokyo\"\n[columns]\n");
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.error().field, "timezone");
  auto t = ParseMapping(
      "timezone = \"UTC\"\n[columns]\ndate = \"d\"\ndate_format = \"%Y\"\ntype = \"t\"\n"
      "[types]\n\"X\" = { type = \"x\" }\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("grade"), std::string::npos);
  EXPECT_FALSE(ParseMapping("this is = = not toml").ok());
  auto m = ParseMapping(kMapping);
  ASSERT_TRUE(m.ok());
  auto missing = MapCalls("Ref,When\n1,2\n", *m);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("What"), std::string::npos);
}

}  // namespace
}  // namespace concordat::interop
