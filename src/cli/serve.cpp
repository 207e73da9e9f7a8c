#include <fmt/format.h>
#include <netdb.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <concordat/version.hpp>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/stack.hpp"
#include "cli/store_open.hpp"
#include "store/pg.hpp"

namespace concordat::cli {
namespace {

// Whether HOST:PORT can be listened on, found before the store is opened and the log replayed
// (seconds on a large log) so that a port already taken is said at once. The server binds for
// itself afterwards; this probe's socket is closed first.
Status ProbeListen(const std::string& host, unsigned short port) {
  if (port == 0) return OkStatus();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return Error::InvalidArgument("listen", "cannot listen on " + host + ": no such address");
  }
  const int fd = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  int err = 0;
  if (fd >= 0) {
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) err = errno;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (err == EADDRINUSE) {
    return Error::FailedPrecondition(host + ":" + std::to_string(port) +
                                     " is already in use (another Concordat server?): stop it "
                                     "or choose another --listen");
  }
  if (err == EADDRNOTAVAIL) {
    return Error::InvalidArgument("listen", host + " is not an address of this machine");
  }
  if (err == EACCES) {
    return Error::PermissionDenied("listening on port " + std::to_string(port) +
                                   " needs privileges: choose a port above 1023");
  }
  return OkStatus();
}

struct ServeFlags {
  std::string listen;
  std::string data;
  std::string database;
  std::string config;
  std::string web;
  std::string refdata;
  bool demo = false;
  bool virtual_clock = false;
  std::string virtual_start;
};

int Serve(const ServeFlags& f) {
  Config cfg;
  if (!f.config.empty()) {
    if (auto st = LoadConfigFile(f.config, cfg); !st.ok()) {
      fmt::print(stderr, "serve: {}\n", st.error().message);
      return 2;
    }
  }
  ApplyEnvironment(cfg);
  if (!f.listen.empty()) cfg.listen = f.listen;
  if (!f.data.empty()) cfg.data_dir = f.data;
  if (!f.database.empty()) cfg.database_url = f.database;
  if (!f.web.empty()) cfg.web_dir = f.web;
  if (!f.refdata.empty()) cfg.refdata_dir = f.refdata;
  std::string host;
  unsigned short port = 0;
  if (auto st = ParseListen(cfg.listen, &host, &port); !st.ok()) {
    fmt::print(stderr, "serve: {}\n", st.error().message);
    return 2;
  }
  if (auto st = ProbeListen(host, port); !st.ok()) {
    fmt::print(stderr, "serve: {}\n", st.error().message);
    return 2;
  }
  std::optional<Timestamp> virtual_start;
  if (f.virtual_clock && !f.virtual_start.empty()) {
    auto t = ParseIso(f.virtual_start, "--virtual-start");
    if (!t.ok()) {
      fmt::print(stderr, "serve: {}\n", t.error().message);
      return 2;
    }
    virtual_start = *t;
  }
  StackOptions so = StackOptionsFromConfig(cfg);
  so.server.host = host;
  so.server.port = port;
  so.demo = f.demo;
  so.virtual_clock = f.virtual_clock;
  so.virtual_start = virtual_start;
  so.app.version = kVersion;
  auto opened = Stack::Open(std::move(so));
  if (!opened.ok()) {
    fmt::print(stderr, "serve: {}\n", opened.error().message);
    return 2;
  }
  Stack& stack = **opened;

  // Signals are taken by this thread alone (sigwait below); block them before threads start.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  if (auto st = stack.Start(); !st.ok()) {
    fmt::print(stderr, "serve: {}\n", st.error().message);
    return 2;
  }
  const RefData& ref = stack.ref();
  const std::string& web_dir = stack.options().server.web_dir;

  fmt::print("Concordat {} listening on http://{}:{}\n", kVersion, host, stack.port());
  if (stack.options().database_url.empty()) {
    fmt::print("  store: {} ({} events)\n", stack.db_path(), stack.engine().HeadSeq());
  } else {
    fmt::print("  store: PostgreSQL {} ({} events), shared with any other server using it\n",
               pg::Conn::Redacted(stack.options().database_url), stack.engine().HeadSeq());
  }
  fmt::print("  reference data: {} BCUs, {} boroughs, {} places of safety, {} EDs\n",
             ref.bcus.size(), ref.boroughs.size(), ref.places_of_safety.size(),
             ref.emergency_departments.size());
  fmt::print("  web app: {}\n", std::filesystem::exists(web_dir + "/index.html")
                                    ? web_dir
                                    : std::string("not built (API only)"));
  if (f.virtual_clock) {
    fmt::print("  VIRTUAL CLOCK at {}: POST /api/admin/clock/advance moves it\n",
               FormatIso(stack.clock().Now()));
  }
  const auto& demo_accounts = stack.demo_accounts();
  if (!demo_accounts.empty()) {
    fmt::print("  DEMO accounts (password '{}') - demonstration only, never for live use:\n",
               kDemoPassword);
    for (const auto& a : demo_accounts) {
      fmt::print("    {:<13} {}\n", a.username, a.agency);
    }
  }
  std::fflush(stdout);

  int sig = 0;
  sigwait(&sigs, &sig);
  spdlog::info("signal {}: shutting down", sig);
  stack.Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "Run the server (HTTP API, WebSocket stream, web app)");
  auto f = std::make_shared<ServeFlags>();
  cmd->add_option("--listen", f->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  cmd->add_option("--data", f->data, "Data folder for the SQLite store (default var)");
  cmd->add_option("--database", f->database,
                  "PostgreSQL URL (postgresql://USER@HOST:PORT/DB) of a store several servers "
                  "share, instead of the SQLite file in --data")
      ->check(CheckDatabaseUrl, "URL");
  cmd->add_option("--config", f->config, "TOML configuration file");
  cmd->add_option("--web", f->web, "Folder of the built web app (default web/dist)");
  cmd->add_option("--refdata", f->refdata, "Folder of the London reference data");
  cmd->add_flag("--demo", f->demo, "Seed demo accounts and London demo data");
  cmd->add_flag("--virtual-clock", f->virtual_clock,
                "Run on a virtual clock moved only by POST /api/admin/clock/advance");
  cmd->add_option("--virtual-start", f->virtual_start,
                  "Start time of the virtual clock (ISO-8601; default now)");
  cmd->callback([f, &exit_code] { exit_code = Serve(*f); });
}

}  // namespace concordat::cli
