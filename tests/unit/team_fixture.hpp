// The command-and-control fixture plus helpers for the BCU mental-health team domain: persons,
// back-dated mental-health incidents, links, and the team's views rendered at the virtual now.
#pragma once

#include "cad_fixture.hpp"
#include "core/team.hpp"

namespace concordat::testing {

class TeamTest : public CadTest {
 protected:
  static constexpr Timestamp kDay = kMicrosPerDay;

  Context Ctx() { return engine_->MakeContext(clock_.Now()); }

  std::string NewPerson(const std::string& name, const std::string& dob = "",
                        const std::string& phone = "", const std::string& address = "") {
    boost::json::object body{{"name", name}};
    if (!dob.empty()) body["date_of_birth"] = dob;
    if (!phone.empty()) body["phone"] = phone;
    if (!address.empty()) body["address"] = address;
    Outcome o = MustRun("person.create", "", body);
    return o.ok ? std::string(o.reply.at("id").as_string()) : std::string();
  }

  // A mental-health incident in Westminster (BCU AW) received `days_ago` days before now.
  std::string MhIncident(double days_ago, const std::string& address = "Somewhere",
                         boost::json::array flags = {"mental_health"},
                         const std::string& type = "concern_for_welfare") {
    Outcome o = MustRun(
        "incident.create", "",
        {{"channel", "999"},
         {"received_at",
          FormatIso(clock_.Now() - static_cast<Timestamp>(days_ago * static_cast<double>(kDay)))},
         {"location",
          {{"lat", kLat}, {"lon", kLon}, {"address", address}, {"type", "private_dwelling"}}},
         {"type", type},
         {"grade", "S"},
         {"flags", flags}});
    return o.ok ? std::string(o.reply.at("id").as_string()) : std::string();
  }

  void Link(const std::string& incident, const std::string& person) {
    MustRun("incident.link_person", incident, {{"person_id", person}});
  }

  // `n` contacts for `person`, the newest `first_days_ago` days ago, one every `every` days.
  void Contacts(const std::string& person, int n, double first_days_ago = 1, double every = 1) {
    for (int i = 0; i < n; ++i) Link(MhIncident(first_days_ago + i * every), person);
  }

  boost::json::object RepeatDemand(const std::string& bcu = "") {
    return Read([&](const State& s) { return RepeatDemandJson(s, Ctx(), bcu); });
  }
  boost::json::object Org(const std::string& bcu) {
    return Read([&](const State& s) { return OrganisationJson(s, Ctx(), bcu); });
  }
  boost::json::object OrgBcu(const std::string& bcu) {
    return Org(bcu).at("bcus").as_array().at(0).as_object();
  }
};

}  // namespace concordat::testing
