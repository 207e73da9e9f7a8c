// Synthetic London demand: contacts (999 and 101 calls) as a non-homogeneous Poisson process whose
// rate follows the configured hour-of-day and weekday shapes, placed in boroughs in proportion to
// their population (Census 2021, data/refdata/london), each classified as mental-health or not,
// attended or not, graded, and marked for s136 or an emergency-button press (sim_config.hpp).
//
// Reproducible: each London day is generated from its own generator seeded by (seed, day), so the
// same seed gives the same contacts whatever the window size, and the classification of a contact
// uses one uniform draw per decision, so two policies (e.g. RCRP on and off) see the same calls.
//
// Thread-safety: a generator is used by one thread; RefData is read-only.
#pragma once

#include <cstdint>
#include <vector>

#include "core/refdata.hpp"
#include "sim/sim_config.hpp"

namespace concordat::sim {

enum class ContactKind : std::uint8_t {
  kDuplicate,   // a further call about an incident already open
  kReferred,    // grade R: resolved without deployment
  kAttended,    // graded I/S/E and attended
  kMhReferred,  // mental-health related, not attended (advice, signposting, RCRP)
  kMhAttended,  // mental-health related and attended
};

struct Contact {
  Timestamp at = 0;
  std::uint32_t borough = 0;  // index into RefData::boroughs (an MPS borough)
  std::uint32_t bcu = 0;      // index into RefData::bcus
  LatLon point;
  ContactKind kind = ContactKind::kReferred;
  char grade = 'R';     // I, S, E or R
  bool s136 = false;     // an attended MH incident that ends in a s136 detention
  bool emergency = false;  // an officer at this incident presses the emergency button
  double u_extra = 0;    // a spare uniform draw for the simulator (e.g. the person's age)
  bool MentalHealth() const {
    return kind == ContactKind::kMhAttended || kind == ContactKind::kMhReferred;
  }
  bool Attended() const {
    return kind == ContactKind::kAttended || kind == ContactKind::kMhAttended;
  }
};

class DemandGenerator {
 public:
  // `ref` must outlive the generator and hold the London boroughs and BCUs.
  DemandGenerator(const SimConfig& cfg, const RefData& ref, std::uint64_t seed);

  // Every contact in [from, to), in time order. Days are generated whole (London days) and
  // clipped to the window.
  std::vector<Contact> Generate(Timestamp from, Timestamp to) const;

  // Expected contacts in [from, to) (the Poisson mean), for calibration checks.
  double ExpectedContacts(Timestamp from, Timestamp to) const;
  // The rate, contacts per hour, at `t`.
  double RatePerHour(Timestamp t) const;
  const std::vector<std::uint32_t>& mps_boroughs() const { return boroughs_; }

 private:
  void GenerateDay(std::int64_t london_day, std::vector<Contact>& out) const;
  void Classify(class Rng& rng, Contact& c) const;

  SimConfig cfg_;
  const RefData& ref_;
  std::uint64_t seed_;
  std::vector<std::uint32_t> boroughs_;          // MPS boroughs
  std::vector<std::uint32_t> borough_bcu_;       // parallel: BCU index
  std::vector<double> cumulative_population_;    // parallel: running total
  std::vector<std::vector<LatLon>> points_;      // parallel: points inside each borough
};

}  // namespace concordat::sim
