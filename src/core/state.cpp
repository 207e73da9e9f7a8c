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
    s.cad = boost::json::value_to<CadState>(o.at("cad"));
    s.cad.Reindex();
  } catch (const std::exception& e) {
    return Error::Internal(std::string("snapshot does not match this version: ") + e.what());
  }
  return s;
}

}  // namespace concordat
