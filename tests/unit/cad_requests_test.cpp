// Typed command requests (core/cad_requests.hpp): a request made in process is decided exactly as
// the API body it stands for, and a body reads back into the request that wrote it.
#include "core/cad_requests.hpp"

#include <gtest/gtest.h>

#include "cad_fixture.hpp"
#include "core/json_text.hpp"

namespace concordat {
namespace {

using testing::CadTest;
using testing::kLat;
using testing::kLon;
using testing::LonPlusMetres;

// Each event of a decision as one line: stream, type, classification and payload.
std::string Lines(const Decision& d) {
  std::string out;
  for (const auto& e : d.events) {
    std::string payload;
    if (e.body) {
      e.body->WritePayload(payload);
    } else {
      payload = JsonText(e.data);
    }
    out += e.stream + " " + e.type + " " + e.classification + " " + payload + "\n";
  }
  return out;
}

class RequestTest : public CadTest {
 protected:
  // Decides the command once with `request` and once with its body, on the same state; both
  // must succeed or fail alike. Returns the decision's events.
  std::string DecideBothWays(const std::string& type, const std::string& target,
                             std::shared_ptr<const CommandRequest> request,
                             const Actor& actor = {"user-ctl", "controller", "mps", ""}) {
    Command typed{type, target, {}, actor, "typed"};
    typed.request = request;
    Command body{type, target, request->ToBody(), actor, "body"};
    return Read([&](const State& s) {
      const Context ctx{clock_.Now(), &testing::LondonRef(), &policy_};
      auto a = domain_.Decide(s, typed, ctx);
      auto b = domain_.Decide(s, body, ctx);
      EXPECT_EQ(a.ok(), b.ok()) << type;
      if (!a.ok() || !b.ok()) {
        EXPECT_EQ(a.ok() ? "" : a.error().message, b.ok() ? "" : b.error().message);
        return std::string("error: ") + (a.ok() ? b.error().message : a.error().message);
      }
      EXPECT_EQ(a->status, b->status);
      EXPECT_EQ(Lines(*a), Lines(*b)) << type;
      return Lines(*a);
    });
  }
};

template <class R>
void ExpectRoundTrip(const R& r) {
  R back;
  const auto body = r.ToBody();
  ASSERT_TRUE(R::Read(body, back).ok()) << JsonText(body);
  EXPECT_EQ(JsonText(back.ToBody()), JsonText(body));
}

TEST_F(RequestTest, EachRequestIsDecidedAsTheBodyItStandsFor) {
  const std::string unit = CreateUnit("AW11", kLat, LonPlusMetres(800));
  const std::string other = CreateUnit("AW12", kLat, LonPlusMetres(1500));
  const std::string inc = CreateIncident(kLat, kLon);

  auto create = std::make_shared<IncidentCreateRequest>();
  create->channel = "101";
  create->caller_name = "A caller";
  create->caller_phone = "07700 900123";
  create->lat = kLat + 0.001;
  create->lon = kLon - 0.002;
  create->address = "Bridge Street";
  create->location_type = "private_dwelling";
  create->type = "mental_health";
  create->grade = "S";
  create->flags = {"mental_health", "vulnerability"};
  create->description = "Worried about her neighbour";
  create->received_at = clock_.Now() - Minutes(3);
  const std::string created = DecideBothWays("incident.create", "", create);
  EXPECT_NE(created.find("incident.created"), std::string::npos) << created;
  ExpectRoundTrip(*create);

  auto unlocated = std::make_shared<IncidentCreateRequest>();
  unlocated->channel = "999";
  unlocated->address = "Somewhere in Lambeth";
  unlocated->type = "concern_for_welfare";
  unlocated->grade = "I";
  EXPECT_NE(DecideBothWays("incident.create", "", unlocated).find("incident.created"),
            std::string::npos);
  ExpectRoundTrip(*unlocated);

  auto assign = std::make_shared<AssignmentCreateRequest>();
  assign->unit_id = unit;
  assign->mode = "dispatched";
  EXPECT_NE(DecideBothWays("assignment.create", inc, assign).find("assignment.created"),
            std::string::npos);
  ExpectRoundTrip(*assign);
  ASSERT_TRUE(Assign(inc, unit).ok);
  ASSERT_TRUE(Assign(inc, other).ok);

  auto state = std::make_shared<AssignmentStateRequest>();
  state->unit_id = unit;
  state->state = "en_route";
  EXPECT_NE(DecideBothWays("assignment.state", inc, state).find("assignment.state_changed"),
            std::string::npos);
  ExpectRoundTrip(*state);

  auto fix = std::make_shared<UnitLocationRequest>();
  fix->lat = kLat;
  fix->lon = kLon + 0.0001;
  fix->accuracy_m = 8;
  fix->fixed_at = clock_.Now();  // not before the fix the unit was created with (stale)
  EXPECT_NE(DecideBothWays("unit.location", unit, fix).find("unit.near_incident"),
            std::string::npos)
      << "the fix puts the unit at the incident";
  ExpectRoundTrip(*fix);

  auto close = std::make_shared<IncidentCloseRequest>();
  close->result_code = "attended_resolved";
  close->summary = "Resolved at scene";
  const std::string closed = DecideBothWays("incident.close", inc, close);
  EXPECT_NE(closed.find("incident.closed"), std::string::npos);
  EXPECT_NE(closed.find("\"by_closure\":true"), std::string::npos) << "both units cleared";
  ExpectRoundTrip(*close);
}

// The deciders' own rules refuse a request made in process as they refuse its body.
TEST_F(RequestTest, ARequestBreakingADecidersRuleIsRefusedAsItsBodyIs) {
  const std::string inc = CreateIncident(kLat, kLon);
  auto bad_grade = std::make_shared<IncidentCreateRequest>();
  bad_grade->channel = "999";
  bad_grade->lat = kLat;
  bad_grade->lon = kLon;
  bad_grade->type = "mental_health";
  bad_grade->grade = "Z";
  EXPECT_NE(DecideBothWays("incident.create", "", bad_grade).find("grade must be one of"),
            std::string::npos);

  auto half_located = std::make_shared<IncidentCreateRequest>();
  half_located->channel = "999";
  half_located->lat = kLat;
  half_located->type = "mental_health";
  half_located->grade = "I";
  EXPECT_NE(DecideBothWays("incident.create", "", half_located).find("give both"),
            std::string::npos);

  auto not_assigned = std::make_shared<AssignmentStateRequest>();
  not_assigned->unit_id = CreateUnit("AW21", kLat, kLon);
  not_assigned->state = "at_scene";
  EXPECT_NE(DecideBothWays("assignment.state", inc, not_assigned).find("is not assigned"),
            std::string::npos);
}

TEST_F(RequestTest, ABodysProblemsAreAllToldAndARequestOfAnotherCommandIsADefect) {
  const std::string inc = CreateIncident(kLat, kLon);
  Outcome o = Run("assignment.state", inc, {{"unit_id", 7}, {"state", "flying"}});
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(o.error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(o.error.field, "unit_id");
  EXPECT_NE(o.error.message.find("state must be one of"), std::string::npos) << o.error.message;

  Command wrong{"assignment.state", inc, {}, {"user-ctl", "controller", "mps", ""}, "w1"};
  auto close = std::make_shared<IncidentCloseRequest>();
  close->result_code = "x";
  close->summary = "y";
  wrong.request = close;
  Outcome w = engine_->Execute(std::move(wrong));
  ASSERT_FALSE(w.ok);
  EXPECT_EQ(w.error.code, ErrorCode::kInternal);
  EXPECT_TRUE(Read([&](const State& s) { return s.cad.incidents.at(inc).status == "open"; }));
}

}  // namespace
}  // namespace concordat
