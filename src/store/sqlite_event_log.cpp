#include "store/sqlite_event_log.hpp"

#include <boost/json.hpp>
#include <mutex>

#include "store/hash_chain.hpp"
#include "store/sqlite.hpp"

namespace concordat {
namespace {

constexpr const char* kSelectEvents =
    "SELECT seq, at_us, stream, type, actor_user, actor_role, actor_agency, command_id, "
    "classification, payload, prev_hash, hash FROM events";

Event RowToEvent(const sqlite::Stmt& s) {
  Event e;
  e.seq = static_cast<std::uint64_t>(s.Int(0));
  e.at = s.Int(1);
  e.stream = s.Text(2);
  e.type = s.Text(3);
  e.actor.user_id = s.Text(4);
  e.actor.role = s.Text(5);
  e.actor.agency_id = s.Text(6);
  e.command_id = s.Text(7);
  e.classification = s.Text(8);
  e.payload = s.Text(9);
  e.prev_hash = s.Text(10);
  e.hash = s.Text(11);
  return e;
}

class SqliteEventLog final : public EventLog {
 public:
  Status Init(const std::string& path) {
    auto w = sqlite::Db::Open(path);
    if (!w.ok()) {
      return w.error();
    }
    writer_ = std::move(*w);
    if (auto st = writer_->Exec(kSchemaSql); !st.ok()) {
      return st;
    }
    auto r = sqlite::Db::Open(path);
    if (!r.ok()) {
      return r.error();
    }
    reader_ = std::move(*r);
    auto head = writer_->Prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    if (!head.ok()) {
      return head.error();
    }
    auto row = head->Step();
    if (!row.ok()) {
      return row.error();
    }
    if (*row) {
      head_seq_ = static_cast<std::uint64_t>(head->Int(0));
      head_hash_ = head->Text(1);
    }
    auto ins = writer_->Prepare(
        "INSERT INTO events (seq, at_us, stream, type, actor_user, actor_role, actor_agency, "
        "command_id, classification, payload, prev_hash, hash) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?)");
    auto cmd =
        writer_->Prepare("INSERT OR IGNORE INTO commands (command_id, outcome) VALUES (?,?)");
    auto max = writer_->Prepare("SELECT COALESCE(MAX(seq), 0) FROM events");
    auto find = writer_->Prepare("SELECT outcome FROM commands WHERE command_id = ?");
    if (!ins.ok() || !cmd.ok() || !max.ok() || !find.ok()) {
      return Error::Internal("cannot prepare log statements: " + writer_->LastError());
    }
    insert_event_ = std::move(*ins);
    insert_command_ = std::move(*cmd);
    max_seq_ = std::move(*max);
    find_command_ = std::move(*find);
    return OkStatus();
  }

  Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) override {
    std::lock_guard wlock(write_mu_);
    std::uint64_t head = 0;
    std::string head_hash;
    {
      std::lock_guard lock(head_mu_);
      head = head_seq_;
      head_hash = head_hash_;
    }
    std::uint64_t expect = head + 1;
    for (const auto& e : events) {
      if (e.seq != expect++) {
        return Error::Internal("append out of sequence at " + std::to_string(e.seq));
      }
    }
    ChainEvents(events, head_hash);
    if (auto st = writer_->Exec("BEGIN IMMEDIATE"); !st.ok()) {
      return st;
    }
    auto fail = [&](Error e) -> Status {
      (void)writer_->Exec("ROLLBACK");
      return e;
    };
    // Another process must not have written behind our back (e.g. two servers on one file).
    auto row = max_seq_.Step();
    if (!row.ok()) {
      return fail(row.error());
    }
    const auto db_head = static_cast<std::uint64_t>(max_seq_.Int(0));
    max_seq_.Reset();
    if (db_head != head) {
      return fail(Error{ErrorCode::kAborted,
                        "log head moved underneath this process (expected " + std::to_string(head) +
                            ", found " + std::to_string(db_head) + ")",
                        {},
                        {}});
    }
    for (const auto& e : events) {
      insert_event_.Bind(1, static_cast<std::int64_t>(e.seq))
          .Bind(2, e.at)
          .Bind(3, e.stream)
          .Bind(4, e.type)
          .Bind(5, e.actor.user_id)
          .Bind(6, e.actor.role)
          .Bind(7, e.actor.agency_id)
          .Bind(8, e.command_id)
          .Bind(9, e.classification)
          .Bind(10, e.payload)
          .Bind(11, e.prev_hash)
          .Bind(12, e.hash);
      if (auto st = insert_event_.Run(); !st.ok()) {
        return fail(st.error());
      }
    }
    for (const auto& c : commands) {
      insert_command_.Bind(1, c.command_id).Bind(2, c.outcome);
      if (auto st = insert_command_.Run(); !st.ok()) {
        return fail(st.error());
      }
    }
    if (auto st = writer_->Exec("COMMIT"); !st.ok()) {
      return fail(st.error());
    }
    if (!events.empty()) {
      std::lock_guard lock(head_mu_);
      head_seq_ = events.back().seq;
      head_hash_ = events.back().hash;
    }
    return OkStatus();
  }

  std::uint64_t HeadSeq() const override {
    std::lock_guard lock(head_mu_);
    return head_seq_;
  }

