#include "api/stream_hub.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <unordered_map>

#include "core/json_text.hpp"

namespace concordat::api {

class StreamHub::Subscription {
 public:
  explicit Subscription(std::weak_ptr<StreamSink> s) : sink(std::move(s)) {}
  enum class Phase { kAwaitHello, kCatchingUp, kLive, kClosed };
  std::weak_ptr<StreamSink> sink;
  std::mutex mu;
  Phase phase = Phase::kAwaitHello;
  bool gone = false;  // OnClosed has run: out of subs_ and of the client count
  User user;
  std::string token;  // the hello's, checked again every recheck_every
  std::chrono::steady_clock::time_point checked;
  std::string audience;  // AudienceOf(user), set with it
  std::uint64_t last_sent = 0;
  std::vector<std::pair<Event, std::shared_ptr<const std::string>>> buffered;
};

namespace {
std::shared_ptr<const std::string> Message(const boost::json::object& o) {
  return std::make_shared<const std::string>(JsonText(o));
}
std::shared_ptr<const std::string> ErrorMessage(const Error& e) {
  return Message(boost::json::object{{"type", "error"}, {"error", e.ToJson()}});
}
}  // namespace

StreamHub::StreamHub(Engine& engine, WorkerPool& pool, Metrics& metrics, Authenticate auth,
                     AudienceOf audience, Visible visible, StreamOptions options)
    : engine_(engine),
      pool_(pool),
      metrics_(metrics),
      auth_(std::move(auth)),
      audience_(std::move(audience)),
      visible_(std::move(visible)),
      options_(options) {
  fan_out_ = std::thread([this] { FanOutLoop(); });
  engine_sub_ = engine_.Subscribe([this](const Engine::EventBatch& ev) { OnCommitted(ev); });
}

StreamHub::~StreamHub() {
  engine_.Unsubscribe(engine_sub_);
  {
    std::lock_guard lock(q_mu_);
    stopping_ = true;
  }
  q_cv_.notify_all();
  fan_out_.join();
}

std::string StreamHub::EventMessage(const Event& e) {
  boost::json::object o{{"type", "event"},    {"seq", e.seq},          {"event_type", e.type},
                        {"stream", e.stream}, {"at", FormatIso(e.at)}, {"data", e.data}};
  return JsonText(o);
}

std::shared_ptr<StreamHub::Subscription> StreamHub::Open(std::weak_ptr<StreamSink> sink) {
  auto sub = std::make_shared<Subscription>(std::move(sink));
  metrics_.ws_clients.fetch_add(1);
  return sub;
}

void StreamHub::OnClosed(const std::shared_ptr<Subscription>& sub) {
  {
    // Also after the hub closed it itself (too slow, session ended): only the network layer
    // knows when the connection is gone.
    std::lock_guard lock(sub->mu);
    if (sub->gone) {
      return;
    }
    sub->gone = true;
    sub->phase = Subscription::Phase::kClosed;
    sub->buffered.clear();
  }
  {
    std::lock_guard lock(subs_mu_);
    subs_.erase(sub);
  }
  metrics_.ws_clients.fetch_sub(1);
}

void StreamHub::OnText(const std::shared_ptr<Subscription>& sub, std::string text) {
  pool_.Post([this, sub, text = std::move(text)] {
    auto fail = [&](const Error& e) {
      if (auto s = sub->sink.lock()) {
        s->Send(ErrorMessage(e));
        s->Close(e.message);
      }
    };
    {
      std::lock_guard lock(sub->mu);
      if (sub->phase != Subscription::Phase::kAwaitHello) {
        return;  // later client messages are ignored
      }
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const boost::json::object* o = (!ec && v.is_object()) ? &v.as_object() : nullptr;
    if (o == nullptr || !o->contains("type") || o->at("type") != "hello") {
      fail(Error::InvalidArgument("type", "the first message must be {\"type\":\"hello\",...}"));
      return;
    }
    const auto* tok = o->if_contains("token");
    if (tok == nullptr || !tok->is_string()) {
      fail(Error::InvalidArgument("token", "token is required"));
      return;
    }
    std::uint64_t since = 0;
    if (const auto* s = o->if_contains("since"); s && !s->is_null()) {
      if (s->is_int64() && s->as_int64() >= 0) {
        since = static_cast<std::uint64_t>(s->as_int64());
      } else if (s->is_uint64()) {
        since = s->as_uint64();
      } else {
        fail(Error::InvalidArgument("since", "since must be a non-negative integer"));
        return;
      }
    }
    auto session = auth_(std::string(tok->as_string()));
    if (!session.ok()) {
      fail(session.error());
      return;
    }
    {
      std::lock_guard lock(sub->mu);
      sub->user = session->user;
      sub->token = std::string(tok->as_string());
      sub->checked = std::chrono::steady_clock::now();
      sub->audience = audience_(sub->user);
      sub->last_sent = since;
      sub->phase = Subscription::Phase::kCatchingUp;
    }
    {
      std::lock_guard lock(subs_mu_);
      subs_.insert(sub);
    }
    CatchUp(sub, since);
  });
}

void StreamHub::CatchUp(std::shared_ptr<Subscription> sub, std::uint64_t since) {
  auto sink = sub->sink.lock();
  if (!sink) {
    return;
  }
  std::uint64_t after = since;
  while (true) {
    // Back-pressure: let the socket drain before reading more of the log.
    for (int i = 0; i < 2000 && sink->Queued() > options_.max_queued / 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    auto page = engine_.log().ReadAfter(after, options_.catch_up_page);
    if (!page.ok()) {
      sink->Send(ErrorMessage(page.error()));
      sink->Close("catch-up failed");
      return;
    }
    if (page->empty()) {
      break;
    }
    std::lock_guard lock(sub->mu);
    if (sub->phase == Subscription::Phase::kClosed) {
      return;
    }
    std::vector<std::shared_ptr<const std::string>> texts;
    for (const auto& e : *page) {
      if (e.seq > sub->last_sent) {
        if (auto msg =
                visible_({&sub->user}, e, std::make_shared<const std::string>(EventMessage(e)))) {
          texts.push_back(std::move(msg));
        }
      }
      sub->last_sent = std::max(sub->last_sent, e.seq);
    }
    metrics_.ws_messages_sent.fetch_add(texts.size(), std::memory_order_relaxed);
    sink->SendAll(std::move(texts));
    after = page->back().seq;
  }
  std::lock_guard lock(sub->mu);
  if (sub->phase == Subscription::Phase::kClosed) {
    return;
  }
  for (auto& [e, msg] : sub->buffered) {
    Deliver(*sub, e, msg);
  }
  sub->buffered.clear();
  sub->buffered.shrink_to_fit();
  sub->phase = Subscription::Phase::kLive;
  sink->Send(Message(boost::json::object{{"type", "ready"}, {"head", sub->last_sent}}));
}

void StreamHub::Deliver(Subscription& sub, const Event& e,
                        const std::shared_ptr<const std::string>& msg) {
  if (e.seq <= sub.last_sent) {
    return;
  }
  sub.last_sent = e.seq;
  auto shaped = visible_({&sub.user}, e, msg);
  if (!shaped) {
    return;
  }
  auto sink = sub.sink.lock();
  if (!sink) {
    return;
  }
  if (sink->Queued() >= options_.max_queued) {
    sub.phase = Subscription::Phase::kClosed;
    metrics_.ws_slow_closed.fetch_add(1, std::memory_order_relaxed);
    sink->Send(
        ErrorMessage(Error{ErrorCode::kResourceExhausted,
                           "client too slow; reconnect with since=" + std::to_string(e.seq - 1),
                           {},
                           {}}));
    sink->Close("too slow");
    return;
  }
  sink->Send(std::move(shaped));
  metrics_.ws_messages_sent.fetch_add(1, std::memory_order_relaxed);
}

void StreamHub::OnCommitted(const Engine::EventBatch& events) {
  {
    std::lock_guard lock(q_mu_);
    queue_.push_back(events);  // shared with the engine, not copied
  }
  q_cv_.notify_one();
}

void StreamHub::FanOutLoop() {
  std::vector<Engine::EventBatch> batches;
  std::vector<Event> merged;
  while (true) {
    {
      std::unique_lock lock(q_mu_);
      q_cv_.wait_for(lock, options_.recheck_every, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) {
        return;
      }
      batches.swap(queue_);  // everything committed since the last pass, in sequence order
    }
    RecheckSessions();
    if (batches.empty()) {
      continue;
    }
    if (batches.size() == 1) {
      FanOut(*batches.front());
    } else {
      // One pass for all of them: each pass costs something per client, whatever it carries.
      merged.clear();
      for (const auto& b : batches) {
        merged.insert(merged.end(), b->begin(), b->end());
      }
      FanOut(merged);
    }
    batches.clear();
  }
}

// A session can end while its stream is open: the account disabled, the password changed, the
// user signed out, the token expired — on this server or, with a shared database, on another.
// Every open stream's token is checked again once it is recheck_every old (each token once, as
// a user may have several tabs); a stream whose session has ended is told so and closed before
// anything more is sent to it.
void StreamHub::RecheckSessions() {
  const auto now = std::chrono::steady_clock::now();
  // Streams fall due one by one, but finding them walks them all: at most once a second, not
  // on every fan-out pass (a stream is then checked within recheck_every plus a second).
  if (now - last_scan_ < std::chrono::seconds(1)) {
    return;
  }
  last_scan_ = now;
  std::vector<std::shared_ptr<Subscription>> due;
  {
    std::lock_guard lock(subs_mu_);
    for (const auto& sub : subs_) {
      std::lock_guard slock(sub->mu);
      if (sub->phase != Subscription::Phase::kClosed &&
          now - sub->checked >= options_.recheck_every) {
        due.push_back(sub);
      }
    }
  }
  std::unordered_map<std::string, std::optional<Error>> verdicts;  // token → why it ended
  for (const auto& sub : due) {
    std::string token;
    {
      std::lock_guard lock(sub->mu);
      token = sub->token;
    }
    auto it = verdicts.find(token);
    if (it == verdicts.end()) {
      auto session = auth_(token);
      std::optional<Error> ended;
      // Only an answer that the session is over ends the stream; a store that cannot be reached
      // just now (unavailable) is asked again at the next check.
      if (!session.ok() && session.error().code == ErrorCode::kUnauthenticated) {
        ended = session.error();
      }
      it = verdicts.emplace(token, std::move(ended)).first;
    }
    std::lock_guard lock(sub->mu);
    sub->checked = now;
    if (!it->second || sub->phase == Subscription::Phase::kClosed) {
      continue;
    }
    sub->phase = Subscription::Phase::kClosed;
    sub->buffered.clear();
    metrics_.ws_sessions_ended.fetch_add(1, std::memory_order_relaxed);
    if (auto s = sub->sink.lock()) {
      s->Send(ErrorMessage(*it->second));
      s->Close("session ended");
    }
  }
}

void StreamHub::FanOut(const std::vector<Event>& batch) {
  std::vector<std::shared_ptr<Subscription>> subs;
  {
    std::lock_guard lock(subs_mu_);
    subs.assign(subs_.begin(), subs_.end());
  }
  if (subs.empty()) {
    return;  // nobody connected: a client that connects later catches up from the log
  }
  std::vector<std::shared_ptr<const std::string>> msgs;
  msgs.reserve(batch.size());
  for (const auto& e : batch) {
    msgs.push_back(std::make_shared<const std::string>(EventMessage(e)));
  }

  // 1. Clients still catching up buffer the batch; live ones are grouped by audience class.
  //    Only this thread advances a live client's last_sent, so what it needs stays as read here.
  struct Live {
    Subscription* sub;
    std::uint64_t last_sent;
  };
  std::unordered_map<std::string, std::vector<Live>> audiences;
  for (const auto& sub : subs) {
    std::lock_guard lock(sub->mu);
    if (sub->phase == Subscription::Phase::kLive) {
      audiences[sub->audience].push_back(Live{sub.get(), sub->last_sent});
    } else if (sub->phase == Subscription::Phase::kCatchingUp) {
      if (sub->buffered.size() + batch.size() > options_.max_buffered_live) {
        sub->phase = Subscription::Phase::kClosed;
        if (auto s = sub->sink.lock()) {
          s->Close("too far behind");
        }
        continue;
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        sub->buffered.emplace_back(batch[i], msgs[i]);
      }
    }
  }

  // 2. Each event shaped once per audience class, for the members that have not had it (access
  //    logging, when the message discloses personal data, covers each of them, before sending).
  using Frames = std::vector<std::pair<std::uint64_t, std::shared_ptr<const std::string>>>;
  std::vector<const User*> users;
  std::vector<std::pair<Subscription*, Frames>> sends;
  sends.reserve(subs.size());
  for (auto& [audience, members] : audiences) {
    std::vector<std::shared_ptr<const std::string>> shaped(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      users.clear();
      for (const auto& m : members) {
        if (batch[i].seq > m.last_sent) {
          users.push_back(&m.sub->user);
        }
      }
      if (!users.empty()) {
        shaped[i] = visible_(users, batch[i], msgs[i]);
      }
    }
    for (const auto& m : members) {
      Frames frames;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (batch[i].seq > m.last_sent && shaped[i]) {
          frames.emplace_back(batch[i].seq, shaped[i]);
        }
      }
      sends.emplace_back(m.sub, std::move(frames));
    }
  }

  // 3. One SendAll per client. A client max_queued behind is closed, told where to resume.
  const std::uint64_t last = batch.back().seq;
  std::vector<std::shared_ptr<const std::string>> texts;
  for (auto& [sub, frames] : sends) {
    std::lock_guard lock(sub->mu);
    if (sub->phase != Subscription::Phase::kLive) {
      continue;  // closed meanwhile
    }
    sub->last_sent = std::max(sub->last_sent, last);
    if (frames.empty()) {
      continue;
    }
    auto sink = sub->sink.lock();
    if (!sink) {
      continue;
    }
    const size_t queued = sink->Queued();
    const size_t room = queued >= options_.max_queued ? 0 : options_.max_queued - queued;
    const size_t n = std::min(room, frames.size());
    texts.clear();
    texts.reserve(n + 1);
    for (size_t i = 0; i < n; ++i) {
      texts.push_back(std::move(frames[i].second));
    }
    metrics_.ws_messages_sent.fetch_add(n, std::memory_order_relaxed);
    if (n < frames.size()) {
      sub->phase = Subscription::Phase::kClosed;
      metrics_.ws_slow_closed.fetch_add(1, std::memory_order_relaxed);
      texts.push_back(ErrorMessage(
          Error{ErrorCode::kResourceExhausted,
                "client too slow; reconnect with since=" + std::to_string(frames[n].first - 1),
                {},
                {}}));
      sink->SendAll(std::move(texts));
      sink->Close("too slow");
      continue;
    }
    sink->SendAll(std::move(texts));
  }
}

}  // namespace concordat::api
