// `concordat report <kind>`: reports computed offline from a data folder's event log. The log is
// only read: the state is rebuilt from the newest snapshot and the events after it, exactly as
// the engine does on start-up, without starting an engine or firing timers.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "core/result.hpp"
#include "core/state.hpp"

namespace concordat::cli {

struct StoreFlags;
// The domain state of the store's log. not_found when there is no SQLite store at --data.
Result<State> ReplayState(const StoreFlags& store);

// The report kinds, each a child of `report` (one function each, listed in report.cpp).
void AddReportS136(CLI::App& report, int& exit_code);
// attendance, record-quality, response, mental-health, teams (issue 8) and access (issue 5).
void AddReportViews(CLI::App& report, int& exit_code);

}  // namespace concordat::cli
