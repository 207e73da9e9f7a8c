// The embedded event log: one SQLite file in WAL mode with synchronous=FULL, so a committed
// Append survives power loss. Schema: src/store/schema.sql; format: docs/LOG_FORMAT.md.
//
// Thread-safety: as EventLog. The writer and readers use separate connections; readers see
// committed data only.
#pragma once

#include <memory>
#include <string>

#include "store/event_log.hpp"

namespace concordat {

// Opens or creates the store at `path` (creating tables as needed).
Result<std::unique_ptr<EventLog>> OpenSqliteEventLog(const std::string& path);

// The SQL text of schema.sql (embedded at build time).
extern const char* const kSchemaSql;

}  // namespace concordat
