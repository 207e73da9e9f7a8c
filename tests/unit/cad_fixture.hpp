// A command-and-control test fixture: the real domain on an in-memory log and a virtual clock,
// with London reference data, so rules are tested on the pure core, fast and deterministic.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/cad.hpp"
#include "engine/engine.hpp"
#include "refdata/london.hpp"

namespace concordat::testing {

inline const RefData& LondonRef() {
  static const RefData ref = *LoadLondonRefData(DefaultDataDir() + "/refdata/london");
  return ref;
}

class CadTest : public ::testing::Test {
 protected:
  // 27 November 2026 10:00 UTC (GMT: London time is UTC).
  static constexpr Timestamp kT0 = 1'795'773'600'000'000;

  CadTest() : clock_(kT0) {
    RegisterAllDomains(domain_);
    Start();
  }
  void Start() {
    EngineOptions o;
    o.ref = &LondonRef();
    o.policy = &policy_;
    engine_ = std::make_unique<Engine>(*log_, clock_, domain_, o);
    EXPECT_TRUE(engine_->Start().ok());
  }
  void Restart() {
    engine_.reset();
    Start();
  }

  Outcome Run(const std::string& type, const std::string& target, boost::json::object body,
              Actor actor = {"user-ctl", "controller", "mps", ""}) {
    return engine_->Execute(
        Command{type, target, std::move(body), actor, "k" + std::to_string(++key_)});
  }
  Outcome MustRun(const std::string& type, const std::string& target, boost::json::object body) {
    Outcome o = Run(type, target, std::move(body));
    EXPECT_TRUE(o.ok) << type << " " << target << ": " << o.error.message << " [" << o.error.field
                      << "]";
    return o;
  }
  std::string CreateIncident(double lat, double lon, const std::string& type = "mental_health",
                             const std::string& grade = "I",
                             boost::json::array flags = {"mental_health"}) {
    Outcome o = MustRun("incident.create", "",
                        {{"channel", "999"},
                         {"caller", {{"name", "Caller"}, {"phone", "0207"}}},
                         {"location",
                          {{"lat", lat}, {"lon", lon}, {"address", "Somewhere"},
                           {"type", "public_place"}}},
                         {"type", type},
                         {"grade", grade},
                         {"flags", flags},
                         {"description", "test"}});
    return o.ok ? std::string(o.reply.at("id").as_string()) : std::string();
  }
  std::string CreateUnit(const std::string& call_sign, double lat, double lon,
                         const std::string& bcu = "AW", bool mh_trained = false,
                         boost::json::array caps = {"response"},
                         const std::string& status = "available") {
    boost::json::array skills{"first_aid"};
    if (mh_trained) skills.emplace_back("mental_health_trained");
    MustRun("unit.create", "",
            {{"call_sign", call_sign},
             {"bcu", bcu},
             {"crew", boost::json::array{{{"collar", call_sign + "-1"}, {"skills", skills}}}},
             {"capabilities", caps},
             {"status", status}});
    const std::string id = "unit-" + call_sign;
    MustRun("unit.location", id, {{"lat", lat}, {"lon", lon}});
    return id;
  }
  Outcome Assign(const std::string& incident, const std::string& unit,
                 const std::string& mode = "dispatched", boost::json::object extra = {}) {
    extra["unit_id"] = unit;
    extra["mode"] = mode;
    return Run("assignment.create", incident, std::move(extra));
  }
  void Advance(int seconds) {
    ASSERT_TRUE(engine_->AdvanceClock(Seconds(seconds), {"user-admin", "admin", "mps", ""},
                                      "adv" + std::to_string(++key_))
                    .ok);
  }
  template <class F>
  auto Read(F&& f) {
    return engine_->Read(std::forward<F>(f));
  }
  const Incident& Inc(const State& s, const std::string& id) { return s.cad.incidents.at(id); }
  std::vector<Alert> AlertsOfType(const std::string& type) {
    return Read([&](const State& s) {
      std::vector<Alert> out;
      for (const auto& [id, a] : s.alerts.by_id) {
        if (a.type == type) out.push_back(a);
      }
      return out;
    });
  }
  std::vector<Event> EventsOfType(const std::string& type) {
    std::vector<Event> out;
    auto all = log_->ReadAfter(0, 1'000'000);
    for (const auto& e : all.value()) {
      if (e.type == type) out.push_back(e);
    }
    return out;
  }

  std::unique_ptr<EventLog> log_ = MakeMemoryEventLog();
  VirtualClock clock_;
  Domain domain_;
  Policy policy_;
  std::unique_ptr<Engine> engine_;
  int key_ = 0;
};

// Points near Westminster Bridge and at growing distances east along the river.
inline constexpr double kLat = 51.50081;
inline constexpr double kLon = -0.12186;
inline double LonPlusMetres(double metres) { return kLon + metres / 69'400.0; }

}  // namespace concordat::testing
