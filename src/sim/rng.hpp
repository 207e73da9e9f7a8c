// A small, fully specified random generator (xoshiro256** seeded by splitmix64) and the few
// distributions the simulator needs. The standard library's distributions are implementation-
// defined, so they are not used: the same seed gives the same numbers with any compiler.
#pragma once

#include <cmath>
#include <cstdint>

namespace concordat::sim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // [0, 1)
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  // Exponential with the given mean (> 0).
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  // 0 .. n-1 (n > 0).
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace concordat::sim
