#include "engine/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <unordered_map>

#include "core/engine_events.hpp"
#include "core/json_text.hpp"
#include "engine/forked_encoding.hpp"
#include "store/hash_chain.hpp"

namespace concordat {

namespace {
constexpr int kMaxTimersPerPass = 100'000;  // guards against a handler that re-arms itself

Actor SystemActor() { return Actor{"system", "system", "mps"}; }

std::string ScopedId(const Command& c) { return c.actor.user_id + "\x1f" + c.command_id; }
}  // namespace

std::string RequestFingerprint(const Command& c) {
  std::string text = c.type;
  text += '\x1f';
  text += c.target;
  text += '\x1f';
  text += c.request ? JsonText(c.request->ToBody()) : JsonText(c.body);
  return Sha256Hex(text).substr(0, 32);
}

std::string Outcome::ToJsonText() const {
  if (!ok) {
    boost::json::object o{{"ok", false}, {"error", error.ToJson()}};
    if (!request.empty()) o["request"] = request;
    return JsonText(o);
  }
  // Written around the reply's text, so a reply the engine has already written is not written
  // again (and the HTTP layer sends the same text).
  const std::string rendered = reply_text.empty() ? JsonText(reply) : std::string();
  const std::string& body = reply_text.empty() ? rendered : reply_text;
  std::string text;
  text.reserve(body.size() + 64);
  text += R"({"ok":true,"status":)";
  text += std::to_string(status);
  text += R"(,"reply":)";
  text += body;
  text += R"(,"seq":)";
  text += std::to_string(seq);
  if (!request.empty()) {
    text += R"(,"request":")";
    text += request;  // hex: nothing to escape
    text += '"';
  }
  text += '}';
  return text;
}

Outcome Outcome::FromJsonText(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Fail(Error::Internal("stored outcome is unreadable"));
  }
  const auto& o = v.as_object();
  Outcome out;
  if (const auto* r = o.if_contains("request"); r != nullptr && r->is_string()) {
    out.request = std::string(r->as_string());
  }
  out.ok = o.contains("ok") && o.at("ok").is_bool() && o.at("ok").as_bool();
  if (out.ok) {
    out.status = static_cast<int>(o.at("status").to_number<std::int64_t>());
    out.reply = o.at("reply");
    out.seq = o.at("seq").to_number<std::uint64_t>();
  } else {
    out.error = Error::FromJson(o.at("error"));
  }
  return out;
}

struct Engine::BatchResult {
  std::vector<Event> others;  // a shared log: events other servers appended, applied first
  std::vector<Event> events;
  std::vector<CommandRecord> records;
  // Scoped id → its record in `records`, for a retry within the same batch.
  std::unordered_map<std::string, size_t> outcomes;
  std::unordered_map<std::string, std::string> stored;    // scoped id → outcome text, in the log
};

Engine::Engine(EventLog& log, Clock& clock, const Domain& domain, EngineOptions options)
    : log_(log), clock_(clock), domain_(domain), options_(options) {}

Engine::~Engine() { Stop(); }

