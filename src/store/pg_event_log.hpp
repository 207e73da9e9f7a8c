// The event log of several servers: one PostgreSQL database holds the log (the same rows, chain
// and outcomes as the SQLite file; docs/LOG_FORMAT.md), and every server's engine appends to it
// (DESIGN.md §6). One global sequence: an engine appends while it holds the log's append lock
// (a PostgreSQL advisory lock, released with the transaction, so a server that dies lets go at
// once), after applying whatever the others appended before it (EventLog::BeginBatch). Each
// commit sends NOTIFY on the channel `concordat_log`, which the other servers LISTEN to
// (EventLog::Watch) to catch up while they are idle and to feed their WebSocket clients.
//
// Durability is PostgreSQL's: a commit returns once the server has flushed its WAL
// (synchronous_commit on, the default); standby and failover are PostgreSQL's replication.
//
// Thread-safety: as EventLog. The writer, the readers, the snapshot store and the listener each
// have a connection of their own.
#pragma once

#include <memory>
#include <string>

#include "store/event_log.hpp"

namespace concordat {

struct PgLogOptions {
  // false opens the log to read (verify, reports): Append, BeginBatch and SaveSnapshot refuse.
  bool writer = true;
  // A snapshot is stored in parts of at most this many bytes, each a transaction of its own.
  size_t snapshot_part_bytes = 4u << 20;
  // With no notification, the listener still looks at the head this often (a lost connection,
  // a notification dropped by a restart of PostgreSQL).
  int watch_poll_ms = 1000;
};

// Connects to `url` (libpq syntax, e.g. postgresql://user@host:5432/db) and creates the tables
// if needed. unavailable when the server cannot be reached.
Result<std::unique_ptr<EventLog>> OpenPgEventLog(const std::string& url,
                                                 const PgLogOptions& options = {});

}  // namespace concordat
