// IndexedMap: the state's ordered id maps with a hash index beside them. The index must find
// exactly what the map holds after every change, copy and move, or a decider would miss (or
// worse, read freed memory for) an incident that is there.
#include "core/indexed_map.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace concordat {
namespace {

// Every key the map holds is found through the index, at its own element, and nothing else is.
void ExpectIndexMatches(const IndexedMap<int>& m, const std::vector<std::string>& absent = {}) {
  size_t n = 0;
  for (auto it = m.begin(); it != m.end(); ++it, ++n) {
    auto found = m.find(it->first);
    ASSERT_NE(found, m.end()) << it->first;
    EXPECT_EQ(&found->second, &it->second) << it->first;
    EXPECT_TRUE(m.contains(it->first));
  }
  EXPECT_EQ(n, m.size());
  for (const auto& k : absent) {
    EXPECT_EQ(m.find(k), m.end()) << k;
    EXPECT_FALSE(m.contains(k)) << k;
  }
}

TEST(IndexedMap, KeepsTheMapsOrderAndFindsEveryIdAfterEachChange) {
  IndexedMap<int> m;
  m["inc-10"] = 10;
  m.emplace("inc-9", 9);
  m.try_emplace("inc-100", 100);
  EXPECT_FALSE(m.try_emplace("inc-9", 99).second);  // already there: unchanged
  EXPECT_EQ(m.at("inc-9"), 9);
  std::vector<std::string> order;
  for (const auto& [k, v] : m) order.push_back(k);
  EXPECT_EQ(order, (std::vector<std::string>{"inc-10", "inc-100", "inc-9"}));  // string order
  ExpectIndexMatches(m, {"inc-1", ""});
  EXPECT_EQ(m.erase("inc-10"), 1u);
  EXPECT_EQ(m.erase("inc-10"), 0u);
  ExpectIndexMatches(m, {"inc-10"});
  EXPECT_THROW((void)m.at("inc-10"), std::out_of_range);
  m.clear();
  ExpectIndexMatches(m, {"inc-9", "inc-100"});
}

TEST(IndexedMap, ACopyHasAnIndexOfItsOwnElements) {
  IndexedMap<int> a;
  for (int i = 0; i < 50; ++i) a["u" + std::to_string(i)] = i;
  IndexedMap<int> b(a);
  IndexedMap<int> c;
  c["other"] = 1;
  c = a;
  a.at("u7") = 700;  // the copies are not the original's elements
  a.clear();         // nor do they point into its freed nodes
  for (const IndexedMap<int>* copy : {&b, &c}) {
    ExpectIndexMatches(*copy, {"other"});
    EXPECT_EQ(copy->size(), 50u);
    EXPECT_EQ(copy->at("u7"), 7);
  }
}

TEST(IndexedMap, AMoveCarriesTheIndexAndLeavesTheSourceEmpty) {
  IndexedMap<int> a;
  for (int i = 0; i < 20; ++i) a["x" + std::to_string(i)] = i;
  const int* element = &a.at("x3");
  IndexedMap<int> b(std::move(a));
  EXPECT_EQ(&b.at("x3"), element);  // the same node, found through the moved index
  ExpectIndexMatches(b);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
  ExpectIndexMatches(a, {"x3"});
  IndexedMap<int> c;
  c["gone"] = 0;
  c = std::move(b);
  ExpectIndexMatches(c, {"gone"});
  EXPECT_EQ(c.size(), 20u);
  a["x3"] = 33;  // the emptied source works as a new map
  ExpectIndexMatches(a);
  EXPECT_EQ(c.at("x3"), 3);
}

TEST(IndexedMap, AdoptingAWholeMapIndexesIt) {
  IndexedMap<int> m;
  m["old"] = 1;
  std::map<std::string, int> restored{{"a", 1}, {"b", 2}, {"c", 3}};
  m.Adopt(std::move(restored));
  ExpectIndexMatches(m, {"old"});
  EXPECT_EQ(m.at("b"), 2);
}

}  // namespace
}  // namespace concordat
