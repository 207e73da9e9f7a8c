// Command-and-control state: incidents, units and their assignments (DESIGN.md §4). Plain,
// described values so snapshots and API views convert with Boost.JSON.
//
// An incident's assignments are keyed by unit id; a unit keeps one *active* incident and may be
// stacked on others. Each assignment has its own state and times, and changing one never changes
// another.
#pragma once

#include <algorithm>
#include <boost/describe.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/geo.hpp"
#include "core/indexed_map.hpp"
#include "core/time.hpp"

namespace concordat {

BOOST_DESCRIBE_STRUCT(LatLon, (), (lat, lon))

struct Caller {
  std::string name;
  std::string phone;
};
BOOST_DESCRIBE_STRUCT(Caller, (), (name, phone))

struct IncidentLocation {
  bool located = false;  // false: address text only (e.g. an imported call without coordinates)
  LatLon point;
  std::string address;
  std::string type;  // public_place, private_dwelling, dwelling_curtilage, health_setting, ...
};
BOOST_DESCRIBE_STRUCT(IncidentLocation, (), (located, point, address, type))

struct Thrive {
  int version = 0;
  Timestamp at = 0;
  std::string author;
  std::string threat, harm, risk, investigation, vulnerability, engagement;
  std::string overall;  // low / medium / high
};
BOOST_DESCRIBE_STRUCT(Thrive, (),
                      (version, at, author, threat, harm, risk, investigation, vulnerability,
                       engagement, overall))

struct LogEntry {
  Timestamp at = 0;
  std::string author;
  std::string text;
};
BOOST_DESCRIBE_STRUCT(LogEntry, (), (at, author, text))

struct Assignment {
  std::string unit_id;
  std::string mode;           // dispatched | self_deployed
  // User id, "system:emergency" (sent by the emergency button) or "system:emergency_scene"
  // (already assigned where the button was pressed, joined the emergency as it was).
  std::string dispatched_by;
  std::string state;          // assigned, en_route, at_scene, left_scene, cleared, stood_down
  std::string reason;         // self-deployment reason (required after the advisory)
  bool after_advisory = false;
  Timestamp assigned_at = 0;
  std::optional<Timestamp> en_route_at, at_scene_at, left_scene_at, cleared_at, stood_down_at;
  // When the unit's location fixes first put it at the incident (AVL arrival), whatever its
  // recorded status: the record-quality report sets it against at_scene_at.
  std::optional<Timestamp> avl_arrived_at;
  bool Active() const { return state == "assigned" || state == "en_route" || state == "at_scene"; }
  bool Finished() const { return state == "cleared" || state == "stood_down"; }
};
BOOST_DESCRIBE_STRUCT(Assignment, (),
                      (unit_id, mode, dispatched_by, state, reason, after_advisory, assigned_at,
                       en_route_at, at_scene_at, left_scene_at, cleared_at, stood_down_at,
                       avl_arrived_at))

struct Incident {
  std::string id;
  std::string reference;  // "CAD 12/27NOV26"
  Timestamp received_at = 0;
  std::string channel;
  Caller caller;
  IncidentLocation location;
  std::string borough_code, borough_name, bcu_code, bcu_name;
  std::string type;
  std::vector<std::string> flags;
  std::string grade;
  std::string description;
  std::string status = "open";  // open | closed
  std::optional<Timestamp> target_at;
  std::optional<Timestamp> first_arrival_at;
  std::vector<Thrive> thrive;
  std::vector<LogEntry> log;
  std::vector<std::string> persons;
  std::map<std::string, Assignment> assignments;  // unit id → assignment
  std::set<std::string> present_unassigned;       // units found at scene without assignment
  bool resourced = false;
  std::optional<Timestamp> resourced_at;
  std::string emergency_unit_id;  // set on emergency-button incidents
  bool emergency_cancelled = false;
  std::string parent_incident_id;  // the incident an emergency press came from
  std::optional<Timestamp> closed_at;
  std::string result_code;
  std::string summary;
  std::string created_by;

