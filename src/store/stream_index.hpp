// The event log's stream index (schema.sql, stream_index; docs/LOG_FORMAT.md): written in rounds
// by the log's writer, and by the raw-SQLite baselines in bench/ so that they write exactly the
// log's rows in the log's way.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace concordat {

// SQL giving the position of the stream index: every event up to it has its entry.
extern const char* const kIndexedUptoSql;

// Once `every` events have gathered since the last round, their (stream, seq) entries are sorted
// and written a chunk per commit, in key order, so that a chunk touches the pages of a few streams
// only and each hot stream's page is written about once per round (an index on events (stream,
// seq) wrote one page per hot stream per commit). The round's last chunk moves
// log_meta.indexed_upto to the round's last event, in the same transaction; readers use the index
// up to there and scan the events after it. Entries of an interrupted round are written again
// (INSERT OR IGNORE). Not thread-safe: the writer's.
class StreamIndexer {
 public:
  // Prepares its statements on the writer's connection and reads what the last rounds left.
  Status Start(sqlite::Db& db, int every);
  // Inside the writer's transaction that appends `appending` events: the next chunk of the round,
  // if one is under way or due. A chunk is at least twice the commit's own events, so that a
  // round ends however fast events come.
  Status WriteChunk(size_t appending);
  // After the transaction committed. (Had it failed, nothing here would have moved: the chunk
  // is written again by the next commit.)
  void Committed();
  // Each event the committed transaction appended.
  void Appended(const std::string& stream, std::uint64_t seq) { pending_.emplace_back(stream, seq); }

 private:
  size_t every_ = 4096;
  size_t chunk_ = 512;
  sqlite::Stmt insert_;
  sqlite::Stmt set_upto_;
  std::vector<std::pair<std::string, std::uint64_t>> pending_;  // after the round
  std::vector<std::pair<std::string, std::uint64_t>> round_;    // sorted by (stream, seq)
  std::uint64_t round_end_ = 0;
  size_t at_ = 0;          // entries of round_ before this are committed
  size_t written_to_ = 0;  // ...and up to this are written in the open transaction
};

}  // namespace concordat
