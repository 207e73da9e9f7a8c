#include "store/access_log.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "store/sqlite.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat {

struct AccessLog::Impl {
  std::unique_ptr<sqlite::Db> writer;
  std::unique_ptr<sqlite::Db> reader;
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
    auto insert = writer->Prepare(
        "INSERT INTO access_log (at_us, user_id, role, agency_id, action, what, categories, "
        "justification, recipient, route) VALUES (?,?,?,?,?,?,?,?,?,?)");
    while (true) {
      std::deque<Pending> batch;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty()) return;
        batch.swap(queue);
      }
      Status st = insert.ok() ? OkStatus() : Status(insert.error());
      if (st.ok()) st = writer->Exec("BEGIN IMMEDIATE");
      if (st.ok()) {
        for (auto& p : batch) {
          for (const auto& e : p.entries) {
            insert->Bind(1, e.at).Bind(2, e.user_id).Bind(3, e.role).Bind(4, e.agency_id);
            insert->Bind(5, e.action).Bind(6, e.what).Bind(7, e.categories);
            insert->Bind(8, e.justification).Bind(9, e.recipient).Bind(10, e.route);
            if (st.ok()) st = insert->Run();
          }
        }
        st = st.ok() ? writer->Exec("COMMIT") : st;
        if (!st.ok()) (void)writer->Exec("ROLLBACK");
      }
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
  auto impl = std::make_unique<Impl>();
  auto w = sqlite::Db::Open(path);
  if (!w.ok()) return w.error();
  impl->writer = std::move(*w);
  if (auto st = impl->writer->Exec(kSchemaSql); !st.ok()) return st.error();
  auto r = sqlite::Db::Open(path);
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
  if (!q.user_id.empty()) sql += " AND user_id = ?";
  if (!q.what_prefix.empty()) sql += " AND substr(what, 1, ?) = ?";
  if (!q.whats.empty()) {
    sql += " AND what IN (";
    for (size_t i = 0; i < q.whats.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
  }
  sql += " ORDER BY id LIMIT ?";
  auto st = impl_->reader->Prepare(sql);
  if (!st.ok()) return st.error();
  int k = 1;
  st->Bind(k++, q.from);
  st->Bind(k++, q.to);
  if (!q.user_id.empty()) st->Bind(k++, q.user_id);
  if (!q.what_prefix.empty()) {
    st->Bind(k++, static_cast<std::int64_t>(q.what_prefix.size()));
    st->Bind(k++, q.what_prefix);
  }
  for (const auto& w : q.whats) st->Bind(k++, w);
  st->Bind(k++, static_cast<std::int64_t>(q.limit));
  std::vector<AccessEntry> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(AccessEntry{st->Int(0), st->Int(1), st->Text(2), st->Text(3), st->Text(4),
                              st->Text(5), st->Text(6), st->Text(7), st->Text(8), st->Text(9),
                              st->Text(10)});
  }
  return out;
}

}  // namespace concordat