  bool HasFlag(std::string_view f) const {
    for (const auto& x : flags) {
      if (x == f) return true;
    }
    return false;
  }
  int ActiveCount() const {
    int n = 0;
    for (const auto& [u, a] : assignments) {
      n += a.Active() ? 1 : 0;
    }
    return n;
  }
  // The unit that pressed this emergency-button incident's button: the one being helped, so
  // neither counted among the units attending nor its arrival the response's.
  bool IsPresser(std::string_view unit_id) const {
    return !emergency_unit_id.empty() && unit_id == emergency_unit_id;
  }
};
BOOST_DESCRIBE_STRUCT(Incident, (),
                      (id, reference, received_at, channel, caller, location, borough_code,
                       borough_name, bcu_code, bcu_name, type, flags, grade, description, status,
                       target_at, first_arrival_at, thrive, log, persons, assignments,
                       present_unassigned, resourced, resourced_at, emergency_unit_id,
                       emergency_cancelled, parent_incident_id, closed_at, result_code, summary,
                       created_by))

struct CrewMember {
  std::string collar;
  std::string name;
  std::string rank;
  std::vector<std::string> skills;  // e.g. mental_health_trained, taser, first_aid
};
BOOST_DESCRIBE_STRUCT(CrewMember, (), (collar, name, rank, skills))

struct Fix {
  LatLon point;
  Timestamp fixed_at = 0;
  double accuracy_m = 0;
};
BOOST_DESCRIBE_STRUCT(Fix, (), (point, fixed_at, accuracy_m))

struct Unit {
  std::string id;
  std::string call_sign;
  std::string bcu;
  std::vector<CrewMember> crew;
  std::vector<std::string> capabilities;
  std::string status = "off_duty";
  std::optional<Fix> fix;
  std::string active_incident;
  std::set<std::string> stacked;
  std::map<std::string, Timestamp> near;  // incident id → since when this unit has been within
                                          // the compliance radius
  bool emergency = false;                 // emergency button pressed and not cancelled

  bool MentalHealthTrained() const {
    for (const auto& c : crew) {
      for (const auto& s : c.skills) {
        if (s == "mental_health_trained") return true;
      }
    }
    return false;
  }
  bool HasCrewMember(std::string_view collar) const {
    for (const auto& c : crew) {
      if (!collar.empty() && c.collar == collar) return true;
    }
    return false;
  }
};
BOOST_DESCRIBE_STRUCT(Unit, (),
                      (id, call_sign, bcu, crew, capabilities, status, fix, active_incident,
                       stacked, near, emergency))

// A uniform grid over available units' positions, for nearest-unit queries without a scan.
// Derived state: rebuilt from units after a snapshot restore, updated on every fix and status
// change. Each entry carries what ranking needs (position, fix time, BCU, training), so a search
// touches only the cells it visits and never the unit map.
// Cells of 0.01° (about 1.1 km north-south, 0.7 km east-west in London), shared by the unit and
// the incident grids.
struct GridCell {
  static constexpr double kCellDeg = 0.01;
  using Key = std::uint64_t;
  static Key KeyOf(int row, int col) {
    return (static_cast<Key>(static_cast<std::uint32_t>(row)) << 32) |
           static_cast<std::uint32_t>(col);
  }
  static int RowOf(double lat) { return static_cast<int>(std::floor(lat / kCellDeg)); }
  static int ColOf(double lon) { return static_cast<int>(std::floor(lon / kCellDeg)); }
};

class UnitGrid : private GridCell {
 public:
  using GridCell::kCellDeg;
  struct Entry {
    std::string unit_id;
    LatLon point;
    double cos_lat = 1;  // of point, for distances without recomputing it
    Timestamp fixed_at = 0;
    std::string bcu;
    bool mental_health_trained = false;
  };
  // Adds or moves a unit with a fix (`u.fix` must be set).
  void Put(const Unit& u);
  void Remove(const std::string& unit_id);
  // Visits units in square rings of cells around `p`, nearest rings first; the visitor
  // (const Entry&, int ring) returns false to stop. Ring 0 is the cell itself.
  template <class F>
  void VisitRings(LatLon p, int max_ring, F&& visit) const;
  size_t size() const { return where_.size(); }

