// Incidents: creation, references by London day, boroughs, validation, targets, close/reopen.
#include "cad_fixture.hpp"
#include "core/json_text.hpp"

namespace concordat::testing {
namespace {

class IncidentTest : public CadTest {};

TEST_F(IncidentTest, CreateFindsBoroughAndBcuAndNumbersTheDay) {
  Outcome o = MustRun("incident.create", "",
                      {{"channel", "999"},
                       {"caller", {{"name", "A Caller"}, {"phone", "07700 900123"}}},
                       {"location",
                        {{"lat", 51.501}, {"lon", -0.142}, {"address", "The Mall"},
                         {"type", "public_place"}}},
                       {"type", "mental_health"},
                       {"grade", "I"},
                       {"flags", {"mental_health"}},
                       {"description", "distressed man"}});
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.reply.at("reference").as_string(), "CAD 1/27NOV26");
  EXPECT_EQ(o.reply.at("borough").at("code").as_string(), "E09000033");
  EXPECT_EQ(o.reply.at("borough").at("name").as_string(), "Westminster");
  EXPECT_EQ(o.reply.at("bcu").at("code").as_string(), "AW");
  EXPECT_EQ(o.reply.at("bcu").at("name").as_string(), "Central West");
  EXPECT_EQ(o.reply.at("status").as_string(), "open");
  EXPECT_EQ(o.reply.at("target_at").as_string(), "2026-11-27T10:15:00.000000Z");
  EXPECT_EQ(o.reply.at("time_to_target_seconds").as_int64(), 900);
  const std::string second = CreateIncident(kLat, kLon);
  EXPECT_EQ(Read([&](const State& s) { return Inc(s, second).reference; }), "CAD 2/27NOV26");
}

TEST_F(IncidentTest, NumberingRestartsAtLondonMidnightAcrossClockChange) {
  CreateIncident(kLat, kLon);
  Advance(14 * 3600);  // 27 Nov 24:00 London (GMT)
  Advance(1);
  const std::string next = CreateIncident(kLat, kLon);
  EXPECT_EQ(Read([&](const State& s) { return Inc(s, next).reference; }), "CAD 1/28NOV26");
}

TEST_F(IncidentTest, SummerTimeMidnightIsAnHourBeforeUtcMidnight) {
  // 30 June 2027 23:30 UTC is 1 July 00:30 BST: the July counter starts.
  clock_.Set(*ParseIso("2027-06-30T22:50:00Z"));
  const std::string june = CreateIncident(kLat, kLon);
  clock_.Set(*ParseIso("2027-06-30T23:30:00Z"));
  const std::string july = CreateIncident(kLat, kLon);
  Read([&](const State& s) {
    EXPECT_EQ(Inc(s, june).reference, "CAD 1/30JUN27");
    EXPECT_EQ(Inc(s, july).reference, "CAD 1/01JUL27");
    return 0;
  });
}

TEST_F(IncidentTest, OutsideTheMetIsAcceptedWithAWarning) {
  Outcome o = MustRun("incident.create", "",
                      {{"channel", "101"},
                       {"location", {{"lat", 50.8225}, {"lon", -0.1372}, {"type", "other"}}},
                       {"type", "concern_for_welfare"},
                       {"grade", "S"}});
  EXPECT_TRUE(o.reply.at("borough").is_null());
  EXPECT_TRUE(o.reply.at("bcu").is_null());
  ASSERT_EQ(o.reply.at("warnings").as_array().size(), 1u);
  EXPECT_NE(std::string(o.reply.at("warnings").as_array()[0].as_string()).find("outside"),
            std::string::npos);
}

TEST_F(IncidentTest, InvalidInputNamesTheFieldAndChangesNothing) {
  const auto head = log_->HeadSeq();
  struct Case {
    boost::json::object body;
    const char* field;
  };
  const Case cases[] = {
      {{{"channel", "999"}, {"location", {{"lat", 51.5}, {"lon", -0.1}}}, {"type", "x"},
        {"grade", "Z"}},
       "grade"},
      {{{"channel", "pigeon"}, {"location", {{"lat", 51.5}, {"lon", -0.1}}}, {"type", "x"},
        {"grade", "I"}},
       "channel"},
      {{{"channel", "999"}, {"location", {{"lat", 51.5}}}, {"type", "x"}, {"grade", "I"}},
       "location.lon"},
      {{{"channel", "999"}, {"location", {{"lat", 91}, {"lon", 0}}}, {"type", "x"},
        {"grade", "I"}},
       "location.lat"},
      {{{"channel", "999"}, {"location", {{"lat", 51.5}, {"lon", -0.1}}}, {"type", "x"},
        {"grade", "I"}, {"flags", {"aliens"}}},
       "flags"},
      {{{"channel", "999"}, {"location", {{"address", ""}}}, {"type", "x"}, {"grade", "I"}},
       "location"},
      {{{"channel", "999"}, {"location", {{"lat", 51.5}, {"lon", -0.1}, {"type", "castle"}}},
        {"type", "x"}, {"grade", "I"}},
       "location.type"},
  };
  for (const auto& c : cases) {
    Outcome o = Run("incident.create", "", c.body);
    EXPECT_FALSE(o.ok);
    EXPECT_EQ(o.error.code, ErrorCode::kInvalidArgument) << c.field;
    EXPECT_EQ(o.error.field, c.field);
  }
  EXPECT_EQ(log_->HeadSeq(), head);
}

TEST_F(IncidentTest, ThriveVersionsLogRegradeAndLinkedPersons) {
  const std::string id = CreateIncident(kLat, kLon);
  boost::json::object thrive{{"threat", "t"}, {"harm", "h"}, {"risk", "r"},
                             {"investigation", "i"}, {"vulnerability", "v"},
                             {"engagement", "e"}, {"overall", "high"}};
  MustRun("incident.thrive", id, thrive);
  thrive["overall"] = "medium";
  MustRun("incident.thrive", id, thrive);
  MustRun("incident.log", id, {{"text", "caller rang back"}});
  Outcome re = MustRun("incident.regrade", id, {{"grade", "S"}, {"reason", "calmer now"}});
  EXPECT_EQ(re.reply.at("target_at").as_string(), "2026-11-27T11:00:00.000000Z");
  EXPECT_EQ(Run("incident.link_person", id, {{"person_id", "person-1"}}).error.code,
            ErrorCode::kNotFound);  // persons are recorded first (issue 6)
  MustRun("person.create", "", {{"name", "A Person"}});
  MustRun("incident.link_person", id, {{"person_id", "person-1"}});
  EXPECT_EQ(Run("incident.link_person", id, {{"person_id", "person-1"}}).error.code,
            ErrorCode::kConflict);
  Read([&](const State& s) {
    const Incident& i = Inc(s, id);
    EXPECT_EQ(i.thrive.size(), 2u);
    EXPECT_EQ(i.thrive[0].version, 1);
    EXPECT_EQ(i.thrive[1].version, 2);
    EXPECT_EQ(i.thrive[1].overall, "medium");
    EXPECT_EQ(i.thrive[1].author, "user-ctl");
    EXPECT_EQ(i.log.size(), 1u);
    EXPECT_EQ(i.grade, "S");
    EXPECT_EQ(i.persons.size(), 1u);
    return 0;
  });
}

TEST_F(IncidentTest, CloseTwiceIsAConflictAndReopenWorks) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string unit = CreateUnit("AW20", kLat, LonPlusMetres(500));
  ASSERT_TRUE(Assign(id, unit).ok);
  MustRun("incident.close", id, {{"result_code", "advice_given"}, {"summary", "resolved"}});
  const auto head = log_->HeadSeq();
  Outcome again = Run("incident.close", id, {{"result_code", "x"}, {"summary", "y"}});
  EXPECT_EQ(again.error.code, ErrorCode::kConflict);
  EXPECT_EQ(log_->HeadSeq(), head);
  Read([&](const State& s) {
    EXPECT_EQ(Inc(s, id).assignments.at(unit).state, "cleared");  // closure cleared the unit
    EXPECT_EQ(s.cad.units.at(unit).status, "available");
    return 0;
  });
  MustRun("incident.reopen", id, {{"reason", "caller rang again"}});
  EXPECT_EQ(Read([&](const State& s) { return Inc(s, id).status; }), "open");
}

