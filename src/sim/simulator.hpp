// The discrete-event simulation: synthetic London demand (demand.hpp) driven through the real
// engine (src/engine) on a virtual clock, as the control room and officers would: incidents
// created from calls, units dispatched and self-deployed, status changes (en route, AVL arrival,
// at scene, cleared), the emergency button with the engine's own dispatch, stand-downs on
// over-attendance alerts, s136 detentions with conveyance, handover waits and outcomes.
//
// Memory is bounded by windows: the period is cut into `window_days` windows, each run on a fresh
// engine state (the fleet is created again at its start), and each window drains its own work
// (every incident it created is closed) before the next starts. `on_window` sees each window's
// final state, e.g. to print the reports for it. Events are hashed and chained by the engine but
// not kept (sim_log.hpp).
//
// Thread-safety: RunSimulation is synchronous; the engine's writer thread runs alongside it.
//
// Example:
//   SimConfig cfg;                                     // or LoadSimConfig(path, cfg)
//   auto totals = RunSimulation(cfg, ref, {.days = 7, .seed = 42});
//   std::cout << totals->Text();
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/refdata.hpp"
#include "core/state.hpp"
#include "sim/sim_config.hpp"

namespace concordat::sim {

struct SimTotals {
  // Demand (what the generator produced).
  std::uint64_t contacts = 0, duplicates = 0, referred = 0, attended = 0;
  std::uint64_t mh_contacts = 0, mh_attended = 0;
  std::array<std::uint64_t, 24> contacts_by_hour{};    // London hour
  std::array<std::uint64_t, 7> contacts_by_weekday{};  // Sunday first
  // What the simulation did (its own ledger, measured on the virtual clock).
  std::uint64_t incidents = 0, s136 = 0, emergencies = 0, units = 0, windows = 0;
  std::uint64_t dispatches = 0, self_deployments = 0, advisory_heeded = 0, stood_down = 0;
  std::uint64_t over_attended = 0;  // incidents whose attendance exceeded recommended+tolerance
  double officer_hours = 0;         // crew hours from assignment to clear or stand-down
  double excess_officer_hours = 0;  // crew hours of units beyond the recommended attendance
  std::uint64_t i_arrivals = 0, i_met = 0, s_arrivals = 0, s_met = 0;  // first arrival in target
  std::uint64_t handovers = 0, handovers_over_60 = 0;
  // The engine.
  std::uint64_t commands = 0, rejected = 0, events = 0, timers_fired = 0, clock_advances = 0;
  std::uint64_t payload_bytes = 0;
  std::vector<std::string> errors;  // the first rejected commands, "type: message"
  // The run.
  double wall_seconds = 0;
  double cpu_seconds = 0;  // user + system time of the process (both threads) during the run
  long peak_rss_kb = 0;

  double EventsPerSecond() const { return wall_seconds > 0 ? events / wall_seconds : 0; }
  double ContactsPerSecond() const { return wall_seconds > 0 ? contacts / wall_seconds : 0; }
  void Add(const SimTotals& o);
  boost::json::object ToJson() const;
  std::string Text() const;  // a few aligned lines for the terminal
};

struct SimOptions {
  int days = 7;
  std::uint64_t seed = 1;
  int jobs = 1;  // windows simulated at once (threads, each with its own engine)
  // Sends every command as the JSON body an API client would (CommandRequest::ToBody) instead
  // of the typed request the simulator makes for the commonest ones: the same run, slower; the
  // tests compare the two.
  bool json_bodies = false;
  // Called after each window with its final state and [from, to).
  std::function<void(const State&, const Policy&, Timestamp from, Timestamp to)> on_window;
};

// Runs the simulation. kInvalidArgument for days < 1 or an invalid configuration; kInternal if
// the simulation and the engine disagree (a defect), with what differed.
Result<SimTotals> RunSimulation(const SimConfig& cfg, const RefData& ref, const SimOptions& opt);

// The comparison table of two runs: one row per measure, base, other, difference.
std::string CompareTable(const SimTotals& base, const SimTotals& other, const std::string& base_name,
                         const std::string& other_name);

}  // namespace concordat::sim
