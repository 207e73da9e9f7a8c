// WAL checkpoints off the commit path, for the SQLite event log (sqlite_event_log.cpp): a
// thread of its own copies the WAL into the database file. Why and how: wal_checkpointer.cpp.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_event_log.hpp"

struct sqlite3;

namespace concordat {

class Checkpointer {
 public:
  Status Start(const std::string& path, sqlite3* writer, const SqliteLogOptions& options);

  ~Checkpointer();

  // Frames of the WAL not yet copied by the thread, as of the last commit on the writer
  // connection. Under the log's write lock (OnCommit runs inside a commit, which holds it).
  int Backlog();

 private:
  // Frames the thread has copied of the WAL as it is now (none if it was rewound since). Under mu_.
  int CopiedLocked() const;

  // On the writer's thread, after each commit; `pages` is the WAL's length in frames.
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages);

  void Loop();

  // One checkpoint under the guard; false if nothing could be copied safely. On the thread.
  bool CopyOnce(int& copied);

  bool BeginGuard();

  std::unique_ptr<sqlite::Db> db_;     // synchronous=OFF: checkpoints only
  std::unique_ptr<sqlite::Db> guard_;  // its read transaction spans each checkpoint
  sqlite::Stmt guard_read_;
  sqlite::Stmt data_version_;              // on db_
  std::int64_t synced_data_version_ = -1;  // the thread's only
  int db_fd_ = -1;                         // the database file, to fdatasync after a complete copy
  bool sync_failed_ = false;               // the thread's only
  bool guard_held_ = false;                // the thread's only
  sqlite3* writer_ = nullptr;              // the log's writer connection, which outlives this
  SqliteLogOptions options_;
  std::thread thread_;
  int last_pages_ = 0;  // written in OnCommit, under the log's write lock
  std::atomic<std::uint64_t> generation_{0};
  std::mutex mu_;  // guards what follows
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::uint64_t copied_generation_ = ~std::uint64_t{0};
  int copied_pages_ = 0;
};

}  // namespace concordat
