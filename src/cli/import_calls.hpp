// `concordat import calls FILE --mapping MAPPING.toml --data DIR`: a calls-for-service CSV mapped
// (src/interop/calls_import.hpp) to incidents through the engine. Every row is validated first;
// nothing is submitted if any row is bad, unless --skip-bad. Command ids are derived from the file
// name and line, so re-running the same import adds nothing twice. Run it with the server stopped.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "cli/store_open.hpp"
#include "interop/calls_import.hpp"

namespace concordat::cli {

struct ImportCallsOptions {
  std::string file;
  std::string mapping;
  StoreFlags store;     // --data or --database
  std::string refdata;  // "" = DefaultRefdataDir()
  bool skip_bad = false;
  bool progress = true;  // drawn only when stderr is a terminal
};

struct ImportCallsSummary {
  int records = 0;
  int created = 0;     // new incidents
  int duplicates = 0;  // rows imported before (same file name and line)
  int unlocated = 0;   // of the incidents created now, those without coordinates
  int rejected = 0;    // rows the engine refused on submit
  std::vector<interop::BadRow> bad;  // rows that failed validation (not submitted)
  std::string error;                 // a whole-file problem; empty when none
};

// Exit code: 0 imported (or all duplicates), 1 bad rows (nothing imported without --skip-bad),
// 2 the file, mapping or store could not be used.
int ImportCalls(const ImportCallsOptions& o, ImportCallsSummary& out, std::FILE* report);

}  // namespace concordat::cli
