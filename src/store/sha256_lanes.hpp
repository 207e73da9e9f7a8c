// SHA-256 midstates of many messages at once. The log's hash chain is serial only in its last
// field (each event's canonical form ends with the hash of the event before it), so the 64-byte
// blocks before that field can be compressed for a whole batch together: sixteen messages side
// by side in the lanes of AVX-512 registers, where the CPU has them. Only the compression
// function is here; padding and the final blocks stay with OpenSSL (store/hash_chain.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace concordat::sha256 {

// The eight state words after compressing whole 64-byte blocks from SHA-256's initial value.
struct Midstate {
  std::uint32_t h[8];
};

struct MidstateJob {
  const unsigned char* data = nullptr;  // at least 64 * blocks bytes
  std::size_t blocks = 0;
};

// True where the sixteen-lane code can run (AVX-512F); elsewhere Midstates compresses one
// message at a time.
bool LanesAvailable();

// out[i] = the state after jobs[i]'s blocks (SHA-256's initial value for zero blocks). Uses the
// lanes when `use_lanes` and they are available; the answers are the same either way.
void Midstates(std::span<const MidstateJob> jobs, std::span<Midstate> out, bool use_lanes = true);

}  // namespace concordat::sha256
