// Loads the London reference data shipped in data/refdata/london (copied from the project's
// shared reference folder, with its attribution): BCUs, boroughs and their boundaries, places of
// safety and emergency departments. Blocking file I/O: call at start-up.
#pragma once

#include <string>

#include "core/refdata.hpp"
#include "core/result.hpp"

namespace concordat {

// `dir` holds met_bcus.csv, london_boroughs.csv, london_boroughs_lad2021.geojson,
// london_hbpos_s136_sites.csv and london_emergency_departments.csv. Errors name the file and line.
Result<RefData> LoadLondonRefData(const std::string& dir);

// The data folder the build was configured with (the repo's data/), for defaults.
std::string DefaultDataDir();

}  // namespace concordat
