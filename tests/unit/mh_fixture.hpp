// A mental-health pathway fixture on top of the command-and-control one: an officer actor, a
// valid s136 body to vary, and helpers to walk a detention through its steps on the virtual clock.
#pragma once

#include <algorithm>

#include "cad_fixture.hpp"
#include "core/mh.hpp"

namespace concordat::testing {

// Reference-data ids used by the tests.
inline constexpr const char* kMaudsley = "pos-maudsley-hospital-denmark-hill";  // SLaM HBPoS
inline constexpr const char* kOxleas = "pos-oxleas-house-queen-elizabeth-hospital-woolwich";
inline constexpr const char* kStThomas = "RJ122";  // St Thomas' Hospital ED (ODS code)

class MhTest : public CadTest {
 protected:
  const Actor officer_{"user-off", "officer", "mps", "AW-1001"};

  Outcome As(const Actor& a, const std::string& type, const std::string& target,
             boost::json::object body) {
    return Run(type, target, std::move(body), a);
  }
  // As the officer; the step must succeed.
  Outcome Step(const std::string& type, const std::string& target, boost::json::object body = {}) {
    Outcome o = As(officer_, type, target, std::move(body));
    EXPECT_TRUE(o.ok) << type << " " << target << ": " << o.error.message << " [" << o.error.field
                      << "]";
    return o;
  }
  // As the officer; the step must fail with `code`. Returns the error message.
  std::string Refused(const std::string& type, const std::string& target, boost::json::object body,
                      ErrorCode code = ErrorCode::kFailedPrecondition) {
    const auto head = log_->HeadSeq();
    Outcome o = As(officer_, type, target, std::move(body));
    EXPECT_FALSE(o.ok) << type << " should have been refused";
    EXPECT_EQ(o.error.code, code) << o.error.message;
    EXPECT_EQ(log_->HeadSeq(), head) << "a refused command must append nothing";
    return o.error.message;
  }

  // A lawful s136 decision in a public place for an adult, consulted by phone.
  static boost::json::object S136(boost::json::object person = {{"age", 34}}) {
    return {{"power", "s136"},
            {"location_type", "public_place"},
            {"grounds",
             {{"mental_disorder", "talking to voices, believes he is being followed"},
              {"care_or_control", "standing on the bridge parapet"},
              {"necessity", "risk of falling into the river"}}},
            {"person", std::move(person)},
            {"consultation",
             {{"name", "Nurse Adebayo"},
              {"role", "registered_nurse"},
              {"advice", "street triage agrees a place of safety is needed"}}}};
  }
  std::string Detain(const std::string& incident, boost::json::object body = S136()) {
    Outcome o = As(officer_, "detention.create", incident, std::move(body));
    EXPECT_TRUE(o.ok) << o.error.message << " [" << o.error.field << "]";
    EXPECT_EQ(o.status, 201);
    return o.ok ? std::string(o.reply.at("id").as_string()) : std::string();
  }
  // Incident → s136 → place chosen → arrival. Returns the detention id.
  std::string DetainedAt(boost::json::object place, boost::json::object body = S136()) {
    const std::string det = Detain(CreateIncident(kLat, kLon), std::move(body));
    Step("detention.place", det, std::move(place));
    Step("detention.arrival", det);
    return det;
  }
  static boost::json::object Hbpos() { return {{"kind", "hbpos"}, {"site_id", kMaudsley}}; }
  static boost::json::object Ed() {
    return {{"kind", "emergency_department"}, {"site_id", kStThomas}};
  }
  // The three reg 2 conditions, decided by a sergeant with an inspector's authorisation.
  boost::json::object Station() {
    return {{"kind", "police_station"},
            {"site_id", "Charing Cross police station"},
            {"police_station",
             {{"imminent_risk", "repeatedly attacking staff with a weapon"},
              {"no_other_place", "both local HBPoS refused because of the violence"},
              {"healthcare_professional", "FME Dr Okafor will attend"},
              {"decision_maker_rank", "sergeant"},
              {"inspector_authorisation",
               {{"name", "Insp Rahman"},
                {"rank", "inspector"},
                {"at", FormatIso(Now() - Minutes(1))},
                {"reason", "no safe alternative"}}}}}};
  }

  Timestamp Now() const { return clock_.Now(); }
  Detention Det(const std::string& id) {
    return Read([&](const State& s) { return s.mh.detentions.at(id); });
  }
  bool TimerExists(const std::string& id) {
    return Read([&](const State& s) { return s.timers.Find(id) != nullptr; });
  }
  std::vector<Alert> AlertsFor(const std::string& type, const std::string& det) {
    std::vector<Alert> out;
    for (const auto& a : AlertsOfType(type)) {
      const auto* d = a.data.if_contains("detention_id");
      if (d && d->is_string() && d->as_string() == det) out.push_back(a);
    }
    // In the order raised (ids are "alert-N": numeric order, not the map's text order).
    std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
      return std::stoll(a.id.substr(6)) < std::stoll(b.id.substr(6));
    });
    return out;
  }
  void AdvanceBy(Timestamp t) { Advance(static_cast<int>(t / kMicrosPerSecond)); }
};

}  // namespace concordat::testing
