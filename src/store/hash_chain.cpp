#include "store/hash_chain.hpp"

// SHA256_CTX: a batch's hashes continue from midstates, which EVP cannot be given.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

#include "store/sha256_lanes.hpp"

namespace concordat {
namespace {

// Below this many events a batch is hashed one message at a time (the lanes would be mostly
// empty).
constexpr size_t kMinLanesBatch = 4;

// OpenSSL's SHA-256 has assembly for the CPU (SHA extensions where present, else AVX2;
// libsodium's is portable C): every event is hashed on the engine's writer thread, where it
// was 13% of the simulator's time. One fetched algorithm for the process and one context per
// thread, reused.
bool OpenSslSha256(std::string_view bytes, unsigned char (&digest)[32]) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                                 &EVP_MD_CTX_free);
  unsigned int n = 0;
  return md != nullptr && ctx != nullptr && EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1 &&
         EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1 &&
         EVP_DigestFinal_ex(ctx.get(), digest, &n) == 1 && n == 32;
}

void SodiumSha256(std::string_view bytes, unsigned char (&digest)[32]) {
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// Appends "<decimal length>:<bytes>" of one field.
void AppendField(std::string& out, std::string_view v) {
  char len[24];
  char* end = std::to_chars(len, len + sizeof len - 1, v.size()).ptr;
  *end++ = ':';
  out.append(len, static_cast<size_t>(end - len));
  out.append(v.data(), v.size());
}

// Room for a field's "<decimal length>:" (or a number and its own length and ':').
constexpr size_t kPrefixRoom = 48;

// Writes "<decimal length>:<bytes>" of one field at `w`, which has room for it; returns the end.
char* WriteField(char* w, std::string_view v) {
  w = std::to_chars(w, w + 20, v.size()).ptr;
  *w++ = ':';
  std::memcpy(w, v.data(), v.size());
  return w + v.size();
}

// The same for a number, written in decimal without a temporary string.
template <typename Int>
char* WriteNumberField(char* w, Int v) {
  char num[24];
  return WriteField(w,
                    {num, static_cast<size_t>(std::to_chars(num, num + sizeof num, v).ptr - num)});
}

// Appends the canonical form of `e` but its last field, prev_hash: the part that does not depend
// on the event before. Written into room made once for the whole form (twenty appends, each
// checking and growing the string, were a twentieth of the simulator's writer), then trimmed.
void AppendFormBeforeLink(const Event& e, std::string& out) {
  const std::string_view fields[] = {
      e.stream,          e.type,       e.actor.user_id,  e.actor.role,
      e.actor.agency_id, e.command_id, e.classification, e.payload};
  size_t room = 2 * kPrefixRoom;
  for (const std::string_view f : fields) room += kPrefixRoom + f.size();
  const size_t at = out.size();
  out.resize(at + room);
  char* const start = out.data();
  char* w = start + at;
  w = WriteNumberField(w, e.seq);
  w = WriteNumberField(w, e.at);
  for (const std::string_view f : fields) w = WriteField(w, f);
  out.resize(static_cast<size_t>(w - start));
}

// Appends the canonical form of `e` to `out`.
void AppendCanonicalForm(const Event& e, std::string& out) {
  AppendFormBeforeLink(e, out);
  AppendField(out, e.prev_hash);
}

// Each byte's two lower-case hex digits, side by side: one look-up and one two-byte copy a byte.
constexpr std::array<char, 512> kHexPairs = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 512> t{};
  for (size_t b = 0; b < 256; ++b) {
    t[2 * b] = kHex[b >> 4];
    t[2 * b + 1] = kHex[b & 15];
  }
  return t;
}();

// Writes the digest as lower-case hex into `hex`, reusing its buffer.
void WriteHex(const unsigned char (&digest)[32], std::string& hex) {
  hex.resize(64);
  char* out = hex.data();
  for (size_t i = 0; i < 32; ++i) {
    std::memcpy(out + 2 * i, &kHexPairs[2 * static_cast<size_t>(digest[i])], 2);
  }
}

}  // namespace

std::string CanonicalEventForm(const Event& e) {
  std::string out;
  out.reserve(e.payload.size() + 256);
  AppendCanonicalForm(e, out);
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  static_assert(crypto_hash_sha256_BYTES == 32);
  unsigned char digest[32];
  if (!OpenSslSha256(bytes, digest)) {
    SodiumSha256(bytes, digest);  // the same function; only if OpenSSL could not be set up
  }
  std::string hex;
  WriteHex(digest, hex);
  return hex;
}

// The form is built in one buffer per thread, reused: no allocation per event, and one call into
// SHA-256 (feeding OpenSSL field by field, 22 calls an event, made the 7-day simulation slower:
// 8.0 s against 6.8 s).
std::string EventHash(const Event& e) {
  thread_local std::string form;
  form.clear();
  AppendCanonicalForm(e, form);
  return Sha256Hex(form);
}

namespace {

// The forms of a run of events laid end to end in one buffer, with the midstates of their whole
// blocks (sixteen at a time where the CPU has AVX-512: sha256_lanes.hpp). One per thread, reused.
struct BatchForms {
  std::string bytes;
  std::vector<size_t> starts;  // one per event and one past the last
  std::vector<sha256::MidstateJob> jobs;
  std::vector<sha256::Midstate> mids;

