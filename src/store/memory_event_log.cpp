#include <boost/json.hpp>
#include <map>
#include <mutex>

#include "store/event_log.hpp"
#include "store/hash_chain.hpp"

namespace concordat {
namespace {

class MemoryEventLog final : public EventLog {
 public:
  Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) override {
    std::lock_guard lock(mu_);
    std::uint64_t expect = events_.size() + 1;
    for (const auto& e : events) {
      if (e.seq != expect++) {
        return Error::Internal("append out of sequence at " + std::to_string(e.seq));
      }
    }
    ChainEvents(events, head_hash_locked());
    for (const auto& e : events) {
      // Kept as SQLite keeps it: the payload, read back as `data`, and no typed body.
      Event& kept = events_.emplace_back(e);
      MaterialiseData(kept);
      kept.body.reset();
    }
    for (const auto& c : commands) {
      commands_.emplace(c.command_id, c.outcome);
    }
    return OkStatus();
  }

  std::uint64_t HeadSeq() const override {
    std::lock_guard lock(mu_);
    return events_.size();
  }

  std::string HeadHash() const override {
    std::lock_guard lock(mu_);
    return head_hash_locked();
  }

  Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<Event> out;
    for (std::uint64_t i = after; i < events_.size() && out.size() < limit; ++i) {
      out.push_back(events_[i]);
    }
    return out;
  }

  Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<Event> out;
    for (const auto& e : events_) {
      if (e.stream == stream && out.size() < limit) {
        out.push_back(e);
      }
    }
    return out;
  }

  Result<std::optional<std::string>> FindCommand(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = commands_.find(id);
    if (it == commands_.end()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(it->second);
  }

  Status SaveSnapshot(const Snapshot& s) override {
    std::lock_guard lock(mu_);
    snapshot_ = s;
    return OkStatus();
  }

  Result<std::optional<Snapshot>> LatestSnapshot() override {
    std::lock_guard lock(mu_);
    return snapshot_;
  }

  Result<VerifyReport> Verify() override {
    std::lock_guard lock(mu_);
    VerifyReport r;
    const LinkCheck check = CheckEventLinks(events_, 1, "");
    if (check.first_bad < events_.size()) {
      r.ok = false;
      r.first_bad_seq = check.first_bad + 1;
      r.problem = check.problem;
      r.count = check.first_bad;
      return r;
    }
    r.count = events_.size();
    std::string prev = events_.empty() ? std::string() : events_.back().hash;
    r.head_hash = prev;
    return r;
  }

  // Test hook: lets a test tamper with a stored event.
  std::vector<Event>& events() { return events_; }

 private:
  std::string head_hash_locked() const { return events_.empty() ? "" : events_.back().hash; }

  mutable std::mutex mu_;
  std::vector<Event> events_;
  std::map<std::string, std::string> commands_;
  std::optional<Snapshot> snapshot_;
};

}  // namespace

std::unique_ptr<EventLog> MakeMemoryEventLog() { return std::make_unique<MemoryEventLog>(); }

}  // namespace concordat
