#include "core/time.hpp"

#include <gtest/gtest.h>

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

TEST(Time, AgeOnBirthdayBoundary) {
  EXPECT_EQ(AgeOn({2008, 11, 28}, {2026, 11, 27}), 17);  // 17 years 364 days
  EXPECT_EQ(AgeOn({2008, 11, 27}, {2026, 11, 27}), 18);
}

}  // namespace
}  // namespace concordat