  // With `padded`, each form is followed by SHA-256's padding (FIPS 180-4, 5.1.1), so that its
  // midstate is its whole hash.
  template <typename AppendForm>
  void Build(size_t count, bool padded, AppendForm&& append) {
    bytes.clear();
    starts.clear();
    for (size_t i = 0; i < count; ++i) {
      starts.push_back(bytes.size());
      append(i, bytes);
      if (padded) Pad(bytes.size() - starts.back());
    }
    starts.push_back(bytes.size());
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    jobs.resize(count);
    mids.resize(count);
    for (size_t i = 0; i < count; ++i) {
      jobs[i] = {data + starts[i], (starts[i + 1] - starts[i]) / 64};
    }
    sha256::Midstates(jobs, mids, count >= kMinLanesBatch);
  }

  void Pad(size_t length) {
    bytes += static_cast<char>(0x80);
    bytes.append((55 - length % 64 + 64) % 64, '\0');
    const std::uint64_t bits = 8 * static_cast<std::uint64_t>(length);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes += static_cast<char>((bits >> shift) & 0xff);
    }
  }

  // The hash of padded form i.
  void Whole(size_t i, std::string& hex) const {
    unsigned char digest[32];
    for (int k = 0; k < 8; ++k) {
      for (int b = 0; b < 4; ++b) {
        digest[4 * k + b] = static_cast<unsigned char>(mids[i].h[k] >> (24 - 8 * b));
      }
    }
    WriteHex(digest, hex);
  }

  // The hash of form i followed by `link` and `more`, from its midstate.
  void Finish(size_t i, std::string_view link, std::string_view more, std::string& hex) const {
    const size_t done = 64 * jobs[i].blocks;
    const std::uint64_t bits = 8 * static_cast<std::uint64_t>(done);
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    std::memcpy(ctx.h, mids[i].h, sizeof ctx.h);
    ctx.Nl = static_cast<SHA_LONG>(bits & 0xffffffffU);
    ctx.Nh = static_cast<SHA_LONG>(bits >> 32);
    SHA256_Update(&ctx, bytes.data() + starts[i] + done, starts[i + 1] - starts[i] - done);
    SHA256_Update(&ctx, link.data(), link.size());
    SHA256_Update(&ctx, more.data(), more.size());
    unsigned char digest[32];
    SHA256_Final(digest, &ctx);
    WriteHex(digest, hex);
  }
};

// "<length>:" of a field, for a link appended after the batch's forms.
std::string_view LengthPrefix(size_t n, char (&buf)[24]) {
  char* end = std::to_chars(buf, buf + sizeof buf - 1, n).ptr;
  *end++ = ':';
  return {buf, static_cast<size_t>(end - buf)};
}

}  // namespace

// A batch is hashed in two passes. Each event's form but its last field does not depend on the
// event before, so the whole 64-byte blocks of those parts are compressed first, for the whole
// batch together; then, in order, each event's hash continues from its midstate over the rest of
// its form and the previous hash. The bytes hashed are the canonical form, as EventHash hashes
// them (tests: LogFormatTest.ABatchChainedTogetherHasEachEventsOwnHash).
void ChainEvents(std::vector<Event>& events, const std::string& head_hash) {
  thread_local BatchForms forms;
  forms.Build(events.size(), false, [&](size_t i, std::string& out) {
    Event& e = events[i];
    if (e.payload.empty()) {
      e.payload = boost::json::serialize(e.data);
    }
    AppendFormBeforeLink(e, out);
  });
  const std::string* prev = &head_hash;
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    e.prev_hash = *prev;
    char length[24];
    forms.Finish(i, LengthPrefix(e.prev_hash.size(), length), e.prev_hash, e.hash);
    prev = &e.hash;
  }
}

// Checking needs no order: each stored event carries the link it was hashed with, so every
// event's whole form, link and padding included, goes through the lanes.
LinkCheck CheckEventLinks(std::span<const Event> events, std::uint64_t expected_seq,
                          const std::string& expected_prev_hash) {
  thread_local BatchForms forms;
  forms.Build(events.size(), true,
              [&](size_t i, std::string& out) { AppendCanonicalForm(events[i], out); });
  const std::string* prev = &expected_prev_hash;
  std::string hash;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.seq != expected_seq + i || e.prev_hash != *prev) {
      return {i, CheckEventLink(e, expected_seq + i, *prev)};
    }
    forms.Whole(i, hash);
    if (hash != e.hash) {
      return {i, CheckEventLink(e, expected_seq + i, *prev)};
    }
    prev = &e.hash;
  }
  return {events.size(), {}};
}

std::string CheckEventLink(const Event& e, std::uint64_t expected_seq,
                           const std::string& expected_prev_hash) {
  if (e.seq != expected_seq) {
    return "missing event: expected seq " + std::to_string(expected_seq) + ", found " +
           std::to_string(e.seq);
  }
  if (e.prev_hash != expected_prev_hash) {
    return "broken link: prev_hash does not match the hash of event " +
           std::to_string(expected_seq - 1);
  }
  if (EventHash(e) != e.hash) {
    return "altered event: its content does not match its hash";
  }
  return {};
}

}  // namespace concordat
