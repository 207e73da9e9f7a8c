// The binary snapshot form of the state (core/snapshot_codec.hpp): what the London demo seed
// builds — incidents, units, alerts, timers, detentions with their JSON records, partners, the
// team's posts, persons, flags and training — comes back equal; a snapshot cut short, damaged or
// written with other types is refused with an error, never misread; the older JSON form is still
// read; and an engine that cannot read its snapshot replays the whole log instead.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>

#include "cad_fixture.hpp"
#include "cli/demo_seed.hpp"
#include "core/snapshot_codec.hpp"
#include "store/users_store.hpp"

namespace concordat::testing {
namespace {

class SnapshotTest : public ::testing::Test {
 protected:
  static constexpr Timestamp kT0 = 1'795'773'600'000'000;  // 2026-11-27 10:00 UTC

  SnapshotTest() : clock_(kT0) {
    RegisterAllDomains(domain_);
    dir_ = std::filesystem::temp_directory_path() /
           ("concordat-snapshot-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    users_ = std::move(*UsersStore::Open((dir_ / "users.db").string(), PasswordCost::Minimum()));
  }
  ~SnapshotTest() override {
    engine_.reset();
    users_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void Start(std::uint64_t snapshot_every = 0) {
    EngineOptions o;
    o.ref = &LondonRef();
    o.policy = &policy_;
    o.snapshot_every = snapshot_every;
    // Taken on the writer, so every snapshot due is taken and the tail a restart replays is
    // bounded by snapshot_every. In the background one under way makes the next due ones wait,
    // so the tail depends on how fast the child encodes (it runs at a lower priority, and ctest
    // runs tests side by side); EngineTest covers the background path.
    o.snapshot_in_background = false;
    engine_ = std::make_unique<Engine>(*log_, clock_, domain_, o);
    ASSERT_TRUE(engine_->Start().ok());
  }
  void Seed() {
    Start();
    ASSERT_TRUE(cli::SeedDemo(*users_, *engine_, LondonRef(), clock_.Now()).ok());
  }
  std::string Json() {
    return engine_->Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  }
  std::string Bytes() {
    return engine_->Read([](const State& s) { return s.ToSnapshot(); });
  }

  std::filesystem::path dir_;
  std::unique_ptr<EventLog> log_ = MakeMemoryEventLog();
  VirtualClock clock_;
  Domain domain_;
  Policy policy_;
  std::unique_ptr<UsersStore> users_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(SnapshotTest, TheDemoStateComesBackEqual) {
  Seed();
  // The seed reaches every kind of member the codec writes (maps, sets, optionals, JSON objects).
  engine_->Read([](const State& s) {
    EXPECT_GE(s.cad.incidents.size(), 5u);
    EXPECT_GE(s.cad.units.size(), 10u);
    EXPECT_GE(s.mh.detentions.size(), 2u);
    EXPECT_FALSE(s.alerts.by_id.empty());
    EXPECT_GT(s.timers.size(), 0u);
    EXPECT_FALSE(s.partners.agreements.empty());
    EXPECT_FALSE(s.team.persons.empty());
    EXPECT_FALSE(s.team.posts.empty());
    return 0;
  });
  const std::string bytes = Bytes();
  auto restored = State::FromSnapshot(bytes);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(boost::json::serialize(restored->ToJson()), Json());
  // The derived indexes are rebuilt, not left empty.
  engine_->Read([&](const State& s) {
    EXPECT_EQ(restored->cad.open_ids, s.cad.open_ids);
    EXPECT_EQ(restored->timers.size(), s.timers.size());
    EXPECT_EQ(restored->alerts.by_incident, s.alerts.by_incident);
    return 0;
  });
  // And a second encoding of the restored state is the same bytes.
  EXPECT_EQ(restored->ToSnapshot(), bytes);
}

TEST_F(SnapshotTest, ASnapshotCutShortIsRefused) {
  Seed();
  const std::string bytes = Bytes();
  ASSERT_GT(bytes.size(), 10'000u);
  // Every length in the header and the first records, then every 61st byte to the end.
  for (size_t n = 0; n < bytes.size(); n += n < 4096 ? 1 : 61) {
    auto r = State::FromSnapshot(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(r.ok()) << "a snapshot cut to " << n << " of " << bytes.size()
                         << " bytes was accepted";
  }
  EXPECT_TRUE(State::FromSnapshot(bytes + "x").error().message.find("bytes left") !=
              std::string::npos);
}

TEST_F(SnapshotTest, ASnapshotOfOtherTypesIsRefused) {
  Seed();
  std::string bytes = Bytes();
  // The signature follows the magic line and its 8-byte length: change one member's name in it.
  const size_t at = bytes.find("received_at:");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'R';
  auto r = State::FromSnapshot(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not match this version"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(State::FromSnapshot("not a snapshot").ok());
}

// Damage anywhere (a disk fault, a bad copy) either is refused or decodes to some state; it never
// reads past the end or crashes the start-up.
TEST_F(SnapshotTest, DamagedBytesNeverCrashTheRestore) {
  Seed();
  const std::string bytes = Bytes();
  std::mt19937_64 rng(20261127);
  int refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string damaged = bytes;
    for (int k = 0; k < 4; ++k) {
      damaged[rng() % damaged.size()] = static_cast<char>(rng() & 0xff);
    }
    refused += State::FromSnapshot(damaged).ok() ? 0 : 1;
  }
  // Most damage lands in lengths, counts, flags or key order, which the reader checks.
  EXPECT_GT(refused, 0);
}

TEST_F(SnapshotTest, AnOlderJsonSnapshotIsStillRead) {
  Seed();
  const std::string json = Json();
  auto restored = State::FromSnapshot(json);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  // As the JSON restore always read it. (Not always bit-equal to the state it was written from:
  // Boost.JSON 1.81 may parse a coordinate a last digit off, which the binary form does not.)
  auto by_json = State::FromJson(boost::json::parse(json));
  ASSERT_TRUE(by_json.ok());
  EXPECT_EQ(boost::json::serialize(restored->ToJson()), boost::json::serialize(by_json->ToJson()));
  EXPECT_EQ(restored->cad.incidents.size(), by_json->cad.incidents.size());
  EXPECT_GT(restored->seq, 0u);
}

TEST_F(SnapshotTest, TheEngineRestartsFromItsBinarySnapshot) {
  Start(/*snapshot_every=*/50);
  ASSERT_TRUE(cli::SeedDemo(*users_, *engine_, LondonRef(), clock_.Now()).ok());
  const std::string before = Json();
  engine_.reset();
  auto snap = log_->LatestSnapshot();
  ASSERT_TRUE(snap.ok() && snap->has_value());
  EXPECT_NE((*snap)->state.front(), '{') << "the engine wrote JSON, not the binary form";
  Start(50);
  EXPECT_LT(engine_->replayed_events(), 50u);
  EXPECT_EQ(Json(), before);
}

TEST_F(SnapshotTest, AnUnreadableSnapshotMeansAWholeReplay) {
  Seed();
  const std::string before = Json();
  const std::uint64_t head = engine_->HeadSeq();
  std::string bytes = Bytes();
  engine_.reset();
  bytes.resize(bytes.size() / 2);
  ASSERT_TRUE(log_->SaveSnapshot({head, bytes}).ok());
  Start();
  EXPECT_EQ(engine_->replayed_events(), head);
  EXPECT_EQ(Json(), before);
}

}  // namespace
}  // namespace concordat::testing
