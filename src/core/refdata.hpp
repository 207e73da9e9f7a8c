// London reference data as plain values: BCUs, boroughs with their boundaries, places of safety
// and emergency departments. Loaded once at start-up (src/refdata) and read-only afterwards, so
// it is safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "core/geo.hpp"

namespace concordat {

struct Bcu {
  std::string code;  // "AW"
  std::string name;  // "Central West"
  std::vector<std::string> borough_codes;
  long population = 0;
  LatLon centroid;
};

struct Borough {
  std::string code;  // ONS, "E09000033"
  std::string name;
  std::string bcu_code;  // "" for the City of London (another force)
  std::string force;     // "Metropolitan Police Service" or "City of London Police"
  std::string inner_outer;
  std::string mh_trust_2021;
  std::string mh_trust_current;
  LatLon centroid;
  long population = 0;
  std::vector<Polygon> boundary;
  BoundingBox bbox;
};

struct PlaceOfSafetySite {
  std::string id;  // stable slug made from the site and host
  std::string name;
  std::string host_hospital;
  std::string trust;
  std::string borough;
  std::vector<std::string> boroughs_served;
  std::string capacity_text;
  int suites = 1;  // parsed from capacity_text where it states a number, else 1
  std::string hours;
  std::string status_note;
  bool open = true;  // false when the note says the site closed
  LatLon location;
  std::string postcode;
};

struct EmergencyDepartment {
  std::string ods_code;
  std::string hospital;
  std::string trust;
  std::string borough;
  std::string ed_type;
  LatLon location;
  std::string postcode;
};

// A partner agency (DESIGN.md §4 Partners): trusts, ambulance, AMHP services, the 111 hub,
// strategic partnerships. `aliases` are the names other reference files use for the same body.
struct Agency {
  std::string id;    // "trust-slam"
  std::string kind;  // mental_health_trust, acute_trust, ambulance_service, amhp_service,
                     // nhs111_hub, voluntary, strategic_partnership
  std::string name;
  std::string ods_code;
  std::string partnership;  // id of the strategic partnership, for trusts
  std::vector<std::string> boroughs;
  std::string status;       // active | merged
  std::string merged_into;  // id of the successor, when merged
  std::string merged_on;    // YYYY-MM-DD
  std::vector<std::string> aliases;
};

struct RefData {
  std::vector<Agency> agencies;
  const Agency* FindAgency(std::string_view id) const;
  // The agency known by `name` (its name or an alias), following mergers to the successor.
  const Agency* AgencyByName(std::string_view name) const;

  std::vector<Bcu> bcus;
  std::vector<Borough> boroughs;
  std::vector<PlaceOfSafetySite> places_of_safety;
  std::vector<EmergencyDepartment> emergency_departments;
  std::string boundaries_geojson;  // the file as shipped, for maps

  const Bcu* FindBcu(std::string_view code) const;
  const Borough* FindBorough(std::string_view code) const;
  // The borough whose boundary contains the point, or nullptr outside London.
  const Borough* BoroughAt(LatLon p) const;
  // BCUs sharing a boundary with `code` (boroughs within 50 m of each other), computed on load.
  std::vector<std::string> NeighbourBcus(std::string_view code) const;

  std::vector<std::pair<std::string, std::string>> bcu_neighbours;  // filled by ComputeNeighbours
  void ComputeNeighbours();
};

}  // namespace concordat
