// The running server assembled from its parts: reference data, the SQLite store (event log and
// accounts), the clock, the domain, the engine, the demo seed, the App and the network server.
// `concordat serve` and the integration tests build it the same way, through this one class.
//
// Two phases, so that a caller can block signals before any thread exists:
//   Open()  loads reference data and opens the stores; starts no thread.
//   Start() replays the log, seeds the demo (when asked), starts the App and binds the server.
// Stop() (or the destructor) shuts down in reverse order: server, engine, App, stores.
//
// Thread-safety: Open/Start/Stop from one thread; the accessors are safe once Start succeeded.
//
// Example:
//   StackOptions o = StackOptionsFromConfig(cfg);
//   o.server.port = 0;
//   auto stack = Stack::Open(o);
//   if (!stack.ok()) ...                        // message suits "serve: <message>"
//   if (auto st = (*stack)->Start(); !st.ok()) ...
//   unsigned short port = (*stack)->port();
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/app.hpp"
#include "api/server.hpp"
#include "cli/config.hpp"
#include "cli/demo_seed.hpp"
#include "core/domain.hpp"
#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "store/access_log.hpp"
#include "store/event_log.hpp"
#include "store/users_store.hpp"

namespace concordat::cli {

struct StackOptions {
  std::string data_dir = "var";
  // "" = the SQLite store in data_dir; else the PostgreSQL database several servers share.
  std::string database_url;
  std::string refdata_dir;  // "" = DefaultRefdataDir()
  PasswordCost password_cost;
  bool demo = false;
  bool virtual_clock = false;
  std::optional<Timestamp> virtual_start;  // virtual clock only; default: the real time now
  Policy policy;
  std::uint64_t snapshot_every = 50'000;
  std::chrono::milliseconds snapshot_min_interval{0};  // see EngineOptions
  api::AppOptions app;        // `virtual_clock` is set from the field above
  api::ServerOptions server;  // host and port included
};

// Everything the configuration decides (threads, token lifetime, throttling, snapshots, policy,
// folders). The caller still sets server.host/port, demo and the clock.
StackOptions StackOptionsFromConfig(const Config& cfg);

class Stack {
 public:
  // Creates the data folder, loads reference data, opens the event log and the accounts store.
  // Errors: invalid_argument/unavailable/internal with a message for "serve: <message>".
  static Result<std::unique_ptr<Stack>> Open(StackOptions options);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // Starts the engine (replaying the log), applies the demo seed, starts the App and the server.
  Status Start();
  // Stops the server and the engine and releases everything; idempotent.
  void Stop();

  unsigned short port() const { return port_; }
  const StackOptions& options() const { return options_; }
  const std::string& db_path() const { return db_path_; }
  const RefData& ref() const { return ref_; }
  Clock& clock() { return *clock_; }
  Engine& engine() { return *engine_; }
  UsersStore& users() { return *users_; }
  AccessLog& access() { return *access_; }
  api::App& app() { return *app_; }
  const std::vector<DemoAccount>& demo_accounts() const { return demo_accounts_; }

 private:
  explicit Stack(StackOptions options) : options_(std::move(options)) {}

  StackOptions options_;
  std::string db_path_;
  RefData ref_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<UsersStore> users_;
  std::unique_ptr<AccessLog> access_;
  std::unique_ptr<Clock> clock_;
  Domain domain_;
  std::unique_ptr<Engine> engine_;
  std::vector<DemoAccount> demo_accounts_;
  std::unique_ptr<api::App> app_;
  std::unique_ptr<api::Server> server_;
  unsigned short port_ = 0;
};

}  // namespace concordat::cli
