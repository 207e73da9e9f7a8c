#include "core/event.hpp"

#include <boost/json.hpp>

namespace concordat {

void DataFromPayload(Event& e) {
  // Never throws (it runs on the completion thread and in the logs' readers): a payload that
  // does not parse leaves `data` empty.
  boost::system::error_code ec;
  auto v = boost::json::parse(e.payload, ec);
  if (!ec && v.is_object()) e.data = std::move(v.as_object());
}

void MaterialiseData(Event& e) {
  if (e.body && e.data.empty()) {
    DataFromPayload(e);
  }
}

boost::json::object EventToJson(const Event& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["at"] = FormatIso(e.at);
  o["stream"] = e.stream;
  o["type"] = e.type;
  o["actor"] = boost::json::object{
      {"user_id", e.actor.user_id}, {"role", e.actor.role}, {"agency_id", e.actor.agency_id}};
  o["command_id"] = e.command_id;
  o["classification"] = e.classification;
  o["data"] = e.data;
  return o;
}

}  // namespace concordat
