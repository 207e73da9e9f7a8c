// A tiny domain for engine tests: "test.raise" raises an alert; "test.arm" schedules a timer
// that raises an alert when it fires.
#pragma once

#include <boost/json.hpp>

#include "core/domain.hpp"
#include "core/json_fields.hpp"

namespace concordat::testing {

inline void RegisterTestDomain(Domain& d) {
  RegisterCoreDomain(d);
  d.OnCommand("test.raise", [](const State& s, const Command& c, const Context&) -> Result<Decision> {
    FieldReader r(c.body);
    auto msg = r.String("message");
    if (!r.ok()) {
      return r.error();
    }
    Decision dec;
    dec.events.push_back(MakeAlertRaised(s, 0, "test", "", {}, msg));
    dec.status = 201;
    dec.reply = [](const State& st) -> boost::json::value {
      return boost::json::object{{"alerts", st.alerts.by_id.size()}};
    };
    return dec;
  });
  d.OnCommand("test.arm", [](const State&, const Command& c, const Context& ctx) -> Result<Decision> {
    FieldReader r(c.body);
    auto secs = r.Integer("seconds", 1, 100000);
    auto id = r.String("id");
    if (!r.ok()) {
      return r.error();
    }
    Decision dec;
    dec.events.push_back(NewEvent{"test", "test.armed", classification::kSystem,
                                  {{"id", id}, {"due", ctx.now + Seconds(secs)}}});
    return dec;
  });
  d.OnEvent("test.armed", [](State& s, const Event& e) {
    s.timers.Schedule(Timer{std::string(e.data.at("id").as_string()), e.data.at("due").as_int64(),
                            "test.ring", "test", {}});
  });
  d.OnTimer("test.ring", [](const State& s, const Timer& t, const Context&) -> Result<Decision> {
    Decision dec;
    dec.events.push_back(MakeAlertRaised(s, 0, "ring", "", {}, "timer " + t.id));
    return dec;
  });
}

}  // namespace concordat::testing