TEST_F(IncidentTest, TargetMetWhenTheFirstUnitArrivesInTime) {
  const std::string id = CreateIncident(kLat, kLon);
  const std::string unit = CreateUnit("AW21", kLat, LonPlusMetres(800));
  ASSERT_TRUE(Assign(id, unit).ok);
  Advance(14 * 60);
  Outcome o = MustRun("assignment.state", id, {{"unit_id", unit}, {"state", "at_scene"}});
  EXPECT_TRUE(o.reply.at("target_met").as_bool());
  const std::string late = CreateIncident(kLat, kLon);
  ASSERT_TRUE(Assign(late, CreateUnit("AW22", kLat, kLon)).ok);
  Advance(16 * 60);
  Outcome l = MustRun("assignment.state", late, {{"unit_id", "unit-AW22"}, {"state", "at_scene"}});
  EXPECT_FALSE(l.reply.at("target_met").as_bool());
}

TEST_F(IncidentTest, ReplayAfterRestartRebuildsTheSameBoard) {
  const std::string id = CreateIncident(kLat, kLon);
  CreateUnit("AW23", kLat, LonPlusMetres(300));
  ASSERT_TRUE(Assign(id, "unit-AW23").ok);
  MustRun("unit.location", "unit-AW23", {{"lat", kLat}, {"lon", kLon}});
  Advance(300);
  const auto before = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  Restart();
  EXPECT_EQ(Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), before);
}

