#include "core/state.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

#include "core/snapshot_codec.hpp"

namespace concordat {

namespace {

constexpr std::string_view kMagic = "concordat-state/binary-1\n";

// The incidents are the bulk of a force's state (about 2 million after 10 million events). They
// are written in runs of consecutive ids, each run with its length in bytes first, so that a
// restore decodes the runs on threads of their own and joins them in order.
constexpr std::uint64_t kIncidentRuns = 4;
using Incidents = std::map<std::string, Incident>;

void PutIncidents(snapshot::Writer& w, const Incidents& all) {
  w.Fixed(kIncidentRuns);
  auto it = all.begin();
  const size_t per_run = (all.size() + kIncidentRuns - 1) / kIncidentRuns;
  size_t left = all.size();
  for (std::uint64_t run = 0; run < kIncidentRuns; ++run) {
    const size_t length_at = w.out().size();
    w.Fixed(0);  // the run's length, filled in below
    const size_t n = std::min(per_run, left);
    left -= n;
    w.Fixed(n);
    for (size_t i = 0; i < n; ++i, ++it) {
      snapshot::Put(w, it->first);
      snapshot::Put(w, it->second);
    }
    const std::uint64_t length = w.out().size() - length_at - 8;
    std::memcpy(w.out().data() + length_at, &length, 8);
  }
}

bool DecodeRun(std::string_view bytes, Incidents& out) {
  snapshot::Reader r(bytes);
  try {
    return snapshot::Get(r, out) && r.Left() == 0;
  } catch (const std::exception&) {  // memory
    return false;
  }
}

bool GetIncidents(snapshot::Reader& r, Incidents& out) {
  std::uint64_t runs = 0;
  if (!r.Fixed(runs) || runs == 0 || runs > 64) return r.Fail();
  std::vector<std::string_view> bytes(runs);
  for (auto& b : bytes) {
    if (!r.Bytes(b)) return false;
  }
  std::vector<Incidents> decoded(runs);
  std::vector<char> ok(runs, 0);
  std::vector<std::thread> threads;
  for (std::uint64_t i = 1; i < runs; ++i) {
    try {
      threads.emplace_back([&, i] { ok[i] = DecodeRun(bytes[i], decoded[i]) ? 1 : 0; });
    } catch (const std::system_error&) {  // no thread to be had: decode this run here
      ok[i] = DecodeRun(bytes[i], decoded[i]) ? 1 : 0;
    }
  }
  ok[0] = DecodeRun(bytes[0], out) ? 1 : 0;
  for (auto& t : threads) t.join();
  for (std::uint64_t i = 0; i < runs; ++i) {
    if (!ok[i]) return r.Fail();
  }
  // Joined in order: each run's ids follow the last one's, so every node goes in at the end.
  for (std::uint64_t i = 1; i < runs; ++i) {
    Incidents& run = decoded[i];
    if (!run.empty() && !out.empty() && !(out.rbegin()->first < run.begin()->first)) {
      return r.Fail();
    }
    while (!run.empty()) out.insert(out.end(), run.extract(run.begin()));
  }
  return true;
}

// CadState's described members in order, the incidents in runs.
void PutCad(snapshot::Writer& w, const CadState& cad) {
  using Members = boost::describe::describe_members<CadState, boost::describe::mod_public>;
  boost::mp11::mp_for_each<Members>([&](auto m) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(cad.*m.pointer)>,
                                 IndexedMap<Incident>>) {
      PutIncidents(w, (cad.*m.pointer).map());
    } else {
      snapshot::Put(w, cad.*m.pointer);
    }
  });
}

bool GetCad(snapshot::Reader& r, CadState& cad) {
  using Members = boost::describe::describe_members<CadState, boost::describe::mod_public>;
  bool ok = true;
  boost::mp11::mp_for_each<Members>([&](auto m) {
    if (!ok) return;
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(cad.*m.pointer)>,
                                 IndexedMap<Incident>>) {
      Incidents incidents;
      ok = GetIncidents(r, incidents);
      if (ok) (cad.*m.pointer).Adopt(std::move(incidents));
    } else {
      ok = snapshot::Get(r, cad.*m.pointer);
    }
  });
  return ok;
}

// The parts of the state a snapshot holds, in order; the timers as their id → timer map. `S` is
// State or const State.
template <class S, class Timers, class F>
void EachPart(S& s, Timers& timers, F&& f) {
  f(s.seq);
  f(s.last_at);
  f(timers);
  f(s.alerts);
  f(s.cad);
  f(s.mh);
  f(s.partners);
  f(s.team);
}

