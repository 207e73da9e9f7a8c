// The `concordat` subcommands. Each Add* registers its subcommand and options on the CLI11 app
// and sets the callback that runs it; `exit_code` receives the process exit code.
//   0 success, 1 a failure the command reports (e.g. verify found a broken link),
//   2 bad usage or input.
#pragma once

#include <CLI/CLI.hpp>

namespace concordat::cli {

void AddServeCommand(CLI::App& app, int& exit_code);
void AddVerifyCommand(CLI::App& app, int& exit_code);
void AddUsersCommand(CLI::App& app, int& exit_code);
void AddReportCommand(CLI::App& app, int& exit_code);  // report.cpp
void AddImportCommand(CLI::App& app, int& exit_code);  // import.cpp
void AddImportCalls(CLI::App& import, int& exit_code);  // import_calls.cpp
void AddSimulateCommand(CLI::App& app, int& exit_code);  // simulate.cpp

}  // namespace concordat::cli
