// One window of the simulation: a fresh engine (real domain, simulator log, virtual clock), the
// force's fleet, the window's contacts, and the event queue that turns them into commands.
// Internal to src/sim (simulator.cpp runs the windows).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "core/cad_requests.hpp"
#include "engine/engine.hpp"
#include "sim/demand.hpp"
#include "sim/rng.hpp"
#include "sim/sim_log.hpp"
#include "sim/simulator.hpp"

namespace concordat::sim {

class Window {
 public:
  Window(const SimConfig& cfg, const RefData& ref, const Domain& domain, std::uint64_t seed,
         Timestamp from, Timestamp to, bool json_bodies = false);
  ~Window();
  // Runs the window to the end of its drained work; the engine is stopped afterwards and its
  // state can be read through engine().
  Status Run(const std::vector<Contact>& contacts);
  const Engine& engine() const { return *engine_; }
  const SimTotals& totals() const { return totals_; }

 private:
  enum Kind : std::uint8_t {
    kDispatch, kEnRoute, kArrive, kAtScene, kClear, kClose, kPress, kGovern, kEmergencyEnd,
    kDetain, kPosArrive, kHandover, kOutcome
  };
  struct Ev {
    Timestamp at;
    std::uint64_t seq;
    Kind kind;
    std::uint32_t inc;
    std::uint32_t unit;
    std::uint32_t epoch;
    bool operator>(const Ev& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  struct SimUnit {
    std::string id, call_sign;
    Actor officer;
    std::uint32_t bcu = 0;
    LatLon pos;
    std::int64_t incident = -1;  // sim incident index while committed
    std::uint32_t epoch = 0;     // bumped on release: cancels the unit's queued events
    Timestamp assigned_at = 0;
  };
  struct SimIncident {
    std::string id;
    Timestamp created = 0;
    LatLon point;
    std::uint32_t bcu = 0;
    char grade = 'R';
    bool mh = false, s136 = false, emergency_planned = false, pressed = false;
    bool is_emergency = false, closed = false, detained = false, detention_open = false;
    int recommended = 0, needed = 0, active = 0, max_active = 0;
    Timestamp first_arrival = 0;
    Timestamp active_since = 0;  // when `active` last changed (for over-attendance time)
    std::string detention_id;
    Timestamp pos_arrival = 0;
    Timestamp outcome_at = 0;
    std::uint32_t presser = 0;
    std::uint32_t detainer = 0;
  };

  void Submit(const char* type, std::string target, boost::json::object body, const Actor& actor,
              std::string expect_id = {});
  // The same with the typed request of a command that has one (core/cad_requests.hpp), or its
  // body when the window sends JSON bodies.
  void SubmitRequest(const char* type, std::string target,
                     std::shared_ptr<const CommandRequest> request, const Actor& actor,
                     std::string expect_id = {});
  void SubmitCommand(Command&& c, const char* type, std::string expect_id);
  // assignment.state of the unit's assignment to the incident, made by its officer.
  void SubmitState(const std::string& incident_id, std::uint32_t unit, const char* state);
  Outcome SubmitWait(const char* type, std::string target, boost::json::object body,
                     const Actor& actor);
  void AdvanceTo(Timestamp t);
  void Flush();
  // Counts a command in flight, first waiting while the backlog is at its bound; Release
  // counts one answered.
  void Reserve();
  void Release();
  void At(Timestamp at, Kind kind, std::uint32_t inc, std::uint32_t unit);
  Timestamp Mins(double minutes) const { return static_cast<Timestamp>(minutes * 60e6); }

  Status CreateFleet();
  void OnContact(const Contact& c);
  void Handle(const Ev& e);
  void Dispatch(std::uint32_t inc);
  void Assign(std::uint32_t inc, std::uint32_t unit, bool self_deployed, bool confirm);
  void Commit(std::uint32_t inc, std::uint32_t unit);
  void Arrive(std::uint32_t inc, std::uint32_t unit);
  void Release(std::uint32_t unit);
  // Adds the officer time spent above the recommendation since `active` last changed.
  void AccrueExcess(SimIncident& i);
  void Close(std::uint32_t inc, const char* result);
  void MaybeClose(std::uint32_t inc);
  void ServePending(std::uint32_t unit);
  std::int64_t NearestFree(LatLon p, std::uint32_t bcu, const std::vector<bool>* exclude) const;
  void Press(std::uint32_t inc, std::uint32_t unit);
  void Govern(std::uint32_t inc);
  void Detain(std::uint32_t inc, std::uint32_t unit);
  double SpeedKmh(char grade) const;

  const SimConfig& cfg_;
  const RefData& ref_;
  Rng rng_;
  Timestamp from_, to_;
  bool json_bodies_;
  SimEventLog log_;
  VirtualClock clock_;
  std::unique_ptr<Engine> engine_;
  Timestamp now_;  // the virtual time once everything queued has run
  std::uint64_t next_command_ = 0, next_seq_ = 0;
  std::uint64_t next_incident_ = 1, next_detention_ = 1;

  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> queue_;
  std::vector<SimUnit> units_;
  std::vector<std::vector<std::uint32_t>> units_by_bcu_;
  std::unordered_map<std::string, std::uint32_t> unit_index_;
  std::vector<SimIncident> incidents_;
  std::vector<std::vector<std::uint32_t>> recent_by_bcu_;  // for further calls
  std::deque<std::uint32_t> pending_;                       // incidents waiting for a unit

  // Commands in flight (bounded), failures seen on the writer thread.
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<std::uint64_t> in_flight_{0};  // counted by Reserve and Release
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<bool> desync_{false};
  std::vector<std::string> errors_;
  std::string desync_what_;

  SimTotals totals_;
};

}  // namespace concordat::sim
