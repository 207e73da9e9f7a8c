// Pins the canonical form and hash documented in docs/LOG_FORMAT.md: if either changes, every
// existing log stops verifying, so the document, the code and this test change together.
#include <gtest/gtest.h>

#include "store/hash_chain.hpp"

namespace concordat {
namespace {

Event DocumentedExample() {
  Event e;
  e.seq = 1;
  e.at = 1'795'770'000'000'000;
  e.stream = "clock";
  e.type = "clock.advanced";
  e.actor = Actor{"u1", "admin", "mps"};
  e.command_id = "k";
  e.classification = "system";
  e.payload = "{}";
  e.prev_hash = "";
  return e;
}

TEST(LogFormatTest, CanonicalFormIsAsDocumented) {
  EXPECT_EQ(CanonicalEventForm(DocumentedExample()),
            "1:116:17957700000000005:clock14:clock.advanced2:u15:admin3:mps1:k6:system2:{}0:");
}

TEST(LogFormatTest, HashIsSha256HexOfTheCanonicalForm) {
  EXPECT_EQ(EventHash(DocumentedExample()),
            "a2e862d3d7cd15d7bbe08cce277ec1623030dc2a462489201de59eabee98f55b");
}

TEST(LogFormatTest, LengthPrefixesKeepFieldsApart) {
  // Moving a character from one field to the next changes the form, hence the hash.
  Event a = DocumentedExample();
  Event b = DocumentedExample();
  a.stream = "clock1";
  a.type = "clock.advanced";
  b.stream = "clock";
  b.type = "1clock.advanced";
  EXPECT_NE(EventHash(a), EventHash(b));
}

TEST(LogFormatTest, ChainLinksEachEventToItsPredecessor) {
  std::vector<Event> batch = {DocumentedExample(), DocumentedExample()};
  batch[1].seq = 2;
  batch[0].payload.clear();  // filled from data ({}), as the engine does
  ChainEvents(batch, "");
  EXPECT_EQ(batch[0].payload, "{}");
  EXPECT_EQ(batch[0].hash, "a2e862d3d7cd15d7bbe08cce277ec1623030dc2a462489201de59eabee98f55b");
  EXPECT_EQ(batch[1].prev_hash, batch[0].hash);
  EXPECT_EQ(CheckEventLink(batch[1], 2, batch[0].hash), "");
  EXPECT_NE(CheckEventLink(batch[1], 3, batch[0].hash), "");
}

}  // namespace
}  // namespace concordat
