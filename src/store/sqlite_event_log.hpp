// The embedded event log: one SQLite file in WAL mode with synchronous=FULL, so a committed
// Append survives power loss. Schema: src/store/schema.sql; format: docs/LOG_FORMAT.md.
//
// Thread-safety: as EventLog. The writer and readers use separate connections; readers see
// committed data only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "store/event_log.hpp"

namespace concordat {

// When the WAL is copied into the database file (wal_checkpointer.cpp, class Checkpointer), in
// WAL frames (pages of 4 KB). The defaults are the service's; tests shrink them.
struct SqliteLogOptions {
  // A writer takes the store's writer lock (store/writer_lock.hpp) and is refused while another
  // process holds it; `false` opens the store to read (reports, verify) beside a running server,
  // and Append and SaveSnapshot then refuse.
  bool writer = true;
  int checkpoint_pages = 1000;            // the checkpoint thread wakes at this much uncopied WAL
  int rewind_pages = 16'384;              // past 64 MB the writer copies the last few itself...
  int catch_up_pages = 256;               // ...when no more than this is left, then rewinds
  int writer_checkpoint_pages = 50'000;   // the writer checkpoints regardless (about 200 MB)
  // A snapshot is stored in parts of at most this many bytes (SQLite's limit for one value is
  // 1 GB, and its blob API counts in int), each written in a transaction of its own, so that
  // the writer waits for at most one part's commit while a snapshot is stored.
  size_t snapshot_part_bytes = 4u << 20;
  // The stream index (schema.sql, stream_index) is written once this many events have gathered.
  int stream_index_every = 4096;
  // Tests only: called on the checkpoint thread after it has copied the whole WAL and before it
  // fsyncs the database file (while no writer can rewind the WAL).
  std::function<void()> before_checkpoint_sync;
};

// Opens or creates the store at `path` (creating tables as needed).
Result<std::unique_ptr<EventLog>> OpenSqliteEventLog(const std::string& path,
                                                     const SqliteLogOptions& options = {});

// Options for a process that only reads the store (reports, verify), beside a running server.
inline SqliteLogOptions ReaderOptions() {
  SqliteLogOptions o;
  o.writer = false;
  return o;
}

// The SQL text of schema.sql (embedded at build time).
extern const char* const kSchemaSql;

namespace sqlite {
class Stmt;
}
// How one event is written: the INSERT (twelve parameters) and its binding; and one command's
// stored outcome (command_id, outcome). Also used by the raw-SQLite baselines in bench/, so that
// they write exactly the log's rows.
extern const char* const kInsertEventSql;
extern const char* const kInsertCommandSql;
void BindEventRow(sqlite::Stmt& insert, const Event& e);

}  // namespace concordat
