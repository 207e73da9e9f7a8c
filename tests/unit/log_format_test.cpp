// Pins the canonical form and hash documented in docs/LOG_FORMAT.md: if either changes, every
// existing log stops verifying, so the document, the code and this test change together.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "store/hash_chain.hpp"
#include "store/sha256_lanes.hpp"

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

// The hash comes from OpenSSL (the CPU's SHA extensions); it must be the same SHA-256 as
// libsodium's, which wrote the logs before, at every length around the block boundaries.
TEST(LogFormatTest, Sha256IsTheSameAsLibsodiumsAtEveryLength) {
  ASSERT_GE(sodium_init(), 0);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string text;
  for (int n = 0; n < 300; ++n) {
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    std::string hex;
    for (unsigned char c : d) hex += fmt::format("{:02x}", c);
    ASSERT_EQ(Sha256Hex(text), hex) << "length " << n;
    text.push_back(static_cast<char>('a' + n % 26));
  }
  // From several threads at once (each keeps its own context).
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (Sha256Hex("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
          ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// EventHash builds the form in a buffer it reuses rather than a new string: it must be
// the hash of the form, for every field's length (payloads across the 64-byte block edges too).
TEST(LogFormatTest, EventHashIsTheHashOfTheBuiltForm) {
  Event e = DocumentedExample();
  for (int n = 0; n < 200; ++n) {
    e.seq = static_cast<std::uint64_t>(n) * 977 + 1;
    e.at = 1'795'770'000'000'000 + n;
    e.stream = "incident/inc-" + std::to_string(n);
    e.command_id = std::string(static_cast<size_t>(n % 70), 'k');
    e.payload = R"({"text":")" + std::string(static_cast<size_t>(n), 'x') + R"("})";
    e.prev_hash = n == 0 ? "" : Sha256Hex(std::to_string(n));
    ASSERT_EQ(EventHash(e), Sha256Hex(CanonicalEventForm(e))) << "event " << n;
  }
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

// A batch is hashed from midstates of its events' forms, sixteen at a time where the CPU has
// AVX-512: every hash must still be SHA-256 of the event's whole canonical form, chained, for
// batches of every size and forms of every length around the block edges (a lane that takes a
// new event mid-batch, an event with no whole block before its link, one with many).
TEST(LogFormatTest, ABatchChainedTogetherHasEachEventsOwnHash) {
  std::mt19937 rng(7);
  std::uint64_t seq = 1;
  std::string head;
  for (int size : {1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 100, 257}) {
    std::vector<Event> batch;
    for (int i = 0; i < size; ++i) {
      Event e = DocumentedExample();
      e.seq = seq++;
      e.stream = "incident/inc-" + std::to_string(rng() % 100000);
      const size_t length = rng() % 3 == 0 ? rng() % 2000 : rng() % 200;
      e.payload = R"({"t":")" + std::string(length, static_cast<char>('a' + rng() % 26)) + R"("})";
      batch.push_back(std::move(e));
    }
    ChainEvents(batch, head);
    std::string prev = head;
    for (auto& e : batch) {
      ASSERT_EQ(e.prev_hash, prev) << "batch of " << size << ", event " << e.seq;
      ASSERT_EQ(e.hash, Sha256Hex(CanonicalEventForm(e)))
          << "batch of " << size << ", event " << e.seq;
      prev = e.hash;
    }
    head = prev;
  }
}

// The sixteen-lane midstates are the same as OpenSSL's one message at a time, for jobs of 0 to
// 40 blocks in any order (the lanes finish at different steps and take the next job then).
TEST(LogFormatTest, LaneMidstatesAreTheSameAsOneAtATime) {
  if (!sha256::LanesAvailable()) GTEST_SKIP() << "this CPU has no AVX-512F";
  std::mt19937 rng(11);
  std::string bytes(64 * 41 + 64, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  for (int count : {1, 15, 16, 17, 64, 301}) {
    std::vector<sha256::MidstateJob> jobs;
    for (int i = 0; i < count; ++i) jobs.push_back({data + rng() % 64, rng() % 41});
    std::vector<sha256::Midstate> lanes(jobs.size());
    std::vector<sha256::Midstate> single(jobs.size());
    sha256::Midstates(jobs, lanes, true);
    sha256::Midstates(jobs, single, false);
    for (size_t i = 0; i < jobs.size(); ++i) {
      for (int k = 0; k < 8; ++k) {
        ASSERT_EQ(lanes[i].h[k], single[i].h[k])
            << count << " jobs, job " << i << " of " << jobs[i].blocks << " blocks, word " << k;
      }
    }
  }
}

}  // namespace
}  // namespace concordat
