// The simulator's calibration and behaviour: London demand (RULES.md H), the force's fleet and how
// officers and the control room behave. Every value has a default here; a TOML file
// (`concordat simulate --policy FILE`, documented in data/sim/london.toml) overrides any of them.
//
// Figures from RULES.md H are marked "H"; the rest are assumptions stated next to them, chosen to
// be plausible for the MPS and easy to change.
//
// Thread-safety: plain values, copied freely.
#pragma once

#include <array>
#include <string>

#include "core/policy.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat::sim {

struct DemandConfig {
  double contacts_per_year = 4'000'000;    // H: "over 4 million 999 and 101 calls a year"
  double mh_contacts_per_year = 92'000;    // H: ~92,000 mental-health-related calls (2022)
  double mh_attended_per_year = 26'000;    // H: ~26,000 of them attended (pre-RCRP)
  double s136_per_month = 550;             // H: 500-600 s136 detentions a month pre-RCRP
  bool rcrp = false;                       // Right Care, Right Person in force
  double rcrp_reduction = 0.27;            // H: s136 fell 27% in 2023/24; applied to MH attendance
  // Assumed: share of contacts that are further calls about an incident already open.
  double duplicate_share = 0.12;
  // Assumed grade mix of the other (non-MH, non-duplicate) contacts: I, S, E; the rest are R
  // (resolved on the phone, referred, reported online: closed without deployment).
  double grade_i_share = 0.10;
  double grade_s_share = 0.15;
  double grade_e_share = 0.08;
  // Grades of attended MH incidents (assumed): I, then S; the rest E.
  double mh_grade_i_share = 0.45;
  double mh_grade_s_share = 0.45;
  // Assumed relative demand by London hour of day (00-01 first) and by weekday (Sunday first).
  std::array<double, 24> hour_weights = {4.6, 3.8, 3.1, 2.6, 2.2, 2.0, 2.2, 2.8,
                                         3.5, 4.0, 4.3, 4.5, 4.6, 4.7, 4.9, 5.2,
                                         5.4, 5.5, 5.5, 5.4, 5.2, 5.0, 4.8, 4.6};
  std::array<double, 7> weekday_weights = {1.02, 0.97, 0.97, 0.98, 1.00, 1.05, 1.08};
};

struct FleetConfig {
  double units_per_100k = 8.0;        // assumed: response units on duty per 100,000 residents
  int crew = 2;                       // officers per unit
  double mh_trained_share = 0.3;      // crews with a mental-health-trained officer
};

struct TimingConfig {
  // Minutes, each the mean of an exponential unless said otherwise (assumed).
  double dispatch_delay_i = 1.5;      // call to dispatch, grade I
  double dispatch_delay_s = 8;        // grade S
  double dispatch_delay_e = 240;      // grade E: a scheduled appointment
  double turnout = 0.5;               // dispatch to en route (fixed)
  double detour_factor = 1.3;         // road distance over straight line
  double on_scene = 45;               // at scene before clearing, non-MH
  double on_scene_mh = 90;            // at scene before clearing or deciding on s136, MH
  double record_lag = 1.0;            // AVL arrival to "at scene" recorded by the officer
  double unrecorded_share = 0.05;     // arrivals never recorded: cleared without "at scene"
  double r_close = 10;                // grade R: call to closure
  double handover_wait = 120;         // s136: arrival at place of safety to handover accepted
  double assessment = 360;            // s136: arrival to the assessment outcome
  double ambulance_share = 0.6;       // s136 conveyances by ambulance (else police vehicle)
};

struct BehaviourConfig {
  double emergency_per_attended = 0.002;  // emergency-button presses per attended incident
  double emergency_per_mh = 0.01;         // ... per attended MH incident
  int emergency_self_deploy = 6;          // units that hear the button and self-deploy
  double advisory_compliance = 0.0;       // share of them who heed "sufficient resources"
  bool stand_down_on_alert = false;       // control stands down what over-attendance suggests
  double emergency_on_scene = 20;         // minutes units stay at an emergency before clearing
};

struct SimConfig {
  std::string start_date = "2026-01-05";  // London date the simulation starts (a Monday)
  int window_days = 7;       // each window runs on a fresh engine state (bounds memory)
  int tick_seconds = 30;     // virtual-clock resolution: commands are stamped to the tick
  DemandConfig demand;
  FleetConfig fleet;
  TimingConfig timing;
  BehaviourConfig behaviour;
  Policy policy;             // the engine's policy (attendance governance, grades, ...)

  // Attended MH incidents a year after RCRP (if on).
  double MhAttendedPerYear() const {
    return demand.mh_attended_per_year * (demand.rcrp ? 1.0 - demand.rcrp_reduction : 1.0);
  }
  // Share of attended MH incidents that end in s136, chosen so that pre-RCRP attendance gives
  // `s136_per_month`; RCRP lowers attendance and s136 with it.
  double S136Share() const {
    return demand.mh_attended_per_year <= 0
               ? 0.0
               : demand.s136_per_month * 12.0 / demand.mh_attended_per_year;
  }
};

// Reads `path` over `cfg`. Unknown keys and out-of-range values are kInvalidArgument naming the
// key; an unreadable or malformed file is kInvalidArgument naming the file.
Status LoadSimConfig(const std::string& path, SimConfig& cfg);
// Checks ranges (also applied by LoadSimConfig).
Status ValidateSimConfig(const SimConfig& cfg);
// London midnight starting `cfg.start_date`.
Result<Timestamp> StartTime(const SimConfig& cfg);

}  // namespace concordat::sim
