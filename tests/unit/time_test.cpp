#include "core/time.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace concordat {
namespace {

TEST(Time, FormatsAndParsesIso) {
  auto t = ParseIso("2026-11-27T05:12:03.123456Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatIso(*t), "2026-11-27T05:12:03.123456Z");
  auto with_offset = ParseIso("2026-07-01T13:00:00+01:00");
  ASSERT_TRUE(with_offset.ok());
  EXPECT_EQ(FormatIso(*with_offset), "2026-07-01T12:00:00.000000Z");
}

TEST(Time, RejectsIsoWithoutZoneNamingTheField) {
  auto t = ParseIso("2026-11-27T05:12:03", "received_at");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "received_at");
  EXPECT_FALSE(ParseIso("2026-02-30T00:00:00Z").ok());
}

TEST(Time, BritishSummerTimeBoundaries2026) {
  // BST 2026: 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_FALSE(IsBritishSummerTime(*ParseIso("2026-03-29T00:59:59Z")));
  EXPECT_TRUE(IsBritishSummerTime(*ParseIso("2026-03-29T01:00:00Z")));
  EXPECT_TRUE(IsBritishSummerTime(*ParseIso("2026-10-25T00:59:59Z")));
  EXPECT_FALSE(IsBritishSummerTime(*ParseIso("2026-10-25T01:00:00Z")));
}

TEST(Time, LondonDateAcrossMidnightInSummer) {
  // 23:30 UTC on 30 June is 00:30 BST on 1 July.
  const CivilDate d = LondonDate(*ParseIso("2026-06-30T23:30:00Z"));
  EXPECT_EQ(d.month, 7);
  EXPECT_EQ(d.day, 1);
  // In winter London is UTC.
  EXPECT_EQ(LondonDate(*ParseIso("2026-11-27T23:30:00Z")).day, 27);
  EXPECT_EQ(FormatCadDate({2026, 11, 27}), "27NOV26");
}

// Written digit by digit (no printf): padded, and the same as printf would write.
TEST(Time, DatesAreWrittenWithFixedWidthDigits) {
  EXPECT_EQ(FormatDate({2026, 1, 5}), "2026-01-05");
  EXPECT_EQ(FormatDate({987, 12, 31}), "0987-12-31");
  EXPECT_EQ(FormatCadDate({2026, 1, 5}), "05JAN26");
  EXPECT_EQ(FormatCadDate({2000, 12, 31}), "31DEC00");
  EXPECT_EQ(FormatCadDate({2109, 6, 10}), "10JUN09");
  EXPECT_EQ(FormatDayText({2026, 11, 30}), "Mon 30 Nov 2026");
  EXPECT_EQ(FormatDayText({2027, 1, 3}), "Sun 3 Jan 2027");
  EXPECT_EQ(FormatDayText({2026, 13, 1}), FormatDate({2026, 13, 1}));  // not a date: as it is
  for (int m = 1; m <= 12; ++m) {
    char want[16];
    std::snprintf(want, sizeof want, "2031-%02d-%02d", m, 28);
    EXPECT_EQ(FormatDate({2031, m, 28}), want);
  }
  // Out of the plain range still writes something rather than overrunning.
  EXPECT_EQ(FormatDate({12345, 1, 1}), "12345-01-01");
}

// A date written in the right shape that is no day of the calendar is told why, not the format
// again (the tester wrote 2026-02-30 and was told to write YYYY-MM-DD).
TEST(Time, AnImpossibleDateSaysWhy) {
  EXPECT_TRUE(ParseDate("2028-02-29", "review_date").ok());
  auto feb = ParseDate("2026-02-30", "review_date");
  ASSERT_FALSE(feb.ok());
  EXPECT_EQ(feb.error().field, "review_date");
  EXPECT_EQ(feb.error().message, "review_date 2026-02-30 is not a date: February 2026 has 28 days");
  EXPECT_EQ(ParseDate("2026-13-01", "due_on").error().message,
            "due_on 2026-13-01 is not a date: there is no month 13");
  EXPECT_EQ(ParseDate("30/02/2026", "due_on").error().message, "due_on must be YYYY-MM-DD");
  EXPECT_EQ(ParseDate("2026-2-3", "due_on").error().message, "due_on must be YYYY-MM-DD");
}

TEST(Time, AgeOnBirthdayBoundary) {
  EXPECT_EQ(AgeOn({2008, 11, 28}, {2026, 11, 27}), 17);  // 17 years 364 days
  EXPECT_EQ(AgeOn({2008, 11, 27}, {2026, 11, 27}), 18);
}

}  // namespace
}  // namespace concordat
