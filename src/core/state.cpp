#include "core/state.hpp"

#include <boost/json.hpp>

namespace concordat {

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
    s.timers.Restore(boost::json::value_to<std::map<std::string, Timer>>(o.at("timers")));
    s.alerts = boost::json::value_to<AlertsState>(o.at("alerts"));
    s.alerts.Reindex();
    s.cad = boost::json::value_to<CadState>(o.at("cad"));
    s.cad.Reindex();
    s.mh = boost::json::value_to<MhState>(o.at("mh"));
    s.partners = boost::json::value_to<PartnersState>(o.at("partners"));
    s.team = boost::json::value_to<TeamState>(o.at("team"));
    s.team.Reindex(s.cad);
  } catch (const std::exception& e) {
    return Error::Internal(std::string("snapshot does not match this version: ") + e.what());
  }
  return s;
}

}  // namespace concordat
