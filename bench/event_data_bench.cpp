// What typed event data would save (PERFORMANCE.md, "What would reach the goal"): one
// `incident.created` event, the commonest large event of the simulator's year, carried the way
// the engine carries it now against the way a typed event would.
//
//   BM_EventDataAsJson   the decider builds the data as a Boost.JSON object from an initialiser
//                        list, the engine serialises it into the payload that is hashed and
//                        stored, the applier reads every field back out of the object by key,
//                        and the batch's end frees the object.
//   BM_EventDataTyped    the decider fills a struct, the payload is written from it directly
//                        (JsonWriter), the applier moves the struct's fields into the state, and
//                        nothing else is left to free.
//
// Both payloads parse to the same document (checked before timing). Only the data's own costs
// are measured; deciding's checks, the hash and the state's
// maps are the same either way and left out.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/json_text.hpp"

namespace concordat {
namespace {

// The fields an incident takes from its `incident.created` event (as cad::ApplyCreated).
struct AppliedIncident {
  std::string id, reference, day, received_at, channel, caller_name, caller_phone;
  bool located = false;
  double lat = 0, lon = 0;
  std::string address, location_type, borough_code, borough_name, bcu_code, bcu_name, type, grade,
      description, target_at;
  std::vector<std::string> flags;
  std::int64_t n = 0;
};

// The same fields as an event's typed data.
using IncidentCreated = AppliedIncident;

IncidentCreated Sample(std::int64_t k) {
  IncidentCreated c;
  c.id = "inc-" + std::to_string(100000 + k);
  c.reference = "CAD " + std::to_string(k % 9000 + 1) + "/05JAN26";
  c.day = "2026-01-05";
  c.n = k % 9000 + 1;
  c.received_at = "2026-01-05T14:03:27.000000Z";
  c.channel = "999";
  c.caller_name = "Load Caller";
  c.caller_phone = "07700 900456";
  c.located = true;
  c.lat = 51.5073 + 0.0001 * static_cast<double>(k % 7);
  c.lon = -0.1277 - 0.0001 * static_cast<double>(k % 5);
  c.address = std::to_string(k) + " Station Road";
  c.location_type = "street";
  c.borough_code = "E09000033";
  c.borough_name = "Westminster";
  c.bcu_code = "AW";
  c.bcu_name = "Central West";
  c.type = "mental_health";
  c.grade = "I";
  c.flags = {"mental_health"};
  c.description = "Woman in crisis at the bus stop, says she has taken tablets.";
  c.target_at = "2026-01-05T14:18:27.000000Z";
  return c;
}

// As the decider builds it today (cad::DecideIncidentCreate).
boost::json::object AsObject(const IncidentCreated& c) {
  boost::json::array flags;
  for (const auto& f : c.flags) flags.emplace_back(f);
  return {{"id", c.id},
          {"reference", c.reference},
          {"day", c.day},
          {"n", c.n},
          {"received_at", c.received_at},
          {"channel", c.channel},
          {"caller", {{"name", c.caller_name}, {"phone", c.caller_phone}}},
          {"location",
           {{"located", c.located},
            {"lat", c.lat},
            {"lon", c.lon},
            {"address", c.address},
            {"type", c.location_type}}},
          {"borough_code", c.borough_code},
          {"borough_name", c.borough_name},
          {"bcu_code", c.bcu_code},
          {"bcu_name", c.bcu_name},
          {"type", c.type},
          {"grade", c.grade},
          {"flags", std::move(flags)},
          {"description", c.description},
          {"target_at", c.target_at}};
}

std::string Field(const boost::json::object& o, std::string_view k) {
  return std::string(o.at(k).as_string());
}

// As the applier reads it today (by key, each string copied out).
AppliedIncident ApplyFromObject(const boost::json::object& d) {
  AppliedIncident i;
  i.id = Field(d, "id");
  i.reference = Field(d, "reference");
  i.day = Field(d, "day");
  i.n = d.at("n").to_number<std::int64_t>();
  i.received_at = Field(d, "received_at");
  i.channel = Field(d, "channel");
  const auto& caller = d.at("caller").as_object();
  i.caller_name = Field(caller, "name");
  i.caller_phone = Field(caller, "phone");
  const auto& loc = d.at("location").as_object();
  i.located = loc.at("located").as_bool();
  i.lat = loc.at("lat").to_number<double>();
  i.lon = loc.at("lon").to_number<double>();
  i.address = Field(loc, "address");
  i.location_type = Field(loc, "type");
  i.borough_code = Field(d, "borough_code");
  i.borough_name = Field(d, "borough_name");
  i.bcu_code = Field(d, "bcu_code");
  i.bcu_name = Field(d, "bcu_name");
  i.type = Field(d, "type");
  i.grade = Field(d, "grade");
  for (const auto& f : d.at("flags").as_array()) i.flags.emplace_back(f.as_string());
  i.description = Field(d, "description");
  i.target_at = Field(d, "target_at");
  return i;
}

// The payload written straight from the typed data, in the object's key order.
void WritePayload(const IncidentCreated& c, std::string& out) {
  JsonWriter w(out);
  w.Open();
  w.Key("id").Str(c.id);
  w.Key("reference").Str(c.reference);
  w.Key("day").Str(c.day);
  w.Key("n").Int(c.n);
  w.Key("received_at").Str(c.received_at);
  w.Key("channel").Str(c.channel);
  w.Key("caller").Open();
  w.Key("name").Str(c.caller_name);
  w.Key("phone").Str(c.caller_phone);
  w.Close();
  w.Key("location").Open();
  w.Key("located").Bool(c.located);
  w.Key("lat").Double(c.lat);
  w.Key("lon").Double(c.lon);
  w.Key("address").Str(c.address);
  w.Key("type").Str(c.location_type);
  w.Close();
  w.Key("borough_code").Str(c.borough_code);
  w.Key("borough_name").Str(c.borough_name);
  w.Key("bcu_code").Str(c.bcu_code);
  w.Key("bcu_name").Str(c.bcu_name);
  w.Key("type").Str(c.type);
  w.Key("grade").Str(c.grade);
  w.Key("flags").StrArray(c.flags);
  w.Key("description").Str(c.description);
  w.Key("target_at").Str(c.target_at);
  w.Close();
}

constexpr int kEvents = 1024;  // one batch's worth per iteration, built and freed together

// The decider's inputs, made outside the timing (both variants copy from them, as a decider
// copies from the command's body and the reference data).
const std::vector<IncidentCreated>& Inputs() {
  static const std::vector<IncidentCreated> inputs = [] {
    std::vector<IncidentCreated> v;
    for (int k = 0; k < kEvents; ++k) v.push_back(Sample(k));
    return v;
  }();
  return inputs;
}

// The typed payload must read back as the same document as the object's payload (the bytes differ
// only in how numbers are written: JsonWriter's "51.5073" against Boost.JSON's "5.15073E1"; the
// chain hashes the payload as stored, and replay parses it). Both are parsed: Boost 1.81's parser
// may land a digit string such as 51.507400000000004 one unit in the last place away from the
// double it was written from, whichever way it was written.
bool SamePayloads() {
  for (const auto& c : Inputs()) {
    std::string typed;
    WritePayload(c, typed);
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(typed, ec);
    if (ec || parsed != boost::json::parse(boost::json::serialize(AsObject(c)))) return false;
  }
  return true;
}

// Carries one batch of kEvents events per iteration, each made by `carry` (which decides, stamps
// and applies it); the batch and the state's copies are freed at the end of the iteration.
template <class Event, class Carry>
void RunBatches(benchmark::State& state, Carry carry) {
  if (!SamePayloads()) {
    state.SkipWithError("the two ways wrote different payloads");
    return;
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::vector<Event> batch;
    batch.reserve(kEvents);
    std::vector<AppliedIncident> applied;
    applied.reserve(kEvents);
    for (const auto& in : Inputs()) {
      Event e = carry(in, applied);
      bytes += e.payload.size();
      batch.push_back(std::move(e));
    }
    benchmark::DoNotOptimize(applied.data());
    benchmark::DoNotOptimize(batch.data());
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
  state.counters["payload_bytes"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations() * kEvents);
}

struct AsJsonEvent {
  boost::json::object data;
  std::string payload;
};

void BM_EventDataAsJson(benchmark::State& state) {
  RunBatches<AsJsonEvent>(state, [](const IncidentCreated& in, auto& applied) {
    AsJsonEvent e{AsObject(in), {}};             // decide
    e.payload = boost::json::serialize(e.data);  // stamp
    applied.push_back(ApplyFromObject(e.data));  // apply
    return e;
  });
}

struct TypedEvent {
  IncidentCreated data;
  std::string payload;
};

void BM_EventDataTyped(benchmark::State& state) {
  RunBatches<TypedEvent>(state, [](const IncidentCreated& in, auto& applied) {
    TypedEvent e{in, {}};  // decide
    e.payload.reserve(640);
    WritePayload(e.data, e.payload);  // stamp
    applied.push_back(e.data);        // apply (the state keeps a copy)
    return e;
  });
}

BENCHMARK(BM_EventDataAsJson)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EventDataTyped)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace concordat
