// The log's hash chain. The canonical form of an event is each field length-prefixed
// ("<decimal length>:<bytes>") in this order: seq, at (microseconds), stream, type, actor user,
// actor role, actor agency, command_id, classification, payload, prev_hash. The hash is the
// lower-case hex SHA-256 of that string (OpenSSL, or libsodium if OpenSSL cannot be set up).
#pragma once

#include <span>
#include <string>

#include "core/event.hpp"

namespace concordat {

std::string CanonicalEventForm(const Event& e);
std::string Sha256Hex(std::string_view bytes);
std::string EventHash(const Event& e);  // over CanonicalEventForm(e), which includes prev_hash

// Fills payload (when empty), prev_hash and hash for a batch continuing from `head_hash`.
void ChainEvents(std::vector<Event>& events, const std::string& head_hash);

// Checks one event against its expected predecessor; returns "" when sound, else the problem.
std::string CheckEventLink(const Event& e, std::uint64_t expected_seq,
                           const std::string& expected_prev_hash);

// Checks a run of events, the first expected at `expected_seq` after the event whose hash is
// `expected_prev_hash`: the index of the first that fails CheckEventLink and its problem, or
// events.size() and "" when all are sound. The same answers, hashed a batch at a time.
struct LinkCheck {
  size_t first_bad = 0;
  std::string problem;
};
LinkCheck CheckEventLinks(std::span<const Event> events, std::uint64_t expected_seq,
                          const std::string& expected_prev_hash);

}  // namespace concordat
