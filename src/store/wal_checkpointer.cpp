#include "store/wal_checkpointer.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace concordat {

// WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside the commit that
// takes the WAL past 1,000 pages: that commit copies the pages into the database file and fsyncs
// it before its callers hear back. Here a thread with its own connection copies in PASSIVE mode
// (never blocking the writer or the readers) whenever checkpoint_pages are waiting. A WAL is only
// rewound to its start when a writer begins a transaction with *every* frame copied, and under
// steady load the thread is always a commit or two behind (alone, it let the WAL grow to 130 MB in
// one benchmark). So once the WAL passes rewind_pages and the thread has copied all but
// catch_up_pages, the writer copies that remainder itself after its commit and its next
// transaction rewinds the WAL: one short checkpoint on the commit path per 64 MB of WAL instead of
// a full one per 4 MB. At writer_checkpoint_pages (the thread stuck or starved) the writer
// checkpoints whatever is left. The thread also checkpoints once a second unasked, for what the
// file's other connections wrote (their own automatic checkpoint is off, see sqlite.cpp).
//
// The thread copies without fsync (its connection runs with synchronous=OFF). SQLite's checkpoint
// fsyncs twice: the WAL before copying, and the database file after copying the *last* frame
// (a partial copy is not synced: the WAL still holds those pages). The first is redundant here:
// every connection of the file commits with synchronous=FULL, so each frame a checkpoint can see
// was fsynced by its commit. It was not free: the thread's fsync of the WAL met the writer's on
// this disk, and that was most of the latency tail (docs/PERFORMANCE.md). The second is what
// makes it safe to rewind the WAL over copied frames, so the thread makes it itself: it holds a
// read transaction (`guard_`) across its checkpoints and between them (a reader's mark in the
// WAL keeps every writer from rewinding it; taken at the end of a round, it also keeps the next
// round's copy partial under load, so that it needs no fsync), and when it has copied the last
// frame it fdatasyncs the database file before letting go. A checkpoint by any other connection is
// synchronous=FULL and syncs as SQLite does. So the WAL is never rewound over pages the database
// file does not durably hold. Measured effect: docs/PERFORMANCE.md, "Engine command latency".

Status Checkpointer::Start(const std::string& path, sqlite3* writer,
                           const SqliteLogOptions& options) {
  auto db = sqlite::Db::Open(path);
  auto guard = sqlite::Db::Open(path);
  if (!db.ok()) {
    return db.error();
  }
  if (!guard.ok()) {
    return guard.error();
  }
  db_ = std::move(*db);
  guard_ = std::move(*guard);
  if (auto st = db_->Exec("PRAGMA synchronous=OFF"); !st.ok()) {
    return st;
  }
  auto read = guard_->Prepare("SELECT seq FROM events ORDER BY seq DESC LIMIT 1");
  if (!read.ok()) {
    return read.error();
  }
  guard_read_ = std::move(*read);
  auto version = db_->Prepare("PRAGMA data_version");
  if (!version.ok()) {
    return version.error();
  }
  data_version_ = std::move(*version);
  db_fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (db_fd_ < 0) {
    return Error::Unavailable("cannot open " + path + " to sync it: " + std::strerror(errno));
  }
  writer_ = writer;
  options_ = options;
  // Replaces the automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(writer, &Checkpointer::OnCommit, this);
  thread_ = std::thread([this] { Loop(); });
  return OkStatus();
}

Checkpointer::~Checkpointer() {
  if (writer_ != nullptr) {
    sqlite3_wal_hook(writer_, nullptr, nullptr);
  }
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (db_ != nullptr) {
    // Were it the file's last connection, closing would checkpoint: then with fsync.
    (void)db_->Exec("PRAGMA synchronous=FULL");
  }
  if (db_fd_ >= 0) {
    ::close(db_fd_);
  }
}

int Checkpointer::Backlog() {
  std::lock_guard lock(mu_);
  return last_pages_ - CopiedLocked();
}

int Checkpointer::CopiedLocked() const {
  return copied_generation_ == generation_.load() ? copied_pages_ : 0;
}

