#include "cli/demo_seed_mh.hpp"

#include <boost/json.hpp>

namespace concordat::cli {
namespace {

const Actor kSeedOfficer{"seed", "admin", "mps", "", "Metropolitan Police Service"};

Result<boost::json::value> Exec(Engine& engine, const std::string& key, std::string type,
                                std::string target, boost::json::object body) {
  Outcome o = engine.Execute(Command{std::move(type), std::move(target), std::move(body),
                                     kSeedOfficer, "demo-seed:mh:" + key});
  if (!o.ok) {
    return Error::Internal("demo seed step mh:" + key + ": " + o.error.message);
  }
  return o.reply;
}

struct Scene {
  const char* key;
  double lat, lon;
  const char* address;
  const char* description;
  Timestamp received_ago;
  Timestamp decided_ago;
  boost::json::object person;
};

boost::json::object Decision(const Scene& sc, Timestamp now) {
  return {{"power", "s136"},
          {"location_type", "public_place"},
          {"decided_at", FormatIso(now - sc.decided_ago)},
          {"grounds",
           {{"mental_disorder", "appears acutely psychotic; responding to voices"},
            {"care_or_control", "walking in and out of traffic"},
            {"necessity", "immediate risk of serious injury"}}},
          {"person", sc.person},
          {"consultation",
           {{"name", "Street triage nurse"},
            {"role", "registered_nurse"},
            {"at", FormatIso(now - sc.decided_ago - Minutes(2))},
            {"advice", "a place of safety is needed; no alternative in the community"}}}};
}

}  // namespace

Status SeedMentalHealth(Engine& engine, Timestamp now) {
  const Scene scenes[] = {
      {"clapham",
       51.46180,
       -0.13830,
       "Clapham Common, SW4",
       "Woman in crisis on the common, distressed and disorientated.",
       Hours(4) + Minutes(30),
       Hours(4) + Minutes(20),
       {{"age", 41}, {"sex", "female"}, {"ethnicity", "white"}}},
      {"whitechapel",
       51.51910,
       -0.05960,
       "Whitechapel Road, E1",
       "Man shouting at traffic, has self-harmed; ambulance requested.",
       Hours(1) + Minutes(40),
       Hours(1) + Minutes(25),
       {{"age", 27}, {"sex", "male"}, {"ethnicity", "asian"}}},
      {"camden",
       51.53900,
       -0.14260,
       "Camden Lock, NW1",
       "Man on the lock gates threatening to jump.",
       Minutes(20),
       Minutes(3),
       {{"appears_child", false}, {"age", 33}, {"sex", "male"}}},
  };
  std::string ids[3];
  for (int n = 0; n < 3; ++n) {
    const Scene& sc = scenes[n];
    auto inc = Exec(
        engine, std::string("incident:") + sc.key, "incident.create", "",
        {{"channel", "999"},
         {"received_at", FormatIso(now - sc.received_ago)},
         {"location",
          {{"lat", sc.lat}, {"lon", sc.lon}, {"address", sc.address}, {"type", "public_place"}}},
         {"type", "mental_health"},
         {"grade", "I"},
         {"flags", {"mental_health", "vulnerability"}},
         {"description", sc.description}});
    if (!inc.ok()) return inc.error();
    const std::string inc_id(inc->at("id").as_string());
    if (auto t = Exec(engine, std::string("triage:") + sc.key, "mh.triage", inc_id,
                      {{"call_type", "concern_for_welfare"},
                       {"threshold", "risk_to_life"},
                       {"rationale", "real and immediate risk to life reported by the caller"},
                       {"caller_told", true}});
        !t.ok()) {
      return t.error();
    }
    auto det = Exec(engine, std::string("detain:") + sc.key, "detention.create", inc_id,
                    Decision(sc, now));
    if (!det.ok()) return det.error();
    ids[n] = std::string(det->at("id").as_string());
  }
  // The trust's report: one of the Maudsley's six suites is in use.
  const std::string maudsley = "pos-maudsley-hospital-denmark-hill";
  if (auto r = Exec(engine, "availability:maudsley", "place_of_safety.availability", maudsley,
                    {{"suites_free", 5}, {"note", "one suite in use"}});
      !r.ok()) {
    return r.error();
  }
  // Clapham: at the Maudsley HBPoS since 4 hours ago (about 20 hours left), handed over.
  const Timestamp arrived = now - Hours(4);
  const std::pair<const char*, boost::json::object> clapham[] = {
      {"place",
       {{"kind", "hbpos"}, {"site_id", maudsley}, {"at", FormatIso(arrived - Minutes(15))}}},
      {"conveyance",
       {{"mode", "ambulance"},
        {"ambulance_requested_at", FormatIso(arrived - Minutes(18))},
        {"ambulance_eta", FormatIso(arrived - Minutes(8))}}},
      {"arrival", {{"at", FormatIso(arrived)}}},
      {"handover",
       {{"stage", "requested"},
        {"to", "HBPoS nurse in charge"},
        {"at", FormatIso(arrived + Minutes(5))}}},
      {"handover",
       {{"stage", "accepted"},
        {"by", "HBPoS nurse in charge"},
        {"at", FormatIso(arrived + Minutes(25))}}},
      {"handover", {{"stage", "officers_left"}, {"at", FormatIso(arrived + Minutes(35))}}},
  };
  // Whitechapel: at the Royal London ED for 50 minutes, handover requested, not yet accepted.
  const Timestamp at_ed = now - Minutes(50);
  const std::pair<const char*, boost::json::object> whitechapel[] = {
      {"place",
       {{"kind", "emergency_department"},
        {"site_id", "R1H12"},
        {"at", FormatIso(at_ed - Minutes(25))}}},
      {"conveyance",
       {{"mode", "police_vehicle"},
        {"ambulance_requested_at", FormatIso(at_ed - Minutes(30))},
        {"ambulance_eta", FormatIso(at_ed + Minutes(40))},
        {"police_vehicle_reason", "ambulance_delayed"},
        {"reason_detail", "LAS ETA over 60 minutes; bleeding from self-harm wounds"}}},
      {"arrival", {{"at", FormatIso(at_ed)}}},
      {"handover",
       {{"stage", "requested"},
        {"to", "ED nurse in charge"},
        {"at", FormatIso(at_ed + Minutes(2))}}},
  };
  const std::pair<const std::string*, const std::pair<const char*, boost::json::object>*> plans[] =
      {{&ids[0], clapham}, {&ids[1], whitechapel}};
  const size_t counts[] = {std::size(clapham), std::size(whitechapel)};
  for (int p = 0; p < 2; ++p) {
    for (size_t k = 0; k < counts[p]; ++k) {
      const auto& [step, body] = plans[p].second[k];
      const std::string type = std::string("detention.") + step;
      if (auto r =
              Exec(engine, *plans[p].first + ":" + std::to_string(k), type, *plans[p].first, body);
          !r.ok()) {
        return r.error();
      }
    }
  }
  return OkStatus();
}

}  // namespace concordat::cli