Status Engine::Restore() {
  State fresh;
  auto snap = log_.LatestSnapshot();
  if (!snap.ok()) {
    return snap.error();
  }
  if (*snap && (*snap)->seq <= log_.HeadSeq()) {
    // A snapshot this build cannot read (other types, damage) is passed over: the whole log is
    // replayed instead, which is slower but exact.
    auto restored = State::FromSnapshot((*snap)->state);
    if (restored.ok()) {
      fresh = std::move(*restored);
    }
  }
  last_snapshot_seq_ = fresh.seq;
  replayed_events_ = 0;
  std::uint64_t after = fresh.seq;
  while (true) {
    auto page = log_.ReadAfter(after, 10'000);
    if (!page.ok()) {
      return page.error();
    }
    if (page->empty()) {
      break;
    }
    for (const auto& e : *page) {
      domain_.Apply(fresh, e);
      ++replayed_events_;
    }
    after = page->back().seq;
  }
  state_ = std::move(fresh);
  head_seq_.store(state_.seq, std::memory_order_release);
  return OkStatus();
}

Status Engine::CatchUp(std::vector<Event>& applied) {
  while (true) {
    auto page = log_.ReadAfter(state_.seq, 10'000);
    if (!page.ok()) {
      return page.error();
    }
    if (page->empty()) {
      break;
    }
    for (auto& e : *page) {
      if (e.seq != state_.seq + 1) {
        return Error::Internal("the shared log skipped from " + std::to_string(state_.seq) +
                               " to " + std::to_string(e.seq));
      }
      domain_.Apply(state_, e);
      applied.push_back(std::move(e));
    }
    stats_.others_events.fetch_add(page->size(), std::memory_order_relaxed);
  }
  head_seq_.store(state_.seq, std::memory_order_release);
  return OkStatus();
}

std::vector<Event> Engine::Unpublished() {
  std::vector<Event> out;
  while (published_seq_ + out.size() < state_.seq) {
    auto page = log_.ReadAfter(published_seq_ + out.size(), 10'000);
    if (!page.ok() || page->empty()) {
      break;  // the subscribers see a gap, as after a restart; they catch up from the log
    }
    for (auto& e : *page) {
      if (e.seq > state_.seq) break;
      out.push_back(std::move(e));
    }
  }
  return out;
}

void Engine::Rebuild() { state_stale_ = !Restore().ok(); }

void Engine::WriteFailed(const Error& why) {
  {
    std::lock_guard problem(write_problem_mu_);
    write_problem_ = why.message;
  }
  if (!write_failing_.load(std::memory_order_acquire)) {
    spdlog::error(
        "nothing can be recorded: {} (commands are refused until the log is written "
        "again)",
        why.message);
  }
  // A timer that falls due meanwhile is tried again a second later, not in a busy loop.
  retry_timers_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  write_failing_.store(true, std::memory_order_release);
  stats_.write_failures.fetch_add(1, std::memory_order_relaxed);
}

Timestamp Engine::DecisionTime() const {
  const Timestamp now = clock_.Now();
  return log_.Shared() ? std::max(now, state_.last_at) : now;
}

Status Engine::Start() {
  {
    std::unique_lock lock(mu_);
    if (auto st = Restore(); !st.ok()) {
      return st;
    }
  }
  if (clock_.IsVirtual()) {
    // A virtual clock never runs behind the log it continues.
    auto& vc = static_cast<VirtualClock&>(clock_);
    if (vc.Now() < state_.last_at) {
      vc.Set(state_.last_at);
    }
  }
  published_seq_ = state_.seq;
  stopping_ = false;
  if (log_.Shared()) {
    log_.Watch([this] {
      catch_up_wanted_.store(true, std::memory_order_release);
      std::lock_guard lock(queue_mu_);
      queue_cv_.notify_all();
    });
  }
  if (options_.complete_off_writer) {
    completions_stopping_ = false;
    completer_ = std::thread([this] { CompletionLoop(); });
  }
  writer_ = std::thread([this] { WriterLoop(); });
  return OkStatus();
}

void Engine::Stop() {
  {
    std::lock_guard lock(queue_mu_);
    if (!writer_.joinable()) {
      return;
    }
  }
  log_.Watch({});  // no more wake-ups from the log's listener (it waits for one under way)
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  writer_.join();
  if (completer_.joinable()) {
    {
      std::lock_guard lock(completion_mu_);
      completions_stopping_ = true;  // it answers everything queued first
    }
    completion_cv_.notify_all();
    completer_.join();
  }
  if (snapshot_thread_.joinable()) {
    snapshot_thread_.join();  // a snapshot under way is stored before the engine stops
  }
}

void Engine::Submit(Command command, Done done) {
  if (command.idempotent && command.fingerprint.empty()) {
    command.fingerprint = RequestFingerprint(command);
  }
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.emplace_back(std::move(command), std::move(done), 0);
      queue_cv_.notify_one();
      return;
    }
  }
  done(Outcome::Fail(Error::Unavailable("the engine is shutting down")));
}

Outcome Engine::Execute(Command command) {
  std::promise<Outcome> p;
  auto f = p.get_future();
  Submit(std::move(command), [&p](Outcome o) { p.set_value(std::move(o)); });
  return f.get();
}

Command ClockAdvanceCommand(Timestamp delta, const Actor& actor, std::string command_id) {
  return Command{"clock.advance", "", boost::json::object{{"delta_us", delta}}, actor,
                 std::move(command_id)};
}

Outcome Engine::AdvanceClock(Timestamp delta, const Actor& actor, const std::string& command_id) {
  std::promise<Outcome> p;
  auto f = p.get_future();
  SubmitAdvance(delta, actor, command_id, [&p](Outcome o) { p.set_value(std::move(o)); });
  return f.get();
}

void Engine::SubmitAdvance(Timestamp delta, const Actor& actor, std::string command_id, Done done,
                           bool idempotent) {
  if (!clock_.IsVirtual()) {
    done(Outcome::Fail(
        Error::FailedPrecondition("the clock can only be advanced with --virtual-clock")));
    return;
  }
  if (delta <= 0) {
    done(Outcome::Fail(Error::InvalidArgument("seconds", "seconds must be positive")));
    return;
  }
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      Command c = ClockAdvanceCommand(delta, actor, std::move(command_id));
      c.idempotent = idempotent;
      queue_.push_back(Pending{std::move(c), std::move(done), delta});
      queue_cv_.notify_one();
      return;
    }
  }
  done(Outcome::Fail(Error::Unavailable("the engine is shutting down")));
}

