// Repeat-demand helpers shared by the team sources (team_demand.cpp). Not part of the core's
// interface.
#pragma once

#include <optional>
#include <string>

#include "core/domain.hpp"

namespace concordat::team {

// Hours to two decimals.
double Hours2(Timestamp micros);
// Whether the person (or a record merged into them) is under 18 on the day of `now`.
bool IsUnder18(const State& s, const std::string& person_id, Timestamp now);
// One subject (`type` person | address) against the policy's rules at ctx.now; nullopt when no
// threshold is met. Persons are evaluated as their canonical (merged) record.
std::optional<DemandSubject> EvaluateSubject(const State& s, const Context& ctx,
                                             const std::string& type, const std::string& id);
// {"contacts","officer_hours","window_days","triggered","counts","incidents"}.
boost::json::object SubjectDemandJson(const State& s, const DemandSubject& d);
boost::json::array IncidentsJson(const State& s, const std::vector<DemandContact>& v);

}  // namespace concordat::team
