// What the log's SHA-256 hash chain costs per event (PERFORMANCE.md, "The hash chain's floor"):
// every event the engine makes is hashed on its writer, one after another, since each hash
// covers the one before. The simulator's year makes 23 million events, so this per-event cost is
// a floor under the year's CPU time that no change to deciding or applying can lower.
//
//   BM_EventHash   EventHash of an event shaped like the simulator's: its actor, command id,
//                  stream and type, with a payload of the given size (the simulator's events
//                  average about 170 bytes; `incident.created` about 520).
//   BM_Sha256Raw   the baseline: SHA-256 of a string as long as that event's canonical form,
//                  with nothing else done. The ratio is what building the form adds.
//   BM_ChainBatch  ChainEvents over a batch of 1,024 such events (payloads of 40 to 310 bytes,
//                  mean about 175): the blocks before each event's link compressed for the whole
//                  batch together (sixteen lanes where the CPU has AVX-512), then each hash
//                  finished in order. Per event.
//   BM_ChainOneByOne  the same batch chained one event after another with EventHash, as
//                  ChainEvents did before: the baseline of BM_ChainBatch.
//   BM_CheckBatch  `concordat verify`'s work on those events: CheckEventLinks over the chained
//                  batch (every whole block of every form in the lanes). Per event.
//   BM_CheckOneByOne  CheckEventLink on each in turn, as Verify did before: its baseline.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "store/hash_chain.hpp"

namespace concordat {
namespace {

Event SimulatorShapedEvent(size_t payload_bytes) {
  Event e;
  e.seq = 12'345'678;
  e.at = 1'795'770'000'000'000;
  e.stream = "incident/inc-123456";
  e.type = "assignment.state_changed";
  e.actor = Actor{"sim-officer-123456", "officer", "mps"};
  e.command_id = "s1-1234567";
  e.classification = "operational";
  e.payload = std::string(payload_bytes, 'x');
  e.prev_hash = Sha256Hex("the previous event");
  return e;
}

void BM_EventHash(benchmark::State& state) {
  Event e = SimulatorShapedEvent(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::string h = EventHash(e);
    benchmark::DoNotOptimize(h);
    ++e.seq;
  }
  state.counters["form_bytes"] = static_cast<double>(CanonicalEventForm(e).size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventHash)->Arg(170)->Arg(520);

void BM_Sha256Raw(benchmark::State& state) {
  const std::string form =
      CanonicalEventForm(SimulatorShapedEvent(static_cast<size_t>(state.range(0))));
  for (auto _ : state) {
    std::string h = Sha256Hex(form);
    benchmark::DoNotOptimize(h);
  }
  state.counters["form_bytes"] = static_cast<double>(form.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256Raw)->Arg(170)->Arg(520);

std::vector<Event> SimulatorShapedBatch() {
  std::vector<Event> batch;
  for (size_t i = 0; i < 1024; ++i) {
    batch.push_back(SimulatorShapedEvent(40 + (i * 37) % 271));
    batch.back().seq += i;
  }
  return batch;
}

void BM_ChainBatch(benchmark::State& state) {
  std::vector<Event> batch = SimulatorShapedBatch();
  std::string head = Sha256Hex("head");
  for (auto _ : state) {
    ChainEvents(batch, head);
    head = batch.back().hash;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_ChainBatch);

void BM_ChainOneByOne(benchmark::State& state) {
  std::vector<Event> batch = SimulatorShapedBatch();
  std::string head = Sha256Hex("head");
  for (auto _ : state) {
    const std::string* prev = &head;
    for (auto& e : batch) {
      e.prev_hash = *prev;
      e.hash = EventHash(e);
      prev = &e.hash;
    }
    head = batch.back().hash;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_ChainOneByOne);

std::vector<Event> ChainedBatch() {
  std::vector<Event> batch = SimulatorShapedBatch();
  for (size_t i = 0; i < batch.size(); ++i) batch[i].seq = i + 1;
  ChainEvents(batch, "");
  return batch;
}

void BM_CheckBatch(benchmark::State& state) {
  const std::vector<Event> batch = ChainedBatch();
  for (auto _ : state) {
    LinkCheck check = CheckEventLinks(batch, 1, "");
    if (check.first_bad != batch.size()) state.SkipWithError(check.problem.c_str());
    benchmark::DoNotOptimize(check);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_CheckBatch);

void BM_CheckOneByOne(benchmark::State& state) {
  const std::vector<Event> batch = ChainedBatch();
  for (auto _ : state) {
    std::string prev;
    for (const auto& e : batch) {
      std::string problem = CheckEventLink(e, e.seq, prev);
      if (!problem.empty()) state.SkipWithError(problem.c_str());
      prev = e.hash;
    }
    benchmark::DoNotOptimize(prev);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
}
BENCHMARK(BM_CheckOneByOne);

}  // namespace
}  // namespace concordat
