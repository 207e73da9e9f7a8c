#include "store/pg_event_log.hpp"

#include <sodium.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "store/hash_chain.hpp"
#include "store/log_head.hpp"
#include "store/log_witnesses.hpp"
#include "store/pg.hpp"

namespace concordat {
namespace {

// Advisory lock keys (class, object): one class for Concordat's log, an object per purpose.
constexpr const char* kAppendLock = "1129270883, 1";    // the append lock (transaction-scoped)
constexpr const char* kSnapshotLock = "1129270883, 2";  // one snapshot saved at a time
constexpr const char* kSchemaLock = "1129270883, 3";    // creating the tables

constexpr const char* kChannel = "concordat_log";
// Health's `problem` while the listener cannot reach the database (health is read signed out:
// no address in it).
constexpr const char* kUnreachable = "cannot reach the shared PostgreSQL database";

// The log's tables, as in the SQLite file (docs/LOG_FORMAT.md) with PostgreSQL's types. The
// timeline reads through an ordinary index on (stream, seq): PostgreSQL's own WAL takes its
// writes, so the rounds the SQLite log writes its stream index in are not needed here.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  seq            BIGINT PRIMARY KEY,
  at_us          BIGINT NOT NULL,
  stream         TEXT NOT NULL,
  type           TEXT NOT NULL,
  actor_user     TEXT NOT NULL,
  actor_role     TEXT NOT NULL,
  actor_agency   TEXT NOT NULL,
  command_id     TEXT NOT NULL,
  classification TEXT NOT NULL,
  payload        TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream, seq);
CREATE TABLE IF NOT EXISTS commands (
  command_id TEXT PRIMARY KEY,
  outcome    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
  seq   BIGINT PRIMARY KEY,
  state BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_parts (
  seq   BIGINT NOT NULL,
  part  INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (seq, part)
);
)sql";

constexpr const char* kSelectEvents =
    "SELECT seq, at_us, stream, type, actor_user, actor_role, actor_agency, command_id, "
    "classification, payload, prev_hash, hash FROM events";

// Rows per multi-row INSERT (12 parameters each; PostgreSQL takes at most 65,535).
constexpr size_t kRowsPerInsert = 1000;
constexpr size_t kVerifyBatch = 1024;

Event RowToEvent(const pg::Rows& rows, int r) {
  Event e;
  e.seq = static_cast<std::uint64_t>(rows.Int(r, 0));
  e.at = rows.Int(r, 1);
  e.stream = rows.Text(r, 2);
  e.type = rows.Text(r, 3);
  e.actor.user_id = rows.Text(r, 4);
  e.actor.role = rows.Text(r, 5);
  e.actor.agency_id = rows.Text(r, 6);
  e.command_id = rows.Text(r, 7);
  e.classification = rows.Text(r, 8);
  e.payload = rows.Text(r, 9);
  e.prev_hash = rows.Text(r, 10);
  e.hash = rows.Text(r, 11);
  return e;
}

// "INSERT INTO <table> VALUES ($1,...,$k),($k+1,...)..." for `rows` rows of `columns` values.
std::string MultiRowInsert(std::string_view head, size_t rows, size_t columns,
                           std::string_view tail) {
  std::string sql(head);
  sql += " VALUES ";
  size_t n = 1;
  for (size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ",(";
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) sql += ',';
      sql += '$';
      sql += std::to_string(n++);
    }
    sql += ')';
  }
  sql += tail;
  return sql;
}

// A PostgreSQL text[] literal: {"a","b"} with quotes and backslashes escaped.
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

class PgEventLog final : public EventLog {
 public:
  ~PgEventLog() override { Watch({}); }

  Status Init(const std::string& url, const PgLogOptions& options) {
    options_ = options;
    unsigned char token[8];
    randombytes_buf(token, sizeof token);
    for (unsigned char b : token) {
      static constexpr char kHex[] = "0123456789abcdef";
      token_ += kHex[b >> 4];
      token_ += kHex[b & 15];
    }
    url_ = url;
    for (auto* conn : {&writer_, &reader_, &snap_}) {
      auto c = pg::Conn::Open(url);
      if (!c.ok()) return c.error();
      *conn = std::move(*c);
    }
    if (options.writer) {
      // Two servers starting at once must not both create the tables.
      if (auto st = InTransaction(*writer_, kSchemaLock, [&] { return writer_->Exec(kSchema); });
          !st.ok()) {
        return st;
      }
    } else {
      auto there = reader_->Query("SELECT to_regclass('events') IS NOT NULL");
      if (!there.ok()) return there.error();
      if (there->View(0, 0) != "t") {
        return Error::NotFound("no Concordat log in the PostgreSQL database " +
                               pg::Conn::Redacted(url) +
                               " (no events table): is --database the right one?");
      }
    }
    return RefreshHead(*reader_);
  }