 private:
  using Key = GridCell::Key;
  using GridCell::ColOf, GridCell::KeyOf, GridCell::RowOf;
  std::unordered_map<Key, std::vector<Entry>> cells_;
  std::unordered_map<std::string, Key> where_;
};

template <class F>
void UnitGrid::VisitRings(LatLon p, int max_ring, F&& visit) const {
  const int row = RowOf(p.lat), col = ColOf(p.lon);
  auto cell = [&](int dy, int dx, int r) {
    auto it = cells_.find(KeyOf(row + dy, col + dx));
    if (it == cells_.end()) return true;
    for (const Entry& e : it->second) {
      if (!visit(e, r)) return false;
    }
    return true;
  };
  if (!cell(0, 0, 0)) return;
  for (int r = 1; r <= max_ring; ++r) {
    // The ring's boundary only: top and bottom rows, then the sides between them.
    for (int dx = -r; dx <= r; ++dx) {
      if (!cell(-r, dx, r) || !cell(r, dx, r)) return;
    }
    for (int dy = -r + 1; dy <= r - 1; ++dy) {
      if (!cell(dy, -r, r) || !cell(dy, r, r)) return;
    }
  }
}

// Open incidents with coordinates, by cell of the same 0.01° grid, so that a unit's fix is
// checked against the incidents around it, not against every open incident in London.
// Derived state, like `open_ids`.
class IncidentGrid : private GridCell {
 public:
  void Put(const std::string& incident_id, LatLon p);
  void Remove(const std::string& incident_id, LatLon p);
  // Ids of incidents in the cells that a circle of `radius_m` around `p` touches: a superset of
  // those within the radius (the caller measures). Unordered.
  template <class F>
  void VisitNear(LatLon p, double radius_m, F&& visit) const;
  size_t size() const { return count_; }

 private:
  using Key = GridCell::Key;
  using GridCell::ColOf, GridCell::KeyOf, GridCell::RowOf;
  std::unordered_map<Key, std::vector<std::string>> cells_;
  size_t count_ = 0;
};

template <class F>
void IncidentGrid::VisitNear(LatLon p, double radius_m, F&& visit) const {
  constexpr double kMetresPerDegLat = 111'320;
  const double dlat = radius_m / kMetresPerDegLat;
  const double cos_lat = std::max(
      0.01, std::cos(std::min(89.0, std::abs(p.lat) + dlat) * 3.14159265358979323846 / 180));
  const double dlon = std::min(180.0, radius_m / (kMetresPerDegLat * cos_lat));
  for (int row = RowOf(p.lat - dlat); row <= RowOf(p.lat + dlat); ++row) {
    for (int col = ColOf(p.lon - dlon); col <= ColOf(p.lon + dlon); ++col) {
      auto it = cells_.find(KeyOf(row, col));
      if (it == cells_.end()) continue;
      for (const std::string& id : it->second) visit(id);
    }
  }
}

struct CadState {
  IndexedMap<Incident> incidents;
  std::uint64_t next_incident = 1;
  std::map<std::string, int> day_counters;  // London date "2026-11-27" → last n used
  IndexedMap<Unit> units;
  std::map<std::string, std::string> unit_by_call_sign;
  UnitGrid available_grid;  // derived: available units with a fix
  // Derived: ids of open incidents, so per-fix and per-press checks scan the open few, not every
  // incident ever kept (a year of London is millions). Same order as `incidents`.
  std::set<std::string> open_ids;
  IncidentGrid open_grid;  // derived: open incidents with coordinates
  // Derived: incident id → the units whose `near` holds it, so closing an incident visits those
  // units rather than the whole fleet.
  std::unordered_map<std::string, std::set<std::string>> near_units;

  // Derived: (closed_at, id) of the incidents closed within kRecentlyClosedFor of the latest
  // close, so the board finds what closed in its last half hour without visiting every incident
  // ever kept. Closes come in time order, so a restore (Reindex) keeps the same ones as the live
  // state did.
  static constexpr Timestamp kRecentlyClosedFor = Hours(1);
  std::set<std::pair<Timestamp, std::string>> recently_closed;

  // Keeps `open_ids`, `open_grid` and `recently_closed` in step with an incident's status (and,
  // once closed, its `closed_at`).
  void TrackOpen(const Incident& i);

  void Reindex();
};
BOOST_DESCRIBE_STRUCT(CadState, (),
                      (incidents, next_incident, day_counters, units, unit_by_call_sign))

}  // namespace concordat