// `incident.created` is made as a typed body (IncidentCreated) that the applier reads directly;
// from the log it comes back as data parsed from the payload the body wrote. Both must give the
// same incident, for every kind the deciders make: located, address only, outside the Met,
// flagged, and the emergency button's (with its extra fields).
TEST_F(IncidentTest, AnIncidentFromItsTypedBodyIsTheSameAsFromItsPayload) {
  const std::string located =
      CreateIncident(kLat, kLon, "mental_health", "I", {"mental_health", "vulnerability"});
  MustRun("incident.create", "",
          {{"channel", "101"},
           {"caller", {{"name", "Quote \"Q\" \u00e9"}, {"phone", ""}}},
           {"location", {{"address", "12 Some Street\nFlat 2"}}},
           {"type", "noise"},
           {"grade", "R"},
           {"flags", boost::json::array{}},
           {"description", ""}});
  CreateIncident(52.2053, 0.1218, "theft", "E", {});  // Cambridge: no borough, no BCU
  // At a point whose coordinates Boost 1.81's parser reads back exactly (it can be a unit in the
  // 17th digit away for some, typed or not: PERFORMANCE.md, session 11).
  const std::string presser = CreateUnit("AW80", kLat, kLon);
  ASSERT_TRUE(Assign(located, presser).ok);
  ASSERT_TRUE(Run("unit.emergency", presser, {}).ok);

  // The log's copies have data (parsed from the payload) and no body; every field is there.
  const auto created = EventsOfType("incident.created");
  ASSERT_EQ(created.size(), 4u);
  for (const Event& e : created) {
    EXPECT_EQ(e.body, nullptr);
    EXPECT_EQ(boost::json::parse(e.payload).as_object(), e.data);
    for (const char* k : {"id", "reference", "day", "n", "received_at", "channel", "caller",
                          "location", "borough_code", "borough_name", "bcu_code", "bcu_name",
                          "type", "grade", "flags", "description", "target_at"}) {
      EXPECT_TRUE(e.data.contains(k)) << e.data.at("id") << " lacks " << k;
    }
  }
  EXPECT_EQ(created.back().data.at("emergency_unit_id"), "unit-AW80");
  EXPECT_EQ(created.back().data.at("parent_incident_id").as_string(), located);
  for (size_t k = 0; k + 1 < created.size(); ++k) {
    EXPECT_FALSE(created[k].data.contains("emergency_unit_id"));
    EXPECT_FALSE(created[k].data.contains("parent_incident_id"));
  }
  EXPECT_EQ(created[1].data.at("location").at("located"), false);
  EXPECT_EQ(created[2].data.at("bcu_code"), "");

  // Live state (from the bodies) against state replayed from the payloads.
  const auto live = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  Restart();
  EXPECT_EQ(Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), live);
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.incidents.size(), 4u);
    EXPECT_EQ(s.cad.next_incident, 5u);
    return 0;
  });
}