  std::string HeadHash() const override {
    std::lock_guard lock(head_mu_);
    return head_hash_;
  }

  Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) override {
    std::lock_guard lock(read_mu_);
    auto st = reader_->Prepare(std::string(kSelectEvents) + " WHERE seq > ? ORDER BY seq LIMIT ?");
    if (!st.ok()) {
      return st.error();
    }
    st->Bind(1, static_cast<std::int64_t>(after)).Bind(2, static_cast<std::int64_t>(limit));
    return ReadRows(*st);
  }

  Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) override {
    std::lock_guard lock(read_mu_);
    auto st =
        reader_->Prepare(std::string(kSelectEvents) + " WHERE stream = ? ORDER BY seq LIMIT ?");
    if (!st.ok()) {
      return st.error();
    }
    st->Bind(1, stream).Bind(2, static_cast<std::int64_t>(limit));
    return ReadRows(*st);
  }

  static Result<std::vector<Event>> ReadRows(sqlite::Stmt& stmt) {
    auto* st = &stmt;
    std::vector<Event> out;
    while (true) {
      auto row = st->Step();
      if (!row.ok()) {
        return row.error();
      }
      if (!*row) {
        break;
      }
      Event e = RowToEvent(*st);
      boost::system::error_code ec;
      auto v = boost::json::parse(e.payload, ec);
      if (!ec && v.is_object()) {
        e.data = std::move(v.as_object());
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::optional<std::string>> FindCommand(const std::string& id) override {
    std::lock_guard lock(read_mu_);
    auto st = reader_->Prepare("SELECT outcome FROM commands WHERE command_id = ?");
    if (!st.ok()) {
      return st.error();
    }
    st->Bind(1, id);
    auto row = st->Step();
    if (!row.ok()) {
      return row.error();
    }
    if (!*row) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(st->Text(0));
  }

  // On the writer's connection (the writer asks, between its appends), with a statement prepared
  // once and one read transaction for the whole list: an index probe per id.
  Result<std::unordered_map<std::string, std::string>> FindCommands(
      const std::vector<std::string>& ids) override {
    std::unordered_map<std::string, std::string> found;
    if (ids.empty()) return found;
    std::lock_guard wlock(write_mu_);
    if (auto st = writer_->Exec("BEGIN"); !st.ok()) return st.error();
    for (const auto& id : ids) {
      find_command_.Bind(1, id);
      auto row = find_command_.Step();
      if (!row.ok()) {
        find_command_.Reset();
        (void)writer_->Exec("ROLLBACK");
        return row.error();
      }
      if (*row) found.emplace(id, find_command_.Text(0));
      find_command_.Reset();
    }
    if (auto st = writer_->Exec("COMMIT"); !st.ok()) return st.error();
    return found;
  }

  Status SaveSnapshot(const Snapshot& s) override {
    std::lock_guard wlock(write_mu_);
    auto st = writer_->Prepare("INSERT OR REPLACE INTO snapshots (seq, state) VALUES (?, ?)");
    if (!st.ok()) {
      return st.error();
    }
    st->Bind(1, static_cast<std::int64_t>(s.seq)).Bind(2, s.state);
    if (auto r = st->Run(); !r.ok()) {
      return r;
    }
    // Keep the two newest: one to start from and one in reserve.
    return writer_->Exec(
        "DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC "
        "LIMIT 2)");
  }

  Result<std::optional<Snapshot>> LatestSnapshot() override {
    std::lock_guard lock(read_mu_);
    auto st = reader_->Prepare("SELECT seq, state FROM snapshots ORDER BY seq DESC LIMIT 1");
    if (!st.ok()) {
      return st.error();
    }
    auto row = st->Step();
    if (!row.ok()) {
      return row.error();
    }
    if (!*row) {
      return std::optional<Snapshot>();
    }
    return std::optional<Snapshot>(Snapshot{static_cast<std::uint64_t>(st->Int(0)), st->Text(1)});
  }

  Result<VerifyReport> Verify() override {
    std::lock_guard lock(read_mu_);
    auto st = reader_->Prepare(std::string(kSelectEvents) + " ORDER BY seq");
    if (!st.ok()) {
      return st.error();
    }
    VerifyReport r;
    std::string prev;
    std::uint64_t expect = 1;
    while (true) {
      auto row = st->Step();
      if (!row.ok()) {
        return row.error();
      }
      if (!*row) {
        break;
      }
      Event e = RowToEvent(*st);
      std::string problem = CheckEventLink(e, expect, prev);
      if (!problem.empty()) {
        r.ok = false;
        r.first_bad_seq = expect;
        r.problem = problem;
        return r;
      }
      prev = e.hash;
      ++expect;
      ++r.count;
    }
    r.head_hash = prev;
    return r;
  }

 private:
  std::unique_ptr<sqlite::Db> writer_;
  std::unique_ptr<sqlite::Db> reader_;
  sqlite::Stmt insert_event_;
  sqlite::Stmt insert_command_;
  sqlite::Stmt max_seq_;
  sqlite::Stmt find_command_;
  std::mutex write_mu_;
  std::mutex read_mu_;
  mutable std::mutex head_mu_;
  std::uint64_t head_seq_ = 0;
  std::string head_hash_;
};

}  // namespace

Result<std::unique_ptr<EventLog>> OpenSqliteEventLog(const std::string& path) {
  auto log = std::make_unique<SqliteEventLog>();
  if (auto st = log->Init(path); !st.ok()) {
    return st.error();
  }
  return std::unique_ptr<EventLog>(std::move(log));
}

}  // namespace concordat
