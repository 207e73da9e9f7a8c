// The live event stream behind GET /api/stream (WebSocket). Protocol:
//   client → {"type":"hello","token":"...","since":N}
//   server → {"type":"event","seq":N,"event_type":"...","stream":"...","at":"...","data":{...}}
//            for every event after N the user may see (catch-up from the log), then
//            {"type":"ready","head":N}, then live events as they commit, in sequence order.
//   server → {"type":"error","error":{...}} and close, on a bad hello or a slow client.
// A client that reconnects with its last seq misses nothing and sees nothing twice: the
// subscription starts buffering live events before the catch-up read, and every send is
// filtered by seq > last sent.
//
// Thread-safety: all methods may be called from any thread. Fan-out runs on the hub's own
// thread, catch-up on the worker pool; neither runs on I/O threads.
//
// Cost: live fan-out shapes each event once per audience class (users who receive the same
// message, e.g. all police roles, or one partner agency), not once per user, and shares the
// serialised frame among them. Everything committed since the last pass goes out in one pass:
// one SendAll per client per pass, not one task per client per event.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/metrics.hpp"
#include "api/worker_pool.hpp"
#include "core/event.hpp"
#include "engine/engine.hpp"
#include "store/users_store.hpp"

namespace concordat::api {

// One connection's outgoing side, implemented by the network layer.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues a text frame. Thread-safe and non-blocking.
  virtual void Send(std::shared_ptr<const std::string> text) = 0;
  // Queues several text frames, in order, as one operation. Thread-safe and non-blocking.
  virtual void SendAll(std::vector<std::shared_ptr<const std::string>> texts) = 0;
  virtual size_t Queued() const = 0;
  // Sends a close frame after what is queued.
  virtual void Close(const std::string& reason) = 0;
};

struct StreamOptions {
  size_t max_queued = 4096;          // a client this far behind is closed (it can resume)
  size_t max_buffered_live = 65536;  // live events held while a client catches up
  size_t catch_up_page = 1000;
  // How often an open stream's session is checked again (RecheckSessions).
  std::chrono::milliseconds recheck_every{5000};
};

class StreamHub {
 public:
  using Authenticate = std::function<Result<SessionInfo>(const std::string& token)>;
  // The audience class of `user`: users with the same class receive the same message for every
  // event (Visible gives the same answer for any of them), so the hub shapes once per class.
  using AudienceOf = std::function<std::string(const User&)>;
  // The message `users` (one or more, all of one audience class) may receive for `event`:
  // `standard` (the event as it is), a cut-down message, or nullptr for nothing. `users` are
  // exactly those it is about to be sent to: when it discloses personal data, the callee records
  // the access for each of them before returning (and returns nullptr when it cannot). Called on
  // hub threads; may block briefly (access logging).
  using Visible = std::function<std::shared_ptr<const std::string>(
      const std::vector<const User*>& users, const Event&,
      const std::shared_ptr<const std::string>& standard)>;

  StreamHub(Engine& engine, WorkerPool& pool, Metrics& metrics, Authenticate auth,
            AudienceOf audience, Visible visible, StreamOptions options = {});
  ~StreamHub();

  class Subscription;
  std::shared_ptr<Subscription> Open(std::weak_ptr<StreamSink> sink);
  void OnText(const std::shared_ptr<Subscription>& sub, std::string text);
  void OnClosed(const std::shared_ptr<Subscription>& sub);

  static std::string EventMessage(const Event& e);

 private:
  void OnCommitted(const Engine::EventBatch& events);
  void FanOutLoop();
  void FanOut(const std::vector<Event>& batch);
  void RecheckSessions();                              // on the fan-out thread
  std::chrono::steady_clock::time_point last_scan_{};  // RecheckSessions' last walk
  void CatchUp(std::shared_ptr<Subscription> sub, std::uint64_t since);
  void Deliver(Subscription& sub, const Event& e, const std::shared_ptr<const std::string>& msg);

  Engine& engine_;
  WorkerPool& pool_;
  Metrics& metrics_;
  Authenticate auth_;
  AudienceOf audience_;
  Visible visible_;
  StreamOptions options_;
  std::uint64_t engine_sub_ = 0;

  std::mutex subs_mu_;
  std::set<std::shared_ptr<Subscription>> subs_;

  std::mutex q_mu_;
  std::condition_variable q_cv_;
  std::vector<Engine::EventBatch> queue_;  // committed, not yet fanned out, in sequence order
  bool stopping_ = false;
  std::thread fan_out_;
};

}  // namespace concordat::api