int Checkpointer::OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages < c->last_pages_) {
    c->generation_.fetch_add(1);  // the WAL was rewound: earlier progress no longer counts
  }
  c->last_pages_ = pages;
  bool caught_up = false;
  bool wake = false;
  {
    std::lock_guard lock(c->mu_);
    const int copied = c->CopiedLocked();
    caught_up = pages >= c->options_.rewind_pages && pages - copied <= c->options_.catch_up_pages;
    // Past rewind_pages the thread is woken after every commit until the writer can catch up:
    // its copies lag a round behind (its read transaction), and a gap between catch_up_pages
    // and checkpoint_pages would otherwise wait for writer_checkpoint_pages.
    wake = !caught_up &&
           (pages - copied >= c->options_.checkpoint_pages || pages >= c->options_.rewind_pages);
    c->wanted_ = c->wanted_ || wake;
  }
  if (caught_up || pages >= c->options_.writer_checkpoint_pages) {
    // SQLITE_BUSY here means the thread holds the checkpoint: the next commit tries again.
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wake) {
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    // Also once a second when nobody asks: the other stores of the file (accounts, access log)
    // commit on connections of their own, with their automatic checkpoint off (sqlite.cpp).
    // With nothing left to copy a checkpoint does no I/O.
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return wanted_ || stopping_; });
    if (stopping_) {
      return;
    }
    wanted_ = false;
    const std::uint64_t generation = generation_.load();
    lock.unlock();
    int copied = 0;
    const bool ok = CopyOnce(copied);
    lock.lock();
    if (ok) {
      copied_generation_ = generation;
      copied_pages_ = copied;
    }
  }
}

bool Checkpointer::CopyOnce(int& copied) {
  if (sync_failed_) {
    return false;  // the guard stays held: the WAL keeps every page, and grows
  }
  if (!guard_held_ && !BeginGuard()) {
    return false;
  }
  // Changes with every commit of another connection. Read after the guard began, so every
  // frame this checkpoint can copy was committed before it: if it has not moved since the last
  // sync after a complete copy, there is nothing new to make durable (an idle file is not
  // synced once a second).
  auto version = data_version_.Step();
  const std::int64_t data_version = version.ok() && *version ? data_version_.Int(0) : -1;
  data_version_.Reset();
  int log_frames = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE,
                                           &log_frames, &copied);
  if (rc == SQLITE_OK && log_frames > 0 && copied == log_frames &&
      (data_version < 0 || data_version != synced_data_version_)) {
    // Every frame copied: once the guard lets go, the next writer may rewind the WAL.
    if (options_.before_checkpoint_sync) {
      options_.before_checkpoint_sync();
    }
    if (::fdatasync(db_fd_) != 0) {
      std::fprintf(stderr,
                   "concordat: fdatasync of the database file failed (%s); the WAL is kept "
                   "whole from now on\n",
                   std::strerror(errno));
      sync_failed_ = true;
      return false;
    }
    synced_data_version_ = data_version;
  } else if (rc == SQLITE_OK && copied > 0) {
    // Start writing what was copied now, in the background (no flush, no wait), rather than
    // leave it to the sync before the next rewind: many small writes spread over the run
    // instead of one burst of them on the disk the writer's commits wait for.
    (void)::sync_file_range(db_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  (void)guard_->Exec("COMMIT");
  guard_held_ = false;
  // Taken again at once and held until the next round, which then copies only up to here:
  // under load the writer has committed since, so that copy is partial and needs no fsync.
  // Not past rewind_pages: there the writer must be free to copy the rest (synchronous=FULL,
  // so with its fsync) and rewind.
  if (rc == SQLITE_OK && log_frames < options_.rewind_pages) {
    (void)BeginGuard();
  }
  return rc == SQLITE_OK;
}

bool Checkpointer::BeginGuard() {
  if (!guard_->Exec("BEGIN").ok()) {
    return false;
  }
  auto row = guard_read_.Step();  // the read transaction, and its mark in the WAL, start here
  guard_read_.Reset();
  if (!row.ok()) {
    (void)guard_->Exec("ROLLBACK");
    return false;
  }
  guard_held_ = true;
  return true;
}

}  // namespace concordat