std::uint64_t Engine::Subscribe(Subscriber s) {
  std::lock_guard lock(subs_mu_);
  const std::uint64_t id = next_sub_++;
  subscribers_.emplace(id, std::move(s));
  return id;
}

void Engine::Unsubscribe(std::uint64_t id) {
  std::lock_guard lock(subs_mu_);
  subscribers_.erase(id);
}

void Engine::WriterLoop() {
  while (true) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(queue_mu_);
      while (queue_.empty() && !stopping_) {
        if (catch_up_wanted_.load(std::memory_order_acquire)) {
          break;  // another server appended: an empty batch applies and publishes it
        }
        Timestamp next_due = 0;
        {
          std::shared_lock slock(mu_);
          if (const Timer* t = state_.timers.Next()) {
            next_due = t->due;
          }
        }
        if (next_due != 0 && !clock_.IsVirtual() && !timers_held_.load()) {
          const Timestamp now = clock_.Now();
          const auto retry_in = retry_timers_after_ - std::chrono::steady_clock::now();
          if (next_due <= now && retry_in <= std::chrono::steady_clock::duration::zero()) {
            break;  // a timer is due: run an empty batch to fire it
          }
          queue_cv_.wait_for(
              lock,
              next_due <= now
                  ? std::chrono::duration_cast<std::chrono::microseconds>(retry_in)
                  : std::chrono::microseconds(std::min<Timestamp>(next_due - now, Seconds(1))));
        } else {
          queue_cv_.wait_for(lock, std::chrono::seconds(1));
        }
      }
      if (queue_.empty() && stopping_) {
        return;
      }
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ProcessBatch(batch);
  }
}

std::optional<Outcome> Engine::FindPrior(const std::string& scoped_id, const BatchResult& batch) {
  if (auto it = batch.outcomes.find(scoped_id); it != batch.outcomes.end()) {
    return Outcome::FromJsonText(batch.records[it->second].outcome);
  }
  if (auto it = batch.stored.find(scoped_id); it != batch.stored.end()) {
    return Outcome::FromJsonText(it->second);
  }
  return std::nullopt;
}