// `assignment.state_changed` is a typed body too (AssignmentStateChanged): its payload is the
// document the deciders built as a JSON object before, with `by_closure` only when a closure
// cleared the unit, and state replayed from the payloads is the live state.
TEST_F(IncidentTest, AnAssignmentStateChangeFromItsTypedBodyIsTheSameAsFromItsPayload) {
  const std::string inc = CreateIncident(kLat, kLon);
  const std::string a = CreateUnit("CE12", kLat, kLon);
  const std::string b = CreateUnit("CE13", kLat, kLon);
  ASSERT_TRUE(Assign(inc, a).ok);
  ASSERT_TRUE(Assign(inc, b).ok);
  ASSERT_TRUE(Run("assignment.state", inc, {{"unit_id", a}, {"state", "en_route"}}).ok);
  ASSERT_TRUE(Run("assignment.state", inc, {{"unit_id", a}, {"state", "at_scene"}}).ok);
  ASSERT_TRUE(
      Run("incident.close", inc, {{"result_code", "advice_given"}, {"summary", "done"}}).ok);

  const auto changes = EventsOfType("assignment.state_changed");
  ASSERT_EQ(changes.size(), 4u);  // en route, at scene, and both cleared by the closure
  const boost::json::object first{
      {"incident_id", inc}, {"unit_id", a}, {"from", "assigned"}, {"state", "en_route"}};
  EXPECT_EQ(changes[0].payload, boost::json::serialize(first));
  EXPECT_EQ(changes[1].data.at("from"), "en_route");
  size_t by_closure = 0;
  for (const Event& e : changes) {
    EXPECT_EQ(e.body, nullptr);  // read from the log: data parsed from the payload
    EXPECT_EQ(boost::json::parse(e.payload).as_object(), e.data);
    EXPECT_EQ(e.stream, "incident/" + inc);
    if (e.data.contains("by_closure")) {
      EXPECT_EQ(e.data.at("by_closure"), true);
      EXPECT_EQ(e.data.at("state"), "cleared");
      ++by_closure;
    }
  }
  EXPECT_EQ(by_closure, 2u);
  // Governance's resourced / unresourced are typed bodies too: the same keys in the same order.
  auto keys = [](const Event& e) {
    std::vector<std::string> k;
    for (const auto& kv : e.data) k.emplace_back(kv.key());
    return k;
  };
  const auto resourced = EventsOfType("incident.resourced");
  ASSERT_FALSE(resourced.empty());
  EXPECT_EQ(keys(resourced[0]), (std::vector<std::string>{"incident_id", "recommended", "assigned",
                                                          "advisory_bcus", "message"}));
  EXPECT_TRUE(resourced[0].data.at("advisory_bcus").is_array());
  EXPECT_TRUE(resourced[0].data.at("recommended").is_int64());
  const auto unresourced = EventsOfType("incident.unresourced");
  ASSERT_FALSE(unresourced.empty());  // the closure's
  EXPECT_EQ(keys(unresourced.back()), (std::vector<std::string>{"incident_id", "reason"}));
  EXPECT_EQ(unresourced.back().data.at("reason"), "closed");
  const auto closed = EventsOfType("incident.closed");  // a typed body too (IncidentClosed)
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].payload,
            boost::json::serialize(boost::json::object{
                {"incident_id", inc}, {"result_code", "advice_given"}, {"summary", "done"}}));

  const auto live = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  Restart();
  EXPECT_EQ(Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), live);
  Read([&](const State& s) {
    EXPECT_EQ(s.cad.incidents.at(inc).assignments.at(a).state, "cleared");
    EXPECT_TRUE(s.cad.units.at(a).active_incident.empty());
    return 0;
  });
}