  bool Shared() const override { return true; }

  Result<std::uint64_t> BeginBatch() override {
    if (!options_.writer) return ReadOnly();
    std::lock_guard wlock(write_mu_);
    if (in_batch_) return HeadSeq();
    if (auto st = writer_->Exec("BEGIN"); !st.ok()) return st.error();
    auto lock = writer_->Query(std::string("SELECT pg_advisory_xact_lock(") + kAppendLock + ")");
    if (!lock.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return lock.error();
    }
    if (auto st = RefreshHead(*writer_); !st.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return st.error();
    }
    in_batch_ = true;
    return HeadSeq();
  }

  void EndBatch() override {
    std::lock_guard wlock(write_mu_);
    if (in_batch_) {
      (void)writer_->Exec("ROLLBACK");  // nothing was written: releases the lock
      in_batch_ = false;
    }
  }

  Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) override {
    if (!options_.writer) return ReadOnly();
    if (auto begun = BeginBatch(); !begun.ok()) return begun.error();
    std::lock_guard wlock(write_mu_);
    auto fail = [&](Error e) -> Status {
      (void)writer_->Exec("ROLLBACK");
      in_batch_ = false;
      return e;
    };
    auto [head, head_hash] = head_.Get();
    std::uint64_t expect = head + 1;
    for (const auto& e : events) {
      if (e.seq != expect++) {
        return fail(Error{ErrorCode::kAborted,
                          "log head moved: event " + std::to_string(e.seq) +
                              " does not continue the log's head " + std::to_string(head),
                          {},
                          {}});
      }
    }
    ChainEvents(events, head_hash);
    for (size_t at = 0; at < events.size(); at += kRowsPerInsert) {
      const size_t n = std::min(kRowsPerInsert, events.size() - at);
      std::vector<pg::Param> params;
      params.reserve(n * 12);
      for (size_t i = at; i < at + n; ++i) {
        const Event& e = events[i];
        params.insert(params.end(),
                      {pg::Param(e.seq), pg::Param(std::int64_t{e.at}), e.stream, e.type,
                       e.actor.user_id, e.actor.role, e.actor.agency_id, e.command_id,
                       e.classification, e.payload, e.prev_hash, e.hash});
      }
      auto ins = writer_->Query(MultiRowInsert("INSERT INTO events", n, 12, ""), params);
      if (!ins.ok()) return fail(ins.error());
    }
    for (size_t at = 0; at < commands.size(); at += kRowsPerInsert) {
      const size_t n = std::min(kRowsPerInsert, commands.size() - at);
      std::vector<pg::Param> params;
      params.reserve(n * 2);
      for (size_t i = at; i < at + n; ++i) {
        params.emplace_back(commands[i].command_id);
        params.emplace_back(commands[i].outcome);
      }
      auto ins = writer_->Query(MultiRowInsert("INSERT INTO commands (command_id, outcome)", n, 2,
                                               " ON CONFLICT (command_id) DO NOTHING"),
                                params);
      if (!ins.ok()) return fail(ins.error());
    }
    if (!events.empty()) {
      // Delivered to the listeners when (and only if) the transaction commits.
      auto note = writer_->Query("SELECT pg_notify($1, $2)",
                                 {kChannel, token_ + ":" + std::to_string(events.back().seq)});
      if (!note.ok()) return fail(note.error());
    }
    if (auto st = writer_->Exec("COMMIT"); !st.ok()) return fail(st.error());
    in_batch_ = false;
    head_.Advance(events);
    return OkStatus();
  }

  std::uint64_t HeadSeq() const override { return head_.seq(); }
  std::string HeadHash() const override { return head_.hash(); }

  Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) override {
    return Read(std::string(kSelectEvents) + " WHERE seq > $1 ORDER BY seq LIMIT $2",
                {pg::Param(after), pg::Param(static_cast<std::uint64_t>(limit))}, true);
  }

  Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) override {
    return Read(std::string(kSelectEvents) + " WHERE stream = $1 ORDER BY seq LIMIT $2",
                {stream, pg::Param(static_cast<std::uint64_t>(limit))}, true);
  }

  Result<std::optional<std::string>> FindCommand(const std::string& id) override {
    auto found = FindCommands({id});
    if (!found.ok()) return found.error();
    auto it = found->find(id);
    if (it == found->end()) return std::optional<std::string>();
    return std::optional<std::string>(std::move(it->second));
  }

  Result<std::unordered_map<std::string, std::string>> FindCommands(
      const std::vector<std::string>& ids) override {
    std::unordered_map<std::string, std::string> found;
    if (ids.empty()) return found;
    std::lock_guard lock(read_mu_);
    auto rows = reader_->Query(
        "SELECT command_id, outcome FROM commands WHERE command_id = ANY($1::text[])",
        {TextArray(ids)});
    if (!rows.ok()) return rows.error();
    for (int r = 0; r < rows->size(); ++r) {
      found.emplace(rows->Text(r, 0), rows->Text(r, 1));
    }
    return found;
  }

  // Parts first, each in a transaction of its own, then the head row, so that a snapshot is
  // never read before it is whole. Another server saving one at the same time: this one is
  // skipped (they are snapshots of the same log; one is enough).
  Status SaveSnapshot(const Snapshot& s) override {
    if (!options_.writer) return ReadOnly();
    std::lock_guard lock(snap_mu_);
    auto mine = snap_->Query(std::string("SELECT pg_try_advisory_lock(") + kSnapshotLock + ")");
    if (!mine.ok()) return mine.error();
    if (mine->View(0, 0) != "t") return OkStatus();
    const Status st = StoreSnapshot(s);
    (void)snap_->Query(std::string("SELECT pg_advisory_unlock(") + kSnapshotLock + ")");
    return st;
  }

  Result<std::optional<Snapshot>> LatestSnapshot() override {
    std::lock_guard lock(snap_mu_);
    if (auto st = snap_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ"); !st.ok()) {
      return st.error();
    }
    auto out = ReadLatestSnapshot();
    (void)snap_->Exec("COMMIT");
    return out;
  }

  Result<VerifyReport> Verify() override {
    VerifyReport r;
    std::string prev;
    while (true) {
      std::vector<Event> batch;
      {
        std::lock_guard lock(read_mu_);
        auto rows =
            reader_->Query(std::string(kSelectEvents) + " WHERE seq > $1 ORDER BY seq LIMIT $2",
                           {pg::Param(r.count), pg::Param(std::uint64_t{kVerifyBatch})});
        if (!rows.ok()) return rows.error();
        for (int i = 0; i < rows->size(); ++i) batch.push_back(RowToEvent(*rows, i));
      }
      if (batch.empty()) break;
      const LinkCheck check = CheckEventLinks(batch, r.count + 1, prev);
      if (check.first_bad < batch.size()) {
        r.ok = false;
        r.first_bad_seq = r.count + 1 + check.first_bad;
        r.problem = check.problem;
        r.count += check.first_bad;  // the events before it in this batch were whole
        return r;
      }
      prev = batch.back().hash;
      r.count += batch.size();
    }
    r.head_hash = prev;
    // A chain cut short is still a whole chain: see LogWitnesses.
    LogWitnesses w;
    {
      std::lock_guard lock(read_mu_);
      auto rows = reader_->Query(
          "SELECT (SELECT COALESCE(MAX(((outcome::jsonb) ->> 'seq')::bigint), 0) FROM commands), "
          "(SELECT COALESCE(MAX(seq), 0) FROM snapshots)");
      if (!rows.ok()) return rows.error();
      w.command_outcome = static_cast<std::uint64_t>(rows->Int(0, 0));
      w.snapshot = static_cast<std::uint64_t>(rows->Int(0, 1));
    }
    CheckWitnesses(w, r);
    return r;
  }

  void Watch(std::function<void()> appended) override {
    const bool watching = static_cast<bool>(appended);
    {
      std::lock_guard lock(watch_mu_);
      on_append_ = std::move(appended);
    }
    if (watching) {
      if (!watcher_.joinable()) {
        watch_stop_ = false;
        watcher_ = std::thread([this] { WatchLoop(); });
      }
      return;
    }
    if (watcher_.joinable()) {
      watch_stop_ = true;
      watcher_.join();
    }
  }

  std::string Problem() const override {
    std::lock_guard lock(problem_mu_);
    return problem_;
  }

 private:
  static Error ReadOnly() {
    return Error::FailedPrecondition("this log was opened to read; only a writer appends");
  }

  // BEGIN, the advisory lock `key`, `body`, COMMIT (ROLLBACK if anything failed).
  template <class F>
  static Status InTransaction(pg::Conn& conn, const char* key, F&& body) {
    if (auto st = conn.Exec("BEGIN"); !st.ok()) return st;
    Status st = OkStatus();
    if (auto lock = conn.Query(std::string("SELECT pg_advisory_xact_lock(") + key + ")");
        !lock.ok()) {
      st = lock.error();
    }
    if (st.ok()) st = body();
    if (st.ok()) st = conn.Exec("COMMIT");
    if (!st.ok()) (void)conn.Exec("ROLLBACK");
    return st;
  }

  Status RefreshHead(pg::Conn& conn) {
    auto rows = conn.Query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    if (!rows.ok()) return rows.error();
    head_.Set(rows->empty() ? 0 : static_cast<std::uint64_t>(rows->Int(0, 0)),
              rows->empty() ? std::string() : rows->Text(0, 1));
    return OkStatus();
  }

  Result<std::vector<Event>> Read(const std::string& sql, const std::vector<pg::Param>& params,
                                  bool parse) {
    std::lock_guard lock(read_mu_);
    auto rows = reader_->Query(sql, params);
    if (!rows.ok()) return rows.error();
    std::vector<Event> out;
    out.reserve(static_cast<size_t>(rows->size()));
    for (int r = 0; r < rows->size(); ++r) {
      Event e = RowToEvent(*rows, r);
      if (parse) DataFromPayload(e);
      out.push_back(std::move(e));
    }
    head_.Advance(out);
    return out;
  }

  Status StoreSnapshot(const Snapshot& s) {
    const std::string_view bytes = s.state;
    const size_t part = std::max<size_t>(options_.snapshot_part_bytes, 1);
    const auto seq = static_cast<std::int64_t>(s.seq);
    // Parts of a save cut short, and of snapshots no head row names, go first.
    if (auto st =
            snap_->Exec("DELETE FROM snapshot_parts WHERE seq NOT IN (SELECT seq FROM snapshots)");
        !st.ok()) {
      return st;
    }
    auto gone = snap_->Query("DELETE FROM snapshots WHERE seq = $1", {pg::Param(seq)});
    if (!gone.ok()) return gone.error();
    (void)snap_->Query("DELETE FROM snapshot_parts WHERE seq = $1", {pg::Param(seq)});
    int n = 1;
    for (size_t at = part; at < bytes.size(); at += part, ++n) {
      auto ins =
          snap_->Query("INSERT INTO snapshot_parts (seq, part, bytes) VALUES ($1, $2, $3)",
                       {pg::Param(seq), pg::Param(n), pg::Param::Bytes(bytes.substr(at, part))});
      if (!ins.ok()) return ins.error();
    }
    if (auto st = snap_->Exec("BEGIN"); !st.ok()) return st;
    auto head = snap_->Query("INSERT INTO snapshots (seq, state) VALUES ($1, $2)",
                             {pg::Param(seq), pg::Param::Bytes(bytes.substr(0, part))});
    Status st = head.ok() ? OkStatus() : Status(head.error());
    // Keep the two newest: one to start from and one in reserve.
    if (st.ok()) {
      st = snap_->Exec(
          "DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC "
          "LIMIT 2); DELETE FROM snapshot_parts WHERE seq NOT IN (SELECT seq FROM snapshots)");
    }
    if (st.ok()) st = snap_->Exec("COMMIT");
    if (!st.ok()) (void)snap_->Exec("ROLLBACK");
    return st;
  }

  Result<std::optional<Snapshot>> ReadLatestSnapshot() {
    auto head =
        snap_->Query("SELECT seq, state FROM snapshots ORDER BY seq DESC LIMIT 1", {}, true);
    if (!head.ok()) return head.error();
    if (head->empty()) return std::optional<Snapshot>();
    // Binary results: the seq arrives as 8 big-endian bytes.
    std::uint64_t seq = 0;
    for (unsigned char b : head->View(0, 0)) seq = (seq << 8) | b;
    Snapshot s{seq, head->Text(0, 1)};
    auto parts = snap_->Query("SELECT bytes FROM snapshot_parts WHERE seq = $1 ORDER BY part",
                              {pg::Param(seq)}, true);
    if (!parts.ok()) return parts.error();
    for (int r = 0; r < parts->size(); ++r) s.state.append(parts->View(r, 0));
    return std::optional<Snapshot>(std::move(s));
  }

  // The listener: LISTEN on its own connection; on another writer's notification (or, with
  // none, when the head has moved at the poll), calls on_append_. A lost connection is retried
  // at the poll interval; after it comes back the head is compared again, so nothing is missed.
  void WatchLoop() {
    std::unique_ptr<pg::Conn> conn;
    int listening_since = -1;  // conn->resets() when LISTEN was issued
    std::uint64_t seen = HeadSeq();
    while (!watch_stop_) {
      if (!conn) {
        auto c = pg::Conn::Open(url_);
        if (!c.ok()) {
          SetProblem(kUnreachable);
          std::this_thread::sleep_for(std::chrono::milliseconds(options_.watch_poll_ms));
          continue;
        }
        conn = std::move(*c);
        listening_since = -1;
      }
      if (listening_since != conn->resets()) {
        // A new connection (or one made again after the server dropped it) is not listening.
        if (!conn->Exec(std::string("LISTEN ") + kChannel).ok()) {
          conn.reset();
          std::this_thread::sleep_for(std::chrono::milliseconds(options_.watch_poll_ms));
          continue;
        }
        listening_since = conn->resets();
      }
      auto notes = conn->WaitNotifications(std::min(options_.watch_poll_ms, 200));
      if (!notes.ok()) {
        SetProblem(kUnreachable);
        conn.reset();
        continue;
      }
      SetProblem("");
      bool others = false;
      for (const auto& n : *notes) {
        if (n.rfind(token_ + ":", 0) != 0) others = true;
      }
      if (!others && notes->empty()) {
        // Nothing heard: look at the head now and then, in case a notification was lost.
        const auto now = std::chrono::steady_clock::now();
        if (now - last_poll_ < std::chrono::milliseconds(options_.watch_poll_ms)) continue;
        last_poll_ = now;
        auto rows = conn->Query("SELECT COALESCE(MAX(seq), 0) FROM events");
        if (!rows.ok()) {
          conn.reset();
          continue;
        }
        const auto head = static_cast<std::uint64_t>(rows->Int(0, 0));
        others = head > seen && head > HeadSeq();
        seen = std::max(seen, head);
      }
      if (others) {
        std::lock_guard lock(watch_mu_);
        if (on_append_) on_append_();
      }
    }
  }

  void SetProblem(std::string why) {
    std::lock_guard lock(problem_mu_);
    problem_ = std::move(why);
  }

  PgLogOptions options_;
  mutable std::mutex problem_mu_;
  std::string problem_;  // the listener's: why the database cannot be reached, or ""
  std::string url_;
  std::string token_;  // this log's writer, in its notifications
  std::unique_ptr<pg::Conn> writer_;
  std::unique_ptr<pg::Conn> reader_;
  std::unique_ptr<pg::Conn> snap_;
  std::mutex write_mu_;
  bool in_batch_ = false;  // under write_mu_: a transaction holding the append lock is open
  std::mutex read_mu_;
  std::mutex snap_mu_;
  LogHead head_;
  std::mutex watch_mu_;
  std::function<void()> on_append_;
  std::atomic<bool> watch_stop_{false};
  std::thread watcher_;
  std::chrono::steady_clock::time_point last_poll_{};
};

}  // namespace

Result<std::unique_ptr<EventLog>> OpenPgEventLog(const std::string& url,
                                                 const PgLogOptions& options) {
  auto log = std::make_unique<PgEventLog>();
  if (auto st = log->Init(url, options); !st.ok()) {
    return st.error();
  }
  return std::unique_ptr<EventLog>(std::move(log));
}

}  // namespace concordat
