// concordat: one executable, subcommands from one table (commands.hpp).
#include <concordat/version.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Concordat: command and control for the police response to mental-health crisis"};
  app.set_version_flag("--version", std::string("concordat ") + concordat::kVersion);
  app.require_subcommand(1);
  int exit_code = 0;
  concordat::cli::AddServeCommand(app, exit_code);
  concordat::cli::AddVerifyCommand(app, exit_code);
  concordat::cli::AddUsersCommand(app, exit_code);
  concordat::cli::AddReportCommand(app, exit_code);
  concordat::cli::AddImportCommand(app, exit_code);
  concordat::cli::AddSimulateCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