// `assignment.created` is a typed body (AssignmentCreated): dispatched, self-deployed after the
// advisory with a reason, and the emergency button's own (the presser at scene, the units
// already there, the nearest sent) each have the payload the deciders built as a JSON object,
// and the state replayed from the payloads is the live state.
TEST_F(IncidentTest, AnAssignmentFromItsTypedBodyIsTheSameAsFromItsPayload) {
  const std::string inc = CreateIncident(kLat, kLon, "mental_health", "I", {"mental_health"});
  const std::string a = CreateUnit("CE21", kLat, kLon);
  const std::string b = CreateUnit("CE22", kLat, LonPlusMetres(300));
  const std::string c = CreateUnit("CE23", kLat, LonPlusMetres(600));
  const std::string d = CreateUnit("CE24", kLat, LonPlusMetres(900));
  ASSERT_TRUE(Assign(inc, a).ok);
  ASSERT_TRUE(Assign(inc, b).ok);  // recommended 2 for a grade I mental-health call: resourced
  ASSERT_TRUE(Run("assignment.create", inc,
                  {{"unit_id", c},
                   {"mode", "self_deployed"},
                   {"confirm", true},
                   {"reason", "I know him \"well\""}},
                  {"sim-CE23", "officer", "mps", "CE23-1"})
                  .ok);
  ASSERT_TRUE(Run("assignment.state", inc, {{"unit_id", a}, {"state", "at_scene"}}).ok);
  ASSERT_TRUE(Run("unit.emergency", a, {}).ok);
  (void)d;

  const auto created = EventsOfType("assignment.created");
  ASSERT_GE(created.size(), 5u);  // three here, then the button's presser and helpers
  const boost::json::object first{{"incident_id", inc},     {"unit_id", a},
                                  {"mode", "dispatched"},   {"dispatched_by", "user-ctl"},
                                  {"state", "assigned"},    {"reason", ""},
                                  {"after_advisory", false}};
  EXPECT_EQ(created[0].payload, boost::json::serialize(first));
  EXPECT_EQ(created[2].data.at("after_advisory"), true);
  EXPECT_EQ(created[2].data.at("reason"), "I know him \"well\"");
  EXPECT_EQ(created[2].data.at("dispatched_by"), "");
  bool pressed = false;
  for (const Event& e : created) {
    EXPECT_EQ(e.body, nullptr);  // read from the log: data parsed from the payload
    EXPECT_EQ(boost::json::parse(e.payload).as_object(), e.data);
    std::vector<std::string> keys;
    for (const auto& kv : e.data) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"incident_id", "unit_id", "mode", "dispatched_by",
                                              "state", "reason", "after_advisory"}));
    pressed = pressed || e.data.at("reason") == "pressed the emergency button";
  }
  EXPECT_TRUE(pressed);

  const auto live = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  Restart();
  EXPECT_EQ(Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), live);
  Read([&](const State& s) {
    const Incident& i = s.cad.incidents.at(inc);
    EXPECT_EQ(i.assignments.at(c).reason, "I know him \"well\"");
    EXPECT_TRUE(i.assignments.at(c).after_advisory);
    EXPECT_EQ(i.assignments.at(a).state, "at_scene");
    return 0;
  });
}

