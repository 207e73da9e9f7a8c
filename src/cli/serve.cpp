#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <concordat/version.hpp>
#include <filesystem>

#include "api/app.hpp"
#include "api/server.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/demo_seed.hpp"
#include "refdata/london.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat::cli {
namespace {

struct ServeFlags {
  std::string listen;
  std::string data;
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
  if (!f.web.empty()) cfg.web_dir = f.web;
  if (!f.refdata.empty()) cfg.refdata_dir = f.refdata;
  std::string host;
  unsigned short port = 0;
  if (auto st = ParseListen(cfg.listen, &host, &port); !st.ok()) {
    fmt::print(stderr, "serve: {}\n", st.error().message);
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  if (ec) {
    fmt::print(stderr, "serve: cannot create data folder {}: {}\n", cfg.data_dir, ec.message());
    return 2;
  }
  const std::string refdir = cfg.refdata_dir.empty() ? DefaultRefdataDir() : cfg.refdata_dir;
  auto ref = LoadLondonRefData(refdir);
  if (!ref.ok()) {
    fmt::print(stderr, "serve: reference data: {}\n", ref.error().message);
    return 2;
  }
  const std::string db_path = cfg.data_dir + "/concordat.db";
  auto log = OpenSqliteEventLog(db_path);
  if (!log.ok()) {
    fmt::print(stderr, "serve: {}\n", log.error().message);
    return 2;
  }
  auto users = UsersStore::Open(db_path, cfg.password_cost == "minimum" ? PasswordCost::Minimum()
                                                                         : PasswordCost{});
  if (!users.ok()) {
    fmt::print(stderr, "serve: {}\n", users.error().message);
    return 2;
  }

  std::unique_ptr<Clock> clock;
  if (f.virtual_clock) {
    Timestamp start = RealClock().Now();
    if (!f.virtual_start.empty()) {
      auto t = ParseIso(f.virtual_start, "--virtual-start");
      if (!t.ok()) {
        fmt::print(stderr, "serve: {}\n", t.error().message);
        return 2;
      }
      start = *t;
    }
    clock = std::make_unique<VirtualClock>(start);
  } else {
    clock = std::make_unique<RealClock>();
  }

  // Signals are taken by this thread alone (sigwait below); block them before threads start.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  Domain domain;
  RegisterAllDomains(domain);
  EngineOptions eo;
  eo.ref = &*ref;
  eo.policy = &cfg.policy;
  eo.snapshot_every = cfg.snapshot_every;
  auto engine = std::make_unique<Engine>(**log, *clock, domain, eo);
  if (auto st = engine->Start(); !st.ok()) {
    fmt::print(stderr, "serve: cannot start the engine: {}\n", st.error().message);
    return 2;
  }
  spdlog::info("log replayed: {} events, head {}", engine->replayed_events(), engine->HeadSeq());

  std::vector<DemoAccount> demo_accounts;
  if (f.demo) {
    auto seeded = SeedDemo(**users, *engine, *ref, clock->Now());
    if (!seeded.ok()) {
      fmt::print(stderr, "serve: demo seed failed: {}\n", seeded.error().message);
      return 2;
    }
    demo_accounts = std::move(*seeded);
  }

  api::AppOptions ao;
  ao.token_ttl = Minutes(cfg.token_ttl_minutes);
  ao.max_failed_logins = cfg.max_failed_logins;
  ao.worker_threads = cfg.worker_threads;
  ao.version = kVersion;
  ao.virtual_clock = f.virtual_clock;
  auto app = std::make_unique<api::App>(*engine, **users, *ref, ao);

  api::ServerOptions so;
  so.host = host;
  so.port = port;
  so.io_threads = cfg.io_threads;
  so.web_dir = cfg.web_dir.empty() ? DefaultWebDir() : cfg.web_dir;
  auto server = std::make_unique<api::Server>(*app, so);
  auto bound = server->Start();
  if (!bound.ok()) {
    fmt::print(stderr, "serve: {}\n", bound.error().message);
    return 2;
  }

  fmt::print("Concordat {} listening on http://{}:{}\n", kVersion, host, *bound);
  fmt::print("  store: {} ({} events)\n", db_path, engine->HeadSeq());
  fmt::print("  reference data: {} BCUs, {} boroughs, {} places of safety, {} EDs\n",
             ref->bcus.size(), ref->boroughs.size(), ref->places_of_safety.size(),
             ref->emergency_departments.size());
  fmt::print("  web app: {}\n", std::filesystem::exists(so.web_dir + "/index.html")
                                    ? so.web_dir
                                    : std::string("not built (API only)"));
  if (f.virtual_clock) {
    fmt::print("  VIRTUAL CLOCK at {}: POST /api/admin/clock/advance moves it\n",
               FormatIso(clock->Now()));
  }
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
  server->Stop();
  engine->Stop();
  app.reset();
  server.reset();
  engine.reset();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "Run the server (HTTP API, WebSocket stream, web app)");
  auto f = std::make_shared<ServeFlags>();
  cmd->add_option("--listen", f->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  cmd->add_option("--data", f->data, "Data folder for the SQLite store (default var)");
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