void Engine::Stamp(std::vector<NewEvent>&& news, Timestamp at, const Actor& actor,
                   const std::string& command_id, BatchResult& out) {
  for (auto& ne : news) {
    // Made where it is kept: an event is some four hundred bytes of strings, and moving one into
    // the batch (then destroying the moved-from one) was a twentieth of the simulator's writer.
    Event& e = out.events.emplace_back();
    e.seq = state_.seq + 1;
    e.at = at;
    e.stream = std::move(ne.stream);
    e.type = std::move(ne.type);
    e.actor = actor;
    e.command_id = command_id;
    e.classification = std::move(ne.classification);
    if (ne.body) {
      ne.body->WritePayload(e.payload);  // `data` stays empty: see EventBody
      e.body = std::move(ne.body);
    } else {
      e.data = std::move(ne.data);
      e.payload = boost::json::serialize(e.data);
    }
    domain_.Apply(state_, e);
  }
}

void Engine::FireDueTimers(Timestamp until, bool set_virtual_clock, BatchResult& out) {
  for (int n = 0; n < kMaxTimersPerPass; ++n) {
    const Timer* next = state_.timers.Next();
    if (next == nullptr || next->due > until) {
      return;
    }
    Timer t = *next;
    const Timestamp at = set_virtual_clock ? std::max(t.due, clock_.Now()) : clock_.Now();
    if (set_virtual_clock) {
      static_cast<VirtualClock&>(clock_).Set(at);
    }
    auto decision = domain_.FireTimer(state_, t, MakeContext(at));
    std::vector<NewEvent> news;
    auto fired = std::make_shared<TimerFired>();
    fired->timer_id = t.id;
    fired->kind = t.kind;
    fired->due = t.due;
    if (!decision.ok()) fired->error = decision.error().message;
    news.push_back(
        NewEvent{t.stream, "timer.fired", classification::kSystem, {}, std::move(fired)});
    if (decision.ok()) {
      for (auto& e : decision->events) {
        news.push_back(std::move(e));
      }
    }
    Stamp(std::move(news), at, SystemActor(), "timer:" + t.id, out);
    stats_.timers_fired.fetch_add(1, std::memory_order_relaxed);
  }
}

Outcome Engine::DecideOne(const Command& c, Timestamp now, BatchResult& out) {
  std::optional<Result<Decision>> decided;
  try {
    decided.emplace(domain_.Decide(state_, c, MakeContext(now)));
  } catch (const std::exception& e) {
    // A defect in a decider must not take the writer down: the command fails, nothing changes.
    return Outcome::Fail(
        Error::Internal(std::string("could not decide ") + c.type + ": " + e.what()));
  }
  auto& decision = *decided;
  if (!decision.ok()) {
    stats_.rejected.fetch_add(1, std::memory_order_relaxed);
    return Outcome::Fail(std::move(decision).error());
  }
  const size_t first = out.events.size();
  Stamp(std::move(decision->events), now, c.actor, c.command_id, out);
  Outcome o;
  o.ok = true;
  if (out.events.size() > first) o.stream = out.events[first].stream;
  o.status = decision->status;
  if (c.wants_reply && c.reply_as_text && decision->reply_text) {
    o.reply_text = decision->reply_text(state_);  // `reply` stays null: the caller reads text
  } else {
    o.reply = decision->reply && c.wants_reply ? decision->reply(state_) : boost::json::object{};
  }
  o.seq = state_.seq;
  return o;
}

void Engine::HoldTimers(bool hold) {
  timers_held_.store(hold);
  queue_cv_.notify_all();  // on release, fire what fell due meanwhile
}