// `unit.near_incident` is a typed body: the same payload document as the JSON object it replaced
// (times as ISO text), and the state replayed from the payloads (fixes, who is near what, presence
// timers) is the live state. (`unit.located` stays a JSON object: see DecideUnitLocation.)
TEST_F(IncidentTest, FixesAndPresenceFromTheirTypedBodiesAreTheSameAsFromTheirPayloads) {
  const std::string inc = CreateIncident(kLat, kLon);
  const std::string far = CreateUnit("CE20", kLat + 0.05, kLon);
  ASSERT_TRUE(Assign(inc, far).ok);
  ASSERT_TRUE(Run("unit.location", far, {{"lat", kLat}, {"lon", kLon}, {"accuracy_m", 8}}).ok);
  Advance(30);
  ASSERT_TRUE(Run("unit.location", far, {{"lat", kLat + 0.0001}, {"lon", kLon}}).ok);

  const auto fixes = EventsOfType("unit.located");
  ASSERT_GE(fixes.size(), 3u);
  for (const Event& e : fixes) {
    EXPECT_EQ(e.body, nullptr);
    const auto& d = e.data;
    const boost::json::object same{{"unit_id", d.at("unit_id")},
                                   {"lat", d.at("lat")},
                                   {"lon", d.at("lon")},
                                   {"fixed_at", d.at("fixed_at")},
                                   {"accuracy_m", d.at("accuracy_m")},
                                   {"stale", d.at("stale")}};
    EXPECT_EQ(e.payload, boost::json::serialize(same));
    EXPECT_TRUE(d.at("lat").is_double());
    EXPECT_TRUE(d.at("accuracy_m").is_double());
  }
  EXPECT_EQ(fixes[fixes.size() - 2].data.at("accuracy_m").as_double(), 8.0);
  const auto near = EventsOfType("unit.near_incident");
  ASSERT_EQ(near.size(), 1u);
  const boost::json::object near_doc{{"unit_id", far},
                                     {"incident_id", inc},
                                     {"since", near[0].data.at("since")},
                                     {"due", near[0].data.at("due")},
                                     {"assigned", true}};
  EXPECT_EQ(near[0].payload, boost::json::serialize(near_doc));
  // The engine's own events are typed bodies too (engine_events.hpp): the clock's moves and the
  // presence timer firing when the unit never says it has arrived.
  Advance(3600);
  const auto advanced = EventsOfType("clock.advanced");
  ASSERT_FALSE(advanced.empty());
  EXPECT_EQ(advanced.back().payload,
            boost::json::serialize(boost::json::object{{"from", advanced.back().data.at("from")},
                                                       {"to", advanced.back().data.at("to")}}));
  const auto fired = EventsOfType("timer.fired");
  ASSERT_FALSE(fired.empty());
  for (const Event& e : fired) {
    const boost::json::object doc{{"timer_id", e.data.at("timer_id")},
                                  {"kind", e.data.at("kind")},
                                  {"due", e.data.at("due")}};
    EXPECT_EQ(e.payload, boost::json::serialize(doc));
  }

  const auto live = Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  Restart();
  EXPECT_EQ(Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), live);
  Read([&](const State& s) {
    EXPECT_TRUE(s.cad.units.at(far).near.contains(inc));
    EXPECT_EQ(s.timers.Find("presence:" + far + ":" + inc), nullptr);  // fired, and removed
    return 0;
  });
}

// Subscribers (the stream hub, which shapes every event for partners from its data) get the
// typed event with `data` filled from its payload, as if read from the log.
TEST_F(IncidentTest, SubscribersGetATypedEventsDataFromItsPayload) {
  std::vector<Event> seen;
  const auto sub = engine_->Subscribe([&](const Engine::EventBatch& batch) {
    for (const Event& e : *batch) seen.push_back(e);  // published before the command's answer
  });
  const std::string id = CreateIncident(kLat, kLon);
  engine_->Unsubscribe(sub);
  ASSERT_EQ(seen.size(), 1u);
  const Event& e = seen[0];
  EXPECT_EQ(e.type, "incident.created");
  EXPECT_NE(e.body, nullptr);
  EXPECT_EQ(e.data, boost::json::parse(e.payload).as_object());
  EXPECT_EQ(e.data.at("id").as_string(), id);
  EXPECT_EQ(e.data.at("caller").at("name").as_string(), "Caller");
}

