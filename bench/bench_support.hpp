// Shared helpers for the benchmarks: scratch folders on the real disk (fsync must cost what it
// costs in service, so never tmpfs), and the tiny "bench" domain used to time the engine itself.
#pragma once

#include <unistd.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/domain.hpp"

namespace concordat::bench {

inline constexpr Timestamp kBenchStart = 1'795'770'000'000'000;  // 2026-11-26T...Z
inline const Actor kBenchActor{"user-bench", "controller", "mps"};

// A fresh folder under $CONCORDAT_BENCH_DIR (default: the system temporary folder).
inline std::string ScratchDir(const std::string& name) {
  const char* base = std::getenv("CONCORDAT_BENCH_DIR");
  const std::filesystem::path root =
      base != nullptr ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
  const auto dir = root / ("concordat-bench-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Command-line numbers for the benchmark programs: the whole text must be a number within
// [lo, hi]; false otherwise (the caller prints its usage), never an exception.
inline bool ParseInt(const std::string& s, int lo, int hi, int& out) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) {
    return false;
  }
  out = v;
  return true;
}

inline bool ParseDouble(const std::string& s, double lo, double hi, double& out) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= lo && v <= hi)) {
    return false;
  }
  out = v;
  return true;
}

// Walks the "--flag value" pairs of a benchmark program's command line, handing each to
// `one(flag, value)` (false: an unknown flag or a bad value). At the first that fails it prints
// "<program>: bad argument --flag value" and the usage, and returns false; so does an odd count.
template <class One>
bool ParseFlags(int argc, char** argv, const char* program, const char* usage, One&& one) {
  bool ok = (argc - 1) % 2 == 0;
  for (int i = 1; ok && i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    ok = one(flag, value);
    if (!ok) {
      std::fprintf(stderr, "%s: bad argument %s %s\n", program, flag.c_str(), value.c_str());
    }
  }
  if (!ok) {
    std::fprintf(stderr, "%s", usage);
  }
  return ok;
}

// About the size of an incident log entry.
inline std::string NoteText(std::uint64_t n) {
  return "Bench note " + std::to_string(n) +
         ": caller reports her brother is distressed and has left the house on foot; no weapons "
         "mentioned; last seen heading towards the park.";
}

// "bench.note" {text, n} on target T → one event "bench.noted" on stream "bench/T". The engine's
// cost is what is timed: the decider does no work beyond building the event.
inline void RegisterBenchDomain(Domain& d) {
  RegisterCoreDomain(d);
  d.OnCommand("bench.note", [](const State&, const Command& c, const Context&) -> Result<Decision> {
    Decision dec;
    dec.events.push_back(NewEvent{"bench/" + c.target,
                                  "bench.noted",
                                  classification::kOperational,
                                  {{"text", c.body.at("text")}, {"n", c.body.at("n")}}});
    return dec;
  });
}

inline Command BenchCommand(std::uint64_t n) {
  return Command{"bench.note",
                 std::to_string(n % 100),
                 {{"text", NoteText(n)}, {"n", n}},
                 kBenchActor,
                 "bench-" + std::to_string(n)};
}

}  // namespace concordat::bench
