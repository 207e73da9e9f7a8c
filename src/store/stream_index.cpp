#include "store/stream_index.hpp"

#include <algorithm>

namespace concordat {

const char* const kIndexedUptoSql =
    "SELECT COALESCE((SELECT value FROM log_meta WHERE key = 'indexed_upto'), 0)";

Status StreamIndexer::Start(sqlite::Db& db, int every) {
  every_ = static_cast<size_t>(std::max(1, every));
  chunk_ = std::max<size_t>(1, every_ / 8);
  auto insert =
      db.Prepare("INSERT OR IGNORE INTO stream_index (stream, seq) VALUES (?, ?)");
  auto upto = db.Prepare("INSERT OR REPLACE INTO log_meta (key, value) VALUES ('indexed_upto', ?)");
  auto indexed = db.Prepare(kIndexedUptoSql);
  auto tail = db.Prepare("SELECT stream, seq FROM events WHERE seq > ? ORDER BY seq");
  if (!insert.ok() || !upto.ok() || !indexed.ok() || !tail.ok()) {
    return Error::Internal("cannot prepare the stream index's statements: " + db.LastError());
  }
  insert_ = std::move(*insert);
  set_upto_ = std::move(*upto);
  auto row = indexed->Step();
  if (!row.ok() || !*row) {
    return Error::Internal("cannot read the stream index's position: " + db.LastError());
  }
  // What the last rounds did not finish: everything after the position.
  tail->Bind(1, indexed->Int(0));
  while (true) {
    auto more = tail->Step();
    if (!more.ok()) {
      return more.error();
    }
    if (!*more) {
      break;
    }
    pending_.emplace_back(tail->Text(0), static_cast<std::uint64_t>(tail->Int(1)));
  }
  return OkStatus();
}

Status StreamIndexer::WriteChunk(size_t appending) {
  if (round_.empty() && pending_.size() >= every_) {
    round_ = std::move(pending_);
    pending_.clear();
    round_end_ = 0;
    for (const auto& entry : round_) {
      round_end_ = std::max(round_end_, entry.second);
    }
    std::sort(round_.begin(), round_.end());
    at_ = 0;
  }
  if (round_.empty()) {
    return OkStatus();
  }
  const size_t end = std::min(round_.size(), at_ + std::max(chunk_, 2 * appending));
  for (size_t i = at_; i < end; ++i) {
    insert_.Bind(1, round_[i].first).Bind(2, static_cast<std::int64_t>(round_[i].second));
    if (auto st = insert_.Run(); !st.ok()) {
      return st;
    }
  }
  if (end == round_.size()) {
    set_upto_.Bind(1, static_cast<std::int64_t>(round_end_));
    if (auto st = set_upto_.Run(); !st.ok()) {
      return st;
    }
  }
  written_to_ = end;
  return OkStatus();
}

void StreamIndexer::Committed() {
  if (!round_.empty()) {
    at_ = written_to_;
    if (at_ == round_.size()) {
      round_.clear();
    }
  }
}

}  // namespace concordat