// IncidentJsonText writes a command's reply without building it: it must be exactly the text of
// IncidentJson, field for field, for incidents in every state a view can meet.
TEST_F(IncidentTest, TheIncidentWrittenDirectlyIsTheSameTextAsItsJsonView) {
  const std::string busy = CreateIncident(kLat, kLon);  // 2 recommended, tolerance 2
  const boost::json::object why{{"confirm", true}, {"reason", "heard the call"}};
  std::vector<std::string> units;
  for (int k = 0; k < 5; ++k) {
    units.push_back(CreateUnit("AW" + std::to_string(60 + k), kLat, LonPlusMetres(300 * (k + 1))));
  }
  ASSERT_TRUE(Assign(busy, units[0]).ok);
  MustRun("assignment.state", busy, {{"unit_id", units[0]}, {"state", "en_route"}});
  MustRun("assignment.state", busy, {{"unit_id", units[0]}, {"state", "at_scene"}});
  ASSERT_TRUE(Assign(busy, units[1]).ok);
  for (int k = 2; k < 5; ++k) ASSERT_TRUE(Assign(busy, units[k], "self_deployed", why).ok);
  ASSERT_FALSE(AlertsOfType("over_attendance").empty());
  MustRun("incident.thrive", busy,
          {{"threat", "to self"},
           {"harm", "high \"quoted\""},
           {"risk", "line\nbreak"},
           {"investigation", "none"},
           {"vulnerability", "17 years old"},
           {"engagement", "talking"},
           {"overall", "high"}});
  MustRun("incident.log", busy, {{"text", "Caller says: \"he's on the bridge\" \u00e9"}});
  MustRun("person.create", "", {{"name", "A Person"}});
  MustRun("incident.link_person", busy, {{"person_id", "person-1"}});
  // A unit that stays 30 m from an incident without being assigned: present, unrecorded.
  const std::string watched = CreateIncident(kLat, LonPlusMetres(8000));
  CreateUnit("AW70", kLat, LonPlusMetres(8030));
  Advance(600);
  // Closed, with its result; no coordinates (address only); outside the Met; a routine grade.
  const std::string closed = CreateIncident(kLat, LonPlusMetres(2000));
  MustRun("incident.close", closed, {{"result_code", "advice_given"}, {"summary", "all well"}});
  MustRun("incident.create", "",
          {{"channel", "101"},
           {"location", {{"address", "12 Some Street"}}},
           {"type", "noise"},
           {"grade", "R"},
           {"flags", boost::json::array{}},
           {"description", ""}});
  CreateIncident(52.2053, 0.1218, "theft", "E", {});  // Cambridge: no borough, no BCU
  Advance(7200);  // past the grade I target of the open, unattended ones
  Read([&](const State& s) {
    EXPECT_GE(s.cad.incidents.size(), 5u);
    EXPECT_FALSE(Inc(s, busy).persons.empty());
    EXPECT_FALSE(Inc(s, watched).present_unassigned.empty());
    for (const auto& [id, i] : s.cad.incidents) {
      for (const Timestamp now : {clock_.Now(), kT0}) {
        EXPECT_EQ(IncidentJsonText(s, i, policy_, now), JsonText(IncidentJson(s, i, policy_, now)))
            << id;
      }
      const std::vector<std::string> warnings{"one", "two \"2\""};
      boost::json::object with = IncidentJson(s, i, policy_, clock_.Now());
      with["warnings"] = boost::json::array{"one", "two \"2\""};
      EXPECT_EQ(IncidentJsonText(s, i, policy_, clock_.Now(), &warnings), JsonText(with)) << id;
    }
    return 0;
  });
}

// Through the engine: a caller that takes text (the API) gets the same text, and no JSON value.
TEST_F(IncidentTest, ACallerThatTakesTextGetsTheSameReplyWrittenDirectly) {
  Command create{"incident.create",
                 "",
                 {{"channel", "101"},
                  {"location", {{"address", "Unlocated Road"}}},
                  {"type", "noise"},
                  {"grade", "R"},
                  {"flags", boost::json::array{}},
                  {"description", "d"}},
                 {"user-ctl", "controller", "mps", ""},
                 "text-1"};
  create.reply_as_text = true;
  Outcome o = engine_->Execute(create);
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_TRUE(o.reply.is_null());
  const auto parsed = boost::json::parse(o.reply_text).as_object();
  const std::string id(parsed.at("id").as_string());
  EXPECT_FALSE(parsed.at("warnings").as_array().empty());  // unlocated
  Read([&](const State& s) {
    boost::json::object expect = IncidentJson(s, s.cad.incidents.at(id), policy_, clock_.Now());
    expect["warnings"] = parsed.at("warnings");
    EXPECT_EQ(o.reply_text, JsonText(expect));
    return 0;
  });
  Command log{
      "incident.log", id, {{"text", "more"}}, {"user-ctl", "controller", "mps", ""}, "text-2"};
  log.reply_as_text = true;
  Outcome l = engine_->Execute(log);
  ASSERT_TRUE(l.ok);
  Read([&](const State& s) {
    EXPECT_EQ(l.reply_text,
              JsonText(IncidentJson(s, s.cad.incidents.at(id), policy_, clock_.Now())));
    return 0;
  });
  // A retry is answered with the stored first outcome, the same text.
  Outcome again = engine_->Execute(log);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(JsonText(again.reply), l.reply_text);
}

}  // namespace
}  // namespace concordat::testing
