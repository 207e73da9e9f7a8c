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
#include <benchmark/benchmark.h>

#include <string>

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

}  // namespace
}  // namespace concordat