void Engine::ProcessBatch(std::vector<Pending>& batch) {
  BatchResult out;
  // About one and a half events a command: room for two, so that the batch's events are not
  // moved to a larger vector again and again as they are made (a command that makes more, or a
  // pass of timers, still grows it).
  out.events.reserve(2 * batch.size());
  std::vector<Outcome> outcomes(batch.size());
  const auto started = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  // A retry is answered with the first outcome, which the log holds from the commit that made
  // it: the batch's ids are looked up there, all in one read. (No copy of the outcomes is kept
  // in memory as well: a new id is never in it, so the read is made for every batch anyway, and
  // under load the copy cost the writer about a twentieth of its time and nearly 200 MB.) A command
  // that is not idempotent is neither looked up nor remembered: its id stays "".
  std::vector<std::string> scoped_ids;
  scoped_ids.reserve(batch.size());
  std::vector<std::string> lookup;
  for (const Pending& p : batch) {
    scoped_ids.push_back(p.command.idempotent ? ScopedId(p.command) : std::string());
    if (p.command.idempotent) {
      lookup.push_back(scoped_ids.back());
    }
  }
  out.events.reserve(batch.size() * 2);
  if (state_stale_) {
    // A rebuild after a failed append failed too (the log could not be read): the state may
    // hold events the log does not. Nothing is decided on it until a rebuild succeeds.
    Rebuild();
    if (state_stale_) {
      lock.unlock();
      FailAll(batch, Error::Unavailable("the state is being rebuilt from the log; try again"));
      return;
    }
  }
  const bool shared = log_.Shared();
  if (shared) {
    // Other servers append to this log too. Woken with nothing to do but catch up (or a timer
    // that may be due): apply and publish their events without taking the append lock.
    catch_up_wanted_.store(false, std::memory_order_release);
    const Timer* next = state_.timers.Next();
    const bool timer_due =
        next != nullptr && !clock_.IsVirtual() && !timers_held_.load() && next->due <= clock_.Now();
    if (batch.empty() && !timer_due) {
      (void)CatchUp(out.others);  // a read that failed is tried again at the next wake
      lock.unlock();
      PublishApplied(std::move(out.others));
      return;
    }
    // Otherwise: the append lock, then what the others appended before this batch is decided.
    auto begun = log_.BeginBatch();
    Status caught = begun.ok() ? CatchUp(out.others) : Status(begun.error());
    if (!caught.ok()) {
      log_.EndBatch();
      lock.unlock();
      const Error why =
          Error::Unavailable("the shared log could not be reached: " + caught.error().message);
      WriteFailed(why);
      FailAll(batch, why, std::move(out.others));
      return;
    }
  }
  if (auto stored = log_.FindCommands(lookup); stored.ok()) {
    out.stored = std::move(*stored);
  } else {
    // Without the log's answer a retry could run twice: refuse the batch; clients retry.
    if (shared) log_.EndBatch();
    lock.unlock();
    FailAll(batch, Error::Unavailable("the log could not be read: " + stored.error().message),
            std::move(out.others));
    return;
  }
  if (!clock_.IsVirtual() && !timers_held_.load()) {
    FireDueTimers(DecisionTime(), false, out);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    Pending& p = batch[i];
    const std::string& scoped = scoped_ids[i];
    if (auto prior = scoped.empty() ? std::nullopt : FindPrior(scoped, out)) {
      prior->duplicate = true;
      outcomes[i] = std::move(*prior);
      stats_.duplicates.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    stats_.commands.fetch_add(1, std::memory_order_relaxed);
    Outcome o;
    if (p.advance > 0) {
      auto& vc = static_cast<VirtualClock&>(clock_);
      const Timestamp from = vc.Now();
      const Timestamp target = from + p.advance;
      FireDueTimers(target, true, out);
      vc.Set(target);
      auto moved = std::make_shared<ClockAdvanced>();
      moved->from = from;
      moved->to = target;
      Stamp({NewEvent{"clock", "clock.advanced", classification::kSystem, {}, std::move(moved)}},
            target, p.command.actor, p.command.command_id, out);
      o.ok = true;
      o.reply = boost::json::object{{"now", FormatIso(target)}, {"seq", state_.seq}};
      o.seq = state_.seq;
    } else {
      try {
        o = DecideOne(p.command, DecisionTime(), out);
      } catch (const std::exception& e) {
        // Applying an event threw: the state may be half-changed. Rebuild it from the log and
        // fail the whole batch; nothing of it was written.
        if (shared) log_.EndBatch();
        Rebuild();
        std::vector<Event> unpublished = shared ? Unpublished() : std::vector<Event>{};
        lock.unlock();
        FailAll(batch,
                Error::Internal(std::string("could not apply ") + p.command.type + ": " + e.what()),
                std::move(unpublished));
        return;
      }
    }
    // Outcomes that depend on the moment (unavailable, internal) are not remembered.
    const bool remember =
        !scoped.empty() &&
        (o.ok || (o.error.code != ErrorCode::kUnavailable && o.error.code != ErrorCode::kInternal));
    if (remember) {
      if (o.ok && o.reply_text.empty()) o.reply_text = JsonText(o.reply);
      o.request = p.command.fingerprint.empty() ? RequestFingerprint(p.command)
                                                : std::move(p.command.fingerprint);
      out.outcomes.emplace(scoped, out.records.size());
      out.records.push_back(CommandRecord{scoped, o.ToJsonText()});
    }
    outcomes[i] = std::move(o);
  }
  Status st = OkStatus();
  if (!out.events.empty() || !out.records.empty()) {
    st = log_.Append(out.events, out.records);
  } else if (shared) {
    log_.EndBatch();
  }
  if (!st.ok()) {
    // Nothing was written: put the state back as the log has it and fail the whole batch.
    Rebuild();
    std::vector<Event> unpublished = shared ? Unpublished() : std::vector<Event>{};
    lock.unlock();
    const Error why = Error::Unavailable("the log could not be written: " + st.error().message);
    WriteFailed(why);
    FailAll(batch, why, std::move(unpublished));
    return;
  }
  if (write_failing_.exchange(false, std::memory_order_acq_rel)) {
    spdlog::info("the log is being written again");  // a write succeeded: recording again
  }
  head_seq_.store(state_.seq, std::memory_order_release);
  if (!out.events.empty()) {
    stats_.commits.fetch_add(1, std::memory_order_relaxed);
    stats_.events.fetch_add(out.events.size(), std::memory_order_relaxed);
  }
  stats_.last_batch.store(batch.size(), std::memory_order_relaxed);
  if (batch.size() > stats_.max_batch.load(std::memory_order_relaxed)) {
    stats_.max_batch.store(batch.size(), std::memory_order_relaxed);
  }
  stats_.commit_micros_total.fetch_add(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count(),
                                       std::memory_order_relaxed);
  MaybeSnapshot();
  lock.unlock();
  Completion c;
  if (out.others.empty()) {
    c.events = std::move(out.events);
  } else {
    c.events = std::move(out.others);
    c.events.insert(c.events.end(), std::make_move_iterator(out.events.begin()),
                    std::make_move_iterator(out.events.end()));
  }
  if (!c.events.empty()) published_seq_ = c.events.back().seq;
  c.batch = std::move(batch);
  c.outcomes = std::move(outcomes);
  Complete(std::move(c));
}

void Engine::FailAll(std::vector<Pending>& batch, const Error& why, std::vector<Event> events) {
  Completion c;
  // Events of a shared log that this batch applied or found (none otherwise): the subscribers
  // still see them, in order, whatever became of the batch.
  if (!events.empty()) published_seq_ = events.back().seq;
  c.events = std::move(events);
  c.outcomes.assign(batch.size(), Outcome::Fail(why));
  c.batch = std::move(batch);
  Complete(std::move(c));
}

void Engine::PublishApplied(std::vector<Event> events) {
  if (events.empty()) return;
  published_seq_ = events.back().seq;
  Completion c;
  c.events = std::move(events);
  Complete(std::move(c));
}

void Engine::Complete(Completion c) {
  if (!completer_.joinable()) {
    RunCompletion(c);
    return;
  }
  {
    std::lock_guard lock(completion_mu_);
    completions_.push_back(std::move(c));
  }
  completion_cv_.notify_one();
}

void Engine::RunCompletion(Completion& c) {
  // Subscribers first, so a client that has its reply finds the events already on the stream.
  if (!c.events.empty()) {
    Publish(std::move(c.events));
  }
  for (size_t i = 0; i < c.batch.size(); ++i) {
    c.batch[i].done(std::move(c.outcomes[i]));
  }
}

void Engine::CompletionLoop() {
  std::deque<Completion> ready;
  while (true) {
    {
      std::unique_lock lock(completion_mu_);
      completion_cv_.wait(lock, [this] { return completions_stopping_ || !completions_.empty(); });
      if (completions_.empty()) {
        return;  // stopping, and everything has been answered
      }
      ready.swap(completions_);
    }
    for (auto& c : ready) {
      RunCompletion(c);
    }
    ready.clear();  // the batches' commands, outcomes and (unless a subscriber kept them) events
  }
}

void Engine::MaybeSnapshot() {
  if (options_.snapshot_every == 0 || state_.seq - last_snapshot_seq_ < options_.snapshot_every) {
    return;
  }
  if (snapshot_busy_.load(std::memory_order_acquire)) {
    return;  // one at a time: due again after each batch until the one under way is stored
  }
  const auto now = std::chrono::steady_clock::now();
  if (last_snapshot_started_ && now - *last_snapshot_started_ < options_.snapshot_min_interval) {
    return;  // due again after each batch until the interval has passed
  }
  last_snapshot_started_ = now;
  if (snapshot_thread_.joinable()) {
    snapshot_thread_.join();  // it has finished
  }
  if (options_.snapshot_in_background && SnapshotInBackground()) {
    return;
  }
  Snapshot s{state_.seq, state_.ToSnapshot()};
  if (log_.SaveSnapshot(s).ok()) {
    last_snapshot_seq_ = state_.seq;
    stats_.snapshots.fetch_add(1, std::memory_order_relaxed);
  } else {
    stats_.snapshot_failures.fetch_add(1, std::memory_order_relaxed);
  }
}

bool Engine::SnapshotInBackground() {
  // The child sees the state exactly as at this moment: the writer holds the lock, between
  // batches, with everything in it durable.
  auto child = ForkedEncoding::Start([this] { return state_.ToSnapshot(); });
  if (!child.ok()) {
    return false;
  }
  const std::uint64_t seq = state_.seq;
  // A failure waits for the next snapshot_every events, not for the next batch.
  last_snapshot_seq_ = seq;
  snapshot_busy_.store(true, std::memory_order_release);
  snapshot_thread_ = std::thread([this, seq, encoding = std::move(*child)]() mutable {
    auto bytes = encoding.Collect();
    if (bytes.ok() && log_.SaveSnapshot(Snapshot{seq, std::move(*bytes)}).ok()) {
      stats_.snapshots.fetch_add(1, std::memory_order_relaxed);
    } else {
      stats_.snapshot_failures.fetch_add(1, std::memory_order_relaxed);
    }
    snapshot_busy_.store(false, std::memory_order_release);
  });
  return true;
}

void Engine::Publish(std::vector<Event>&& events) {
  std::lock_guard lock(subs_mu_);
  if (subscribers_.empty()) {
    return;  // nobody reads the events' data (the simulator): it is never parsed
  }
  // Off the writer: events with a typed body get their `data` back from the payload.
  for (auto& e : events) {
    MaterialiseData(e);
  }
  const auto batch = std::make_shared<const std::vector<Event>>(std::move(events));
  for (auto& [id, sub] : subscribers_) {
    sub(batch);
  }
}

}  // namespace concordat
