#include "cli/stack.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "refdata/london.hpp"
#include "store/pg_event_log.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat::cli {

StackOptions StackOptionsFromConfig(const Config& cfg) {
  StackOptions o;
  o.data_dir = cfg.data_dir;
  o.database_url = cfg.database_url;
  o.refdata_dir = cfg.refdata_dir;
  o.password_cost = cfg.password_cost == "minimum" ? PasswordCost::Minimum() : PasswordCost{};
  o.policy = cfg.policy;
  o.snapshot_every = cfg.snapshot_every;
  o.snapshot_min_interval = std::chrono::seconds(cfg.snapshot_min_seconds);
  o.app.token_ttl = Minutes(cfg.token_ttl_minutes);
  o.app.sign_in_limit =
      SignInLimit{cfg.max_failed_logins, Minutes(cfg.failed_login_window_minutes)};
  o.app.worker_threads = cfg.worker_threads;
  o.server.io_threads = cfg.io_threads;
  o.server.web_dir = cfg.web_dir.empty() ? DefaultWebDir() : cfg.web_dir;
  return o;
}

Result<std::unique_ptr<Stack>> Stack::Open(StackOptions options) {
  std::unique_ptr<Stack> s(new Stack(std::move(options)));
  const StackOptions& o = s->options_;
  std::error_code ec;
  if (o.database_url.empty()) {  // a shared store keeps nothing in a data folder
    std::filesystem::create_directories(o.data_dir, ec);
    if (ec) {
      return Error::Unavailable("cannot create data folder " + o.data_dir + ": " + ec.message());
    }
  }
  auto ref = LoadLondonRefData(o.refdata_dir.empty() ? DefaultRefdataDir() : o.refdata_dir);
  if (!ref.ok()) {
    Error e = ref.error();
    e.message = "reference data: " + e.message;
    return e;
  }
  s->ref_ = std::move(*ref);
  const bool shared = !o.database_url.empty();
  if (shared && o.virtual_clock) {
    // Each server would keep a clock of its own, which only its own requests move.
    return Error::InvalidArgument("virtual_clock",
                                  "--virtual-clock runs one server on the SQLite store; it cannot "
                                  "be used with a shared PostgreSQL database");
  }
  s->db_path_ = o.data_dir + "/concordat.db";
  auto log = shared ? OpenPgEventLog(o.database_url) : OpenSqliteEventLog(s->db_path_);
  if (!log.ok()) {
    return log.error();
  }
  s->log_ = std::move(*log);
  auto users = shared ? UsersStore::OpenPostgres(o.database_url, o.password_cost)
                      : UsersStore::Open(s->db_path_, o.password_cost);
  if (!users.ok()) {
    return users.error();
  }
  s->users_ = std::move(*users);
  auto access = shared ? AccessLog::OpenPostgres(o.database_url) : AccessLog::Open(s->db_path_);
  if (!access.ok()) {
    return access.error();
  }
  s->access_ = std::move(*access);
  if (o.virtual_clock) {
    s->clock_ = std::make_unique<VirtualClock>(o.virtual_start.value_or(RealClock().Now()));
  } else {
    s->clock_ = std::make_unique<RealClock>();
  }
  RegisterAllDomains(s->domain_);
  return s;
}

Stack::~Stack() { Stop(); }

Status Stack::Start() {
  EngineOptions eo;
  eo.ref = &ref_;
  eo.policy = &options_.policy;
  eo.snapshot_every = options_.snapshot_every;
  eo.snapshot_min_interval = options_.snapshot_min_interval;
  engine_ = std::make_unique<Engine>(*log_, *clock_, domain_, eo);
  if (auto st = engine_->Start(); !st.ok()) {
    Error e = st.error();
    e.message = "cannot start the engine: " + e.message;
    return e;
  }
  spdlog::info("log replayed: {} events, head {}", engine_->replayed_events(), engine_->HeadSeq());

  if (options_.demo) {
    auto seeded = SeedDemo(*users_, *engine_, ref_, clock_->Now());
    if (!seeded.ok()) {
      Error e = seeded.error();
      e.message = "demo seed failed: " + e.message;
      return e;
    }
    demo_accounts_ = std::move(*seeded);
  }

  api::AppOptions ao = options_.app;
  ao.virtual_clock = options_.virtual_clock;
  app_ = std::make_unique<api::App>(*engine_, *users_, *access_, ref_, ao);
  server_ = std::make_unique<api::Server>(*app_, options_.server);
  auto bound = server_->Start();
  if (!bound.ok()) {
    return bound.error();
  }
  port_ = *bound;
  return OkStatus();
}

void Stack::Stop() {
  // The order of `concordat serve`'s shutdown: no new requests, finish queued commands, then
  // release the App (worker pool, stream hub) before the engine it points at.
  if (server_) {
    server_->Stop();
  }
  if (engine_) {
    engine_->Stop();
  }
  app_.reset();
  server_.reset();
  engine_.reset();
}

}  // namespace concordat::cli
