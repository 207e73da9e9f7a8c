#include "store/access_log.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "store/sql_conn.hpp"

namespace concordat {

namespace {

constexpr const char* kInsertColumns =
    "INSERT INTO access_log (at_us, user_id, role, agency_id, action, what, categories, "
    "justification, recipient, route) VALUES ";
constexpr const char* kOneRow = "(?,?,?,?,?,?,?,?,?,?)";
// Rows per INSERT: one statement for a burst of entries (on PostgreSQL each statement is a round
// trip), far below the parameters either database allows in one (32,766 and 65,535).
constexpr size_t kRowsPerInsert = 100;

Status Insert(sql::Conn& db, const std::vector<const AccessEntry*>& entries) {
  std::string sql = kInsertColumns;
  std::vector<sql::Value> params;
  params.reserve(entries.size() * 10);
  for (const AccessEntry* e : entries) {
    sql += params.empty() ? kOneRow : std::string(",") + kOneRow;
    params.insert(params.end(), {e->at, e->user_id, e->role, e->agency_id, e->action, e->what,
                                 e->categories, e->justification, e->recipient, e->route});
  }
  auto r = db.Query(sql, params);
  return r.ok() ? OkStatus() : Status(r.error());
}

}  // namespace

struct AccessLog::Impl {
  std::unique_ptr<sql::Conn> writer;
  std::unique_ptr<sql::Conn> reader;
  std::mutex read_mu;
  std::mutex mu;
  std::condition_variable cv;
  struct Pending {
    std::vector<AccessEntry> entries;
    std::promise<Status> done;
  };
  std::deque<Pending> queue;
  bool stopping = false;
  std::thread thread;

  void Run() {
    while (true) {
      std::deque<Pending> batch;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty()) return;
        batch.swap(queue);
      }
      // Appending takes no lock on PostgreSQL: rows only ever join the table.
      const Status st = sql::Transact(*writer, 0, [&]() -> Status {
        std::vector<const AccessEntry*> rows;
        for (const auto& p : batch) {
          for (const auto& e : p.entries) {
            rows.push_back(&e);
            if (rows.size() == kRowsPerInsert) {
              if (auto st = Insert(*writer, rows); !st.ok()) return st;
              rows.clear();
            }
          }
        }
        return rows.empty() ? OkStatus() : Insert(*writer, rows);
      });
      for (auto& p : batch) p.done.set_value(st);
    }
  }
};

AccessLog::AccessLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->thread.join();
}

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  return OpenWith([&path] { return sql::OpenSqlite(path); });
}

Result<std::unique_ptr<AccessLog>> AccessLog::OpenPostgres(const std::string& url) {
  return OpenWith([&url] { return sql::OpenPostgres(url); });
}

Result<std::unique_ptr<AccessLog>> AccessLog::OpenWith(
    const std::function<Result<std::unique_ptr<sql::Conn>>()>& open) {
  auto impl = std::make_unique<Impl>();
  auto w = open();
  if (!w.ok()) return w.error();
  impl->writer = std::move(*w);
  auto r = open();
  if (!r.ok()) return r.error();
  impl->reader = std::move(*r);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(impl)));
}

Status AccessLog::Record(AccessEntry entry) {
  std::vector<AccessEntry> v;
  v.push_back(std::move(entry));
  return RecordMany(std::move(v));
}

Status AccessLog::RecordMany(std::vector<AccessEntry> entries) {
  if (entries.empty()) return OkStatus();
  std::future<Status> f;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return Error::Unavailable("the access log is closing");
    impl_->queue.push_back(Impl::Pending{std::move(entries), {}});
    f = impl_->queue.back().done.get_future();
  }
  impl_->cv.notify_one();
  return f.get();
}

Result<std::vector<AccessEntry>> AccessLog::Query(const AccessQuery& q) {
  std::lock_guard lock(impl_->read_mu);
  std::string sql =
      "SELECT id, at_us, user_id, role, agency_id, action, what, categories, justification, "
      "recipient, route FROM access_log WHERE at_us >= ? AND at_us < ?";
  std::vector<sql::Value> params{q.from, q.to};
  if (!q.user_id.empty()) {
    sql += " AND user_id = ?";
    params.emplace_back(q.user_id);
  }
  if (!q.what_prefix.empty()) {
    sql += " AND substr(what, 1, ?) = ?";
    params.emplace_back(static_cast<std::int64_t>(q.what_prefix.size()));
    params.emplace_back(q.what_prefix);
  }
  if (!q.whats.empty()) {
    sql += " AND what IN (";
    for (size_t i = 0; i < q.whats.size(); ++i) {
      sql += i ? ",?" : "?";
      params.emplace_back(q.whats[i]);
    }
    sql += ")";
  }
  sql += q.newest_first ? " ORDER BY id DESC LIMIT ?" : " ORDER BY id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(std::min<size_t>(q.limit, INT64_MAX)));
  auto rows = impl_->reader->Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<AccessEntry> out;
  out.reserve(rows->size());
  for (int r = 0; r < rows->size(); ++r) {
    out.push_back(AccessEntry{rows->Int(r, 0), rows->Int(r, 1), rows->Text(r, 2), rows->Text(r, 3),
                              rows->Text(r, 4), rows->Text(r, 5), rows->Text(r, 6),
                              rows->Text(r, 7), rows->Text(r, 8), rows->Text(r, 9),
                              rows->Text(r, 10)});
  }
  return out;
}

}  // namespace concordat
