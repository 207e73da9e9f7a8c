#include "store/sha256_lanes.hpp"

// The one-at-a-time path uses OpenSSL's SHA256_CTX, whose state words are public: after whole
// blocks they are the midstate. Those functions are deprecated in OpenSSL 3 in favour of EVP,
// which does not expose the state.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cstring>

namespace concordat::sha256 {
namespace {

// FIPS 180-4, 4.2.2 and 5.3.3.
constexpr std::uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
constexpr std::uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

void OneAtATime(std::span<const MidstateJob> jobs, std::span<Midstate> out) {
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    if (jobs[i].blocks > 0) SHA256_Update(&ctx, jobs[i].data, 64 * jobs[i].blocks);
    std::memcpy(out[i].h, ctx.h, sizeof out[i].h);
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define CONCORDAT_SHA256_LANES 1

constexpr int kLanes = 16;

// Everything between push_options and pop_options is compiled for AVX-512F, and is only
// called after LanesAvailable() said the CPU has it. Nothing from a header is instantiated
// in here, so no AVX-512 copy of a shared inline function can reach other callers.
#pragma GCC push_options
#pragma GCC target("avx512f")

typedef std::uint32_t Lanes __attribute__((vector_size(64)));

#define CONCORDAT_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

// One block in every lane: state s[0..7] += compress(block words w[0..15]).
static inline void CompressLanes(Lanes* s, Lanes* w) {
  Lanes a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (int t = 0; t < 64; ++t) {
    Lanes wt;
    if (t < 16) {
      wt = w[t];
    } else {
      const Lanes w15 = w[(t - 15) & 15];
      const Lanes w2 = w[(t - 2) & 15];
      const Lanes s0 = CONCORDAT_ROTR(w15, 7) ^ CONCORDAT_ROTR(w15, 18) ^ (w15 >> 3);
      const Lanes s1 = CONCORDAT_ROTR(w2, 17) ^ CONCORDAT_ROTR(w2, 19) ^ (w2 >> 10);
      wt = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
      w[t & 15] = wt;
    }
    const Lanes big1 = CONCORDAT_ROTR(e, 6) ^ CONCORDAT_ROTR(e, 11) ^ CONCORDAT_ROTR(e, 25);
    const Lanes choose = (e & f) ^ (~e & g);
    const Lanes t1 = h + big1 + choose + kRound[t] + wt;
    const Lanes big0 = CONCORDAT_ROTR(a, 2) ^ CONCORDAT_ROTR(a, 13) ^ CONCORDAT_ROTR(a, 22);
    const Lanes majority = (a & b) ^ (a & c) ^ (b & c);
    const Lanes t2 = big0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s[0] += a;
  s[1] += b;
  s[2] += c;
  s[3] += d;
  s[4] += e;
  s[5] += f;
  s[6] += g;
  s[7] += h;
}

#undef CONCORDAT_ROTR

static inline std::uint32_t LoadBigEndian(const unsigned char* p) {
  std::uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}

// Each lane takes the next job with blocks to do, compresses one of its blocks per step, and
// hands its state back when the job's last block is done; a lane with nothing left to take
// compresses a block of zeros whose result nobody reads.
static void LanesKernel(const MidstateJob* jobs, std::size_t count, Midstate* out) {
  Lanes s[8];
  for (int k = 0; k < 8; ++k) s[k] = Lanes{} + kInitial[k];
  std::size_t job[kLanes];
  std::size_t block[kLanes];
  bool busy[kLanes] = {};
  std::size_t next = 0;
  alignas(64) std::uint32_t words[16][kLanes];
  for (;;) {
    int active = 0;
    for (int l = 0; l < kLanes; ++l) {
      while (!busy[l] && next < count) {
        const std::size_t j = next++;
        if (jobs[j].blocks == 0) {
          for (int k = 0; k < 8; ++k) out[j].h[k] = kInitial[k];
          continue;
        }
        job[l] = j;
        block[l] = 0;
        busy[l] = true;
        for (int k = 0; k < 8; ++k) s[k][l] = kInitial[k];
      }
      if (!busy[l]) {
        for (int t = 0; t < 16; ++t) words[t][l] = 0;
        continue;
      }
      ++active;
      const unsigned char* p = jobs[job[l]].data + 64 * block[l];
      for (int t = 0; t < 16; ++t) words[t][l] = LoadBigEndian(p + 4 * t);
    }
    if (active == 0) return;
    Lanes w[16];
    for (int t = 0; t < 16; ++t) __builtin_memcpy(&w[t], words[t], sizeof w[t]);
    CompressLanes(s, w);
    for (int l = 0; l < kLanes; ++l) {
      if (!busy[l] || ++block[l] < jobs[job[l]].blocks) continue;
      for (int k = 0; k < 8; ++k) out[job[l]].h[k] = s[k][l];
      busy[l] = false;
    }
  }
}

#pragma GCC pop_options
#endif

}  // namespace

bool LanesAvailable() {
#ifdef CONCORDAT_SHA256_LANES
  static const bool available = __builtin_cpu_supports("avx512f");
  return available;
#else
  return false;
#endif
}

void Midstates(std::span<const MidstateJob> jobs, std::span<Midstate> out, bool use_lanes) {
#ifdef CONCORDAT_SHA256_LANES
  if (use_lanes && LanesAvailable()) {
    LanesKernel(jobs.data(), jobs.size(), out.data());
    return;
  }
#endif
  OneAtATime(jobs, out);
}

}  // namespace concordat::sha256
