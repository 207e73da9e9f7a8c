#include "store/hash_chain.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <memory>

namespace concordat {
namespace {

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
  out.append(len, static_cast<size_t>(std::to_chars(len, len + sizeof len, v.size()).ptr - len));
  out += ':';
  out += v;
}

// The same for a number, written in decimal without a temporary string.
template <typename Int>
void AppendNumberField(std::string& out, Int v) {
  char num[24];
  AppendField(out, {num, static_cast<size_t>(std::to_chars(num, num + sizeof num, v).ptr - num)});
}

// Appends the canonical form of `e` to `out`.
void AppendCanonicalForm(const Event& e, std::string& out) {
  AppendNumberField(out, e.seq);
  AppendNumberField(out, e.at);
  AppendField(out, e.stream);
  AppendField(out, e.type);
  AppendField(out, e.actor.user_id);
  AppendField(out, e.actor.role);
  AppendField(out, e.actor.agency_id);
  AppendField(out, e.command_id);
  AppendField(out, e.classification);
  AppendField(out, e.payload);
  AppendField(out, e.prev_hash);
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
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * sizeof digest, '0');
  for (size_t i = 0; i < sizeof digest; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
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

void ChainEvents(std::vector<Event>& events, const std::string& head_hash) {
  const std::string* prev = &head_hash;
  for (auto& e : events) {
    if (e.payload.empty()) {
      e.payload = boost::json::serialize(e.data);
    }
    e.prev_hash = *prev;
    e.hash = EventHash(e);
    prev = &e.hash;
  }
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