// Every member's name and type, so a snapshot written by other types is refused, not misread.
const std::string& Signature() {
  static const std::string sig = [] {
    std::string s;
    snapshot::Sign<std::uint64_t>(s);
    snapshot::Sign<Timestamp>(s);
    snapshot::Sign<std::map<std::string, Timer>>(s);
    snapshot::Sign<AlertsState>(s);
    snapshot::Sign<CadState>(s);
    s += "[incidents in runs]";
    snapshot::Sign<MhState>(s);
    snapshot::Sign<PartnersState>(s);
    snapshot::Sign<TeamState>(s);
    return s;
  }();
  return sig;
}

// Rebuilds what the snapshot leaves out: the timers' due order and the derived indexes.
void Reindex(State& s, std::map<std::string, Timer> timers) {
  s.timers.Restore(std::move(timers));
  s.alerts.Reindex();
  s.cad.Reindex();
  s.mh.Reindex();
  s.partners.Reindex();
  s.team.Reindex(s.cad);
}

}  // namespace

boost::json::value State::ToJson() const {
  boost::json::object o;
  o["seq"] = seq;
  o["last_at"] = last_at;
  o["timers"] = boost::json::value_from(timers.all());
  o["alerts"] = boost::json::value_from(alerts);
  o["cad"] = boost::json::value_from(cad);
  o["mh"] = boost::json::value_from(mh);
  o["partners"] = boost::json::value_from(partners);
  o["team"] = boost::json::value_from(team);
  return o;
}

Result<State> State::FromJson(const boost::json::value& v) {
  State s;
  try {
    const auto& o = v.as_object();
    s.seq = boost::json::value_to<std::uint64_t>(o.at("seq"));
    s.last_at = boost::json::value_to<Timestamp>(o.at("last_at"));
    auto timers = boost::json::value_to<std::map<std::string, Timer>>(o.at("timers"));
    s.alerts = boost::json::value_to<AlertsState>(o.at("alerts"));
    s.cad = boost::json::value_to<CadState>(o.at("cad"));
    s.mh = boost::json::value_to<MhState>(o.at("mh"));
    s.partners = boost::json::value_to<PartnersState>(o.at("partners"));
    s.team = boost::json::value_to<TeamState>(o.at("team"));
    Reindex(s, std::move(timers));
  } catch (const std::exception& e) {
    return Error::Internal(std::string("snapshot does not match this version: ") + e.what());
  }
  return s;
}

std::string State::ToSnapshot() const {
  snapshot::Writer w;
  // The last snapshot's size and an eighth more, reserved at once: growing a string of
  // gigabytes by doubling copies it again and again (a quarter of the encoding's time).
  static std::atomic<size_t> last_size{0};
  w.out().reserve(last_size.load(std::memory_order_relaxed) / 8 * 9);
  w.out().append(kMagic);
  w.Bytes(Signature());
  EachPart(*this, timers.all(), [&](const auto& part) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(part)>, CadState>) {
      PutCad(w, part);
    } else {
      snapshot::Put(w, part);
    }
  });
  last_size.store(w.out().size(), std::memory_order_relaxed);
  return std::move(w.out());
}

Result<State> State::FromSnapshot(std::string_view bytes) {
  if (!bytes.empty() && bytes.front() == '{') {  // written before the binary form
    boost::system::error_code ec;
    auto v = boost::json::parse(bytes, ec);
    if (ec) return Error::Internal("snapshot is not valid JSON: " + ec.message());
    return FromJson(v);
  }
  if (!bytes.starts_with(kMagic)) return Error::Internal("snapshot: not a Concordat state");
  snapshot::Reader r(bytes.substr(kMagic.size()));
  std::string_view sig;
  if (!r.Bytes(sig) || sig != Signature()) {
    return Error::Internal("snapshot does not match this version (written with other types)");
  }
  State s;
  std::map<std::string, Timer> timers;
  bool ok = true;
  try {
    EachPart(s, timers, [&](auto& part) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(part)>, CadState>) {
        ok = ok && GetCad(r, part);
      } else {
        ok = ok && snapshot::Get(r, part);
      }
    });
  } catch (const std::exception& e) {  // memory: the reader bounds every count by the bytes left
    return Error::Internal(std::string("snapshot could not be restored: ") + e.what());
  }
  if (!ok || r.Left() != 0) {
    return Error::Internal(ok ? "snapshot: bytes left after the state"
                              : "snapshot: damaged or truncated");
  }
  Reindex(s, std::move(timers));
  return s;
}

}  // namespace concordat
