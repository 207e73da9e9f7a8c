// The application behind the HTTP server: routes, authentication, the command path into the
// engine, the live stream and metrics. Free of Boost.Beast; the network layer (server.hpp) feeds
// it requests and WebSocket messages.
//
// Thread-safety: Handle() may be called from any thread; it posts the work to the worker pool,
// except for routes marked on_io_thread (they only submit a command), which it runs at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/stream_hub.hpp"
#include "api/worker_pool.hpp"
#include "core/refdata.hpp"
#include "engine/engine.hpp"
#include "store/access_log.hpp"
#include "store/users_store.hpp"

namespace concordat::api {

struct AppOptions {
  Timestamp token_ttl = Hours(12);
  SignInLimit sign_in_limit;  // failed sign-ins per username within a window, then 429
  size_t worker_threads = 4;
  std::string version;
  bool virtual_clock = false;
  StreamOptions stream;
  // Incidents visited under one read of the state by a list query that has no index to use
  // (GET /api/incidents?bcu=...): the writer waits for at most one such slice (about 1.5 ms at
  // 5,000 here; docs/PERFORMANCE.md, "Session 23", concordat_load_gen --phases list_scan).
  size_t list_slice = 5'000;
};

class App {
 public:
  App(Engine& engine, UsersStore& users, AccessLog& access, const RefData& ref, AppOptions options);
  ~App();

  // Runs the request pipeline on the worker pool (at once, on the calling thread, for a route
  // marked on_io_thread); `respond` is called once, from any thread.
  void Handle(HttpRequest req, Call::Responder respond);

  StreamHub& stream() { return *stream_; }
  Metrics& metrics() { return metrics_; }
  const Router& router() const { return router_; }
  Engine& engine() { return engine_; }
  const RefData& ref() const { return ref_; }
  const AppOptions& options() const { return options_; }

  // Sends a command to the engine on behalf of the caller and replies with its outcome. The
  // command id is the request's Idempotency-Key header (or a fresh random id without one).
  void Submit(const std::shared_ptr<Call>& call, std::string type, std::string target,
              boost::json::object body);
  Result<SessionInfo> Authenticate(const std::string& token);
  // Whether `user` may see `event` (stream and API filtering).
  bool Visible(const User& user, const Event& event) const;
  // The events of a record's stream that `user` may see, as the timeline of its view (seq, at,
  // type, actor, data); timer.fired events left out when `without_timers`.
  boost::json::array Timeline(const User& user, const std::vector<Event>& events,
                              bool without_timers) const;
  // The stream audience class of `user`: StreamMessage depends on the user only through it
  // (every police role gets `standard`; a partner gets its agency's cut).
  static std::string StreamAudience(const User& user);
  // The stream message for `event` as `users` (all of one StreamAudience) may receive it (police:
  // `standard`; partners: the event cut down to their agreement, its disclosure logged for each
  // of them first), or nullptr when it must not be sent.
  std::shared_ptr<const std::string> StreamMessage(
      const std::vector<const User*>& users, const Event& event,
      const std::shared_ptr<const std::string>& standard);

  // DPA 2018 s62: records a consultation (or, with `recipient`, a disclosure) before the data is
  // returned. A failure to record is an error: the data is not returned.
  Status RecordAccess(const Call& call, const std::string& what, const std::string& categories,
                      const std::string& justification, const std::string& recipient = "");
  // The same for several records read at once (a list naming several persons): one entry each,
  // written together.
  Status RecordAccessMany(const Call& call, const std::vector<std::string>& whats,
                          const std::string& categories, const std::string& justification);
  // The justification for reading `what` outside the caller's current work: the request's
  // `justification` query parameter or X-Justification header; "" when absent.
  static std::string Justification(const Call& call);
  AccessLog& access() { return access_; }
  UsersStore& users() { return users_; }

  Router& mutable_router() { return router_; }
  WorkerPool& pool() { return pool_; }

 private:
  void AddPlatformRoutes();
  void Login(const std::shared_ptr<Call>& call);

  Engine& engine_;
  UsersStore& users_;
  AccessLog& access_;
  const RefData& ref_;
  AppOptions options_;
  Metrics metrics_;
  Router router_;
  WorkerPool pool_;
  std::unique_ptr<StreamHub> stream_;
};

// The number in a record id ("inc-12" → 12; 0 without one): lists order records by it, since as
// text "inc-9" comes after "inc-12".
std::uint64_t IdNumber(std::string_view id);

// The request's ?limit=: nothing when it has none, the number when it is 1 to `max`, otherwise
// the error to answer (invalid_argument on "limit").
Result<std::optional<size_t>> QueryLimit(const Call& c, size_t max);

// Adds every domain's routes (one place, like RegisterAllDomains).
void AddAllRoutes(App& app);

// The route of a command: its handler only submits `command_type` for the caller (the path's
// {id}, when it has one, as the target; the JSON body, with each of `params_into_body` copied
// into it from the path, e.g. {unit_id}) and replies with the outcome. It parses its body as a
// JSON object and runs on the I/O thread that read the request (Route::on_io_thread). Made in
// one place so that no command route is left on the worker pool by mistake (the assignment
// state changes, detention steps and referral responses were).
Route CommandRoute(App& app, std::string method, std::string pattern, std::string permission,
                   std::string summary, std::string command_type, std::string tag,
                   std::vector<std::string> params_into_body = {});

// A JSON view of a user for the API: {"id","username","name","role","agency":{"id","name"}}.
boost::json::object UserToJson(const User& u);

}  // namespace concordat::api
