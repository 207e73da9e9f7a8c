#include "core/state.hpp"

#include <boost/json.hpp>

#include "core/snapshot_codec.hpp"

namespace concordat {

namespace {

constexpr std::string_view kMagic = "concordat-state/binary-1\n";

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
  w.out().append(kMagic);
  w.Bytes(Signature());
  EachPart(*this, timers.all(), [&](const auto& part) { snapshot::Put(w, part); });
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
    EachPart(s, timers, [&](auto& part) { ok = ok && snapshot::Get(r, part); });
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
