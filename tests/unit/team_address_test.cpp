// Address, name and phone normalisation: the forms people write the same place or person in
// must come out as one key, and different places must not.
#include "core/team_address.hpp"

#include <gtest/gtest.h>

namespace concordat {
namespace {

TEST(AddressKey, FlatFormsCaseAndPunctuationAreOneAddress) {
  const std::string key = "3/12 HIGH STREET";
  EXPECT_EQ(NormaliseAddress("Flat 3, 12 High St"), key);
  EXPECT_EQ(NormaliseAddress("3/12 High Street"), key);
  EXPECT_EQ(NormaliseAddress("3 / 12 high street"), key);
  EXPECT_EQ(NormaliseAddress("FLAT 3 12 HIGH ST."), key);
  EXPECT_EQ(NormaliseAddress("Apartment 3, 12 High Street"), key);
  EXPECT_EQ(NormaliseAddress("Flt. 3, No. 12, High Str"), key);
  EXPECT_EQ(NormaliseAddress("12 High Street, Flat 3"), key);
  EXPECT_EQ(NormaliseAddress("  flat  3 ,12   high-street "), "3/12 HIGH STREET");
}

TEST(AddressKey, PostcodeSpacingAndLondonAreNormalised) {
  const std::string key = "3/12 HIGH STREET E1 6AN";
  EXPECT_EQ(NormaliseAddress("Flat 3, 12 High St, London E1 6AN"), key);
  EXPECT_EQ(NormaliseAddress("3/12 high st e16an"), key);
  EXPECT_EQ(NormaliseAddress("3/12 High Street, LONDON, E1  6AN"), key);
  EXPECT_EQ(NormaliseAddress("10 Downing St, London SW1A2AA"), "10 DOWNING STREET SW1A 2AA");
  EXPECT_EQ(NormaliseAddress("1 Church Rd N16 0AB"), "1 CHURCH ROAD N16 0AB");
  EXPECT_EQ(PostcodeOf("3/12 HIGH STREET E1 6AN"), "E1 6AN");
  EXPECT_EQ(PostcodeOf("3/12 HIGH STREET"), "");
}

TEST(AddressKey, DifferentPlacesStayDifferent) {
  EXPECT_NE(NormaliseAddress("Flat 3, 12 High St"), NormaliseAddress("Flat 4, 12 High St"));
  EXPECT_NE(NormaliseAddress("Flat 3, 12 High St"), NormaliseAddress("12 High St"));
  EXPECT_NE(NormaliseAddress("12 High Street"), NormaliseAddress("12 High Road"));
  EXPECT_NE(NormaliseAddress("12 High St E1 6AN"), NormaliseAddress("12 High St E1 6AP"));
}

TEST(AddressKey, SaintBeforeANameStreetAfterOne) {
  EXPECT_EQ(NormaliseAddress("12 St James's St"), "12 SAINT JAMESS STREET");
  EXPECT_EQ(NormaliseAddress("12 Saint James’s Street"), "12 SAINT JAMESS STREET");
  EXPECT_EQ(NormaliseAddress("Flat 2, St Mary's Court"), "FLAT 2 SAINT MARYS COURT");
  EXPECT_EQ(NormaliseAddress(""), "");
  EXPECT_EQ(NormaliseAddress(" , "), "");
}

TEST(AddressKey, NormalisingAKeyChangesNothing) {
  for (const char* a : {"Flat 3, 12 High St, London e16an", "12 St James's St",
                        "Flat 2, St Mary's Court", "Unit 4B, 7 Bow Rd E3 2SE"}) {
    const std::string k = NormaliseAddress(a);
    EXPECT_EQ(NormaliseAddress(k), k) << a;
  }
}

TEST(NameKey, TitlesPunctuationAndCase) {
  EXPECT_EQ(NormaliseName("Mr John  O'Brien"), "JOHN OBRIEN");
  EXPECT_EQ(NormaliseName("dr. anne-marie smith"), "ANNE MARIE SMITH");
  EXPECT_EQ(NameSimilarity("JOHN SMITH", "JOHN SMITH"), "same");
  EXPECT_EQ(NameSimilarity("JON SMITH", "JOHN SMITH"), "similar");
  EXPECT_EQ(NameSimilarity("SMITH JOHN", "JOHN SMITH"), "similar");
  EXPECT_EQ(NameSimilarity("JOHN SMYTHE", "JOHN SMITH"), "similar");
  EXPECT_EQ(NameSimilarity("MARY JONES", "JOHN SMITH"), "");
  EXPECT_EQ(NameSimilarity("PETER SMITH", "JOHN SMITH"), "");
}

TEST(PhoneKey, InternationalAndSpacing) {
  EXPECT_EQ(NormalisePhone("020 7946 0001"), "02079460001");
  EXPECT_EQ(NormalisePhone("+44 20 7946 0001"), "02079460001");
  EXPECT_EQ(NormalisePhone("0044 (0)7700 900461"), "07700900461");
  EXPECT_EQ(NormalisePhone("999"), "");
}

}  // namespace
}  // namespace concordat
