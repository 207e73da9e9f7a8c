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

struct RefData {
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
